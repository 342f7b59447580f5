package dev.contentgen.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Scrape;
import dev.contentgen.server.testing.SettableClock;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import dev.contentgen.server.testing.WebhookReceiver;
import dev.contentgen.server.testing.WebhookReceiver.Answer;
import dev.contentgen.server.time.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * /metrics counts webhook attempts and deliveries by outcome and times them: attempts by
 * delivered/retry/failed/stopped/refused, deliveries by how they ended, and the time from the event
 * to its 2xx (on the node's clock, which the test moves).
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class WebhookMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(10), bound -> 0);

    @Parameter
    TestStore store;

    @TempDir
    Path dir;
    final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T12:00:00Z"));
    WebhookReceiver receiver;
    Node node;
    Api api;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private void start(boolean allowPrivate, Answer... answers) {
        receiver = new WebhookReceiver(answers);
        node = new Node(store.config(dir)).clock(clock)
                .webhooks(WebhookSettings.defaults().withAllowPrivate(allowPrivate).withBackoff(BACKOFF).withPoll(Duration.ofMillis(20))).start();
        api = new Api(TestNodes.uri(node));
    }

    private String create(String events) throws Exception {
        Api.Response r = api.post("/api/jobs", "{\"topic\": \"Metrics\", \"format\": \"social-thread\", \"length\": \"short\", \"webhook\": {\"url\": \""
                + receiver.url() + "\", \"events\": " + events + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body()).get("id").asText();
    }

    private JsonNode await(String jobId, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            boolean jobEnded = api.get("/api/jobs/" + jobId).body().contains("\"status\":\"completed\"");
            JsonNode list = Json.MAPPER.readTree(api.get("/api/jobs/" + jobId + "/webhooks").body()).get("deliveries");
            if (jobEnded && done.test(list)) {
                return list;
            }
            assertThat(System.nanoTime()).as("deliveries never settled: " + list).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static Predicate<JsonNode> all(Predicate<JsonNode> each) {
        return list -> {
            if (list.isEmpty()) {
                return false;
            }
            for (JsonNode d : list) {
                if (!each.test(d)) {
                    return false;
                }
            }
            return true;
        };
    }

    @Test
    void aRetriedThenDeliveredDeliveryCountsBothAttemptsOneDeliveryAndItsTimeSinceTheEvent() throws Exception {
        start(true, Answer.status(500));
        String jobId = create("[\"terminal\"]");
        await(jobId, all(d -> d.get("attempts").asInt() == 1 && d.get("state").asText().equals("pending")));
        Scrape before = Scrape.of(api);
        assertThat(before.sum("contentgen_webhooks_deliveries_total")).as("nothing has ended yet").isZero();
        assertThat(before.sum("contentgen_webhooks_attempts_total", "outcome=\"retry\"")).isEqualTo(1.0);

        clock.advance(Duration.ofSeconds(5));
        await(jobId, all(d -> d.get("state").asText().equals("delivered")));
        Scrape after = Scrape.of(api);
        assertThat(after.sum("contentgen_webhooks_attempts_total", "outcome=\"delivered\"")).isEqualTo(1.0);
        assertThat(after.sum("contentgen_webhooks_latency_seconds_count")).isEqualTo(2.0);
        assertThat(after.sum("contentgen_webhooks_deliveries_total", "outcome=\"delivered\"")).isEqualTo(1.0);
        assertThat(after.sum("contentgen_webhooks_deliveries_total", "outcome=\"failed\"")).isZero();
        assertThat(after.sum("contentgen_webhooks_delivery_seconds_count")).isEqualTo(1.0);
        // The node's clock stood still but for the 5 s the test moved it between the event and the 2xx.
        assertThat(after.sum("contentgen_webhooks_delivery_seconds_sum")).isEqualTo(5.0);
    }

    @Test
    void goneCountsEveryDeliveryItStopped() throws Exception {
        start(true, Answer.status(410));
        String jobId = create("[\"terminal\", \"step\"]");
        JsonNode list = await(jobId, all(d -> d.get("state").asText().equals("stopped")));
        Scrape scrape = Scrape.of(api);
        assertThat(scrape.sum("contentgen_webhooks_attempts_total", "outcome=\"stopped\"")).isEqualTo(1.0);
        assertThat(scrape.sum("contentgen_webhooks_deliveries_total", "outcome=\"stopped\"")).isEqualTo(list.size());
        assertThat(scrape.sum("contentgen_webhooks_deliveries_total", "outcome=\"delivered\"")).isZero();
    }

    @Test
    void aRefusedAddressCountsAsARefusedAttemptAndAFailedDelivery() throws Exception {
        start(false);
        String jobId = create("[\"terminal\"]");
        await(jobId, all(d -> d.get("state").asText().equals("failed")));
        Scrape scrape = Scrape.of(api);
        assertThat(scrape.sum("contentgen_webhooks_attempts_total", "outcome=\"refused\"")).isEqualTo(1.0);
        assertThat(scrape.sum("contentgen_webhooks_deliveries_total", "outcome=\"failed\"")).isEqualTo(1.0);
        assertThat(receiver.pending()).isZero();
    }
}
