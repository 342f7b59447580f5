package dev.contentgen.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.SettableClock;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import dev.contentgen.server.testing.WebhookReceiver;
import dev.contentgen.server.testing.WebhookReceiver.Answer;
import dev.contentgen.server.testing.WebhookReceiver.Received;
import dev.contentgen.server.time.Backoff;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Webhook delivery against a real receiver on loopback: retries with backoff until 2xx, Retry-After,
 * 410 stops the endpoint, the retry period ends a delivery, one webhook-id per logical delivery,
 * and a signature that verifies by the documented procedure. Time moves by the test's clock.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class WebhookDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Jitter pinned to 0: the n-th wait is exactly half of min(cap, 10 s · 2^(n-1)). */
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(10), bound -> 0);

    @Parameter
    TestStore store;

    @TempDir
    Path dir;
    final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T12:00:00Z"));
    final List<AutoCloseable> closing = new ArrayList<>();
    Api api;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private WebhookReceiver receiver(Answer... answers) {
        WebhookReceiver receiver = new WebhookReceiver(answers);
        closing.add(receiver);
        return receiver;
    }

    private void start(WebhookSettings settings) {
        Node node = new Node(store.config(dir)).clock(clock).webhooks(settings).start();
        closing.add(node);
        api = new Api(TestNodes.uri(node));
    }

    private static WebhookSettings testSettings() {
        return WebhookSettings.defaults().withAllowPrivate(true).withBackoff(BACKOFF).withPoll(Duration.ofMillis(20));
    }

    private JsonNode create(String webhook) throws Exception {
        Api.Response r = api.post("/api/jobs", "{\"topic\": \"Webhooks\", \"format\": \"social-thread\", \"length\": \"short\", \"webhook\": "
                + webhook + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body());
    }

    private JsonNode deliveries(String jobId) throws Exception {
        Api.Response r = api.get("/api/jobs/" + jobId + "/webhooks");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body()).get("deliveries");
    }

    /** Polls the deliveries listing until {@code done} holds (a liveness bound, not a timing assertion). */
    private JsonNode awaitDeliveries(String jobId, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = deliveries(jobId);
        while (!done.test(last)) {
            assertThat(System.nanoTime()).as("deliveries never reached the expected state: " + last).isLessThan(deadline);
            Thread.sleep(20);
            last = deliveries(jobId);
        }
        return last;
    }

    private static Predicate<JsonNode> terminal(Predicate<JsonNode> delivery) {
        return list -> {
            for (JsonNode d : list) {
                if (d.get("type").asText().startsWith("job.")) {
                    return delivery.test(d);
                }
            }
            return false;
        };
    }

    private static JsonNode terminalOf(JsonNode list) {
        for (JsonNode d : list) {
            if (d.get("type").asText().startsWith("job.")) {
                return d;
            }
        }
        throw new AssertionError("no terminal delivery in " + list);
    }

    /** The documented verification: HMAC-SHA256 over "id.timestamp.body", keyed with the base64-decoded secret after "whsec_". */
    static boolean verifies(String secret, Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(
                mac.doFinal((r.id() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
        for (String candidate : r.signature().split(" ")) {
            if (candidate.equals("v1," + expected)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void answer500Then200IsRetriedAfterTheBackoffWithOneWebhookIdAndAVerifiableSignature() throws Exception {
        WebhookReceiver receiver = receiver(Answer.status(500));
        start(testSettings());
        JsonNode created = create("{\"url\": \"" + receiver.url() + "\"}");
        String jobId = created.get("id").asText();
        String secret = created.get("webhook").get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);

        Received first = receiver.next(WAIT);
        assertThat(first).isNotNull();
        JsonNode pending = awaitDeliveries(jobId, terminal(d -> d.get("attempts").asInt() == 1));
        JsonNode delivery = terminalOf(pending);
        assertThat(delivery.get("state").asText()).isEqualTo("pending");
        assertThat(delivery.get("attemptLog").get(0).get("httpStatus").asInt()).isEqualTo(500);
        // The first wait is half of the 10 s base with the jitter pinned to 0.
        assertThat(Instant.parse(delivery.get("nextAttemptAt").asText())).isEqualTo(clock.instant().plusSeconds(5));

        clock.advance(Duration.ofSeconds(5));
        Received second = receiver.next(WAIT);
        assertThat(second).isNotNull();
        JsonNode done = terminalOf(awaitDeliveries(jobId, terminal(d -> d.get("state").asText().equals("delivered"))));
        assertThat(done.get("attempts").asInt()).isEqualTo(2);
        assertThat(done.get("attemptLog").get(1).get("httpStatus").asInt()).isEqualTo(200);

        assertThat(second.id()).isEqualTo(first.id()).isEqualTo(done.get("id").asText());
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(first.contentType()).startsWith("application/json");
        assertThat(verifies(secret, first)).isTrue();
        assertThat(verifies(secret, second)).isTrue();
        assertThat(verifies(secret, new Received(first.id(), first.timestamp(), first.signature(), null, first.body() + " "))).isFalse();
        JsonNode body = Json.MAPPER.readTree(second.body());
        assertThat(body.get("type").asText()).isEqualTo("job.completed");
        assertThat(body.get("jobId").asText()).isEqualTo(jobId);
        assertThat(body.get("status").asText()).isEqualTo("completed");
        assertThat(body.get("seq").asLong()).isEqualTo(done.get("seq").asLong());
        assertThat(body.get("artifacts")).isNotEmpty();
        assertThat(body.get("links").get("job").asText()).isEqualTo("/api/jobs/" + jobId);
        assertThat(receiver.pending()).isZero();
        String metrics = api.get("/metrics").body();
        assertThat(metrics).contains("contentgen_webhooks_attempts_total{outcome=\"retry\"} 1.0")
                .contains("contentgen_webhooks_attempts_total{outcome=\"delivered\"}").contains("contentgen_webhooks_latency_seconds_count");
        // The secret is shown once, at creation: neither the job nor its deliveries show it.
        assertThat(api.get("/api/jobs/" + jobId).body()).doesNotContain(secret);
        assertThat(api.get("/api/jobs/" + jobId + "/webhooks").body()).doesNotContain(secret);
    }

    @Test
    void retryAfterLongerThanTheBackoffIsHonoured() throws Exception {
        WebhookReceiver receiver = receiver(new Answer(503, Map.of("Retry-After", "120"), false));
        start(testSettings());
        String jobId = create("{\"url\": \"" + receiver.url() + "\"}").get("id").asText();
        assertThat(receiver.next(WAIT)).isNotNull();
        JsonNode delivery = terminalOf(awaitDeliveries(jobId, terminal(d -> d.get("attempts").asInt() == 1)));
        assertThat(Instant.parse(delivery.get("nextAttemptAt").asText())).isEqualTo(clock.instant().plusSeconds(120));
        clock.advance(Duration.ofSeconds(120));
        assertThat(receiver.next(WAIT)).isNotNull();
        awaitDeliveries(jobId, terminal(d -> d.get("state").asText().equals("delivered")));
    }

    @Test
    void aTimedOutAttemptIsKeptAndRetried() throws Exception {
        WebhookReceiver receiver = receiver(Answer.hangs());
        start(testSettings().withReadTimeout(Duration.ofMillis(300)));
        String jobId = create("{\"url\": \"" + receiver.url() + "\"}").get("id").asText();
        JsonNode delivery = terminalOf(awaitDeliveries(jobId, terminal(d -> d.get("attempts").asInt() == 1)));
        assertThat(delivery.get("attemptLog").get(0).has("httpStatus")).isFalse();
        assertThat(delivery.get("attemptLog").get(0).get("error").asText()).contains("timed out");
        clock.advance(Duration.ofSeconds(5));
        awaitDeliveries(jobId, terminal(d -> d.get("state").asText().equals("delivered")));
    }

    @Test
    void aFailingReceiverIsRetriedUntilTheRetryPeriodEnds() throws Exception {
        WebhookReceiver receiver = receiver(Answer.status(500), Answer.status(500), Answer.status(500));
        // Waits of 5, 10, 20 s: attempts at 0, 5 and 15 s; the next (35 s) would be past the 30 s period.
        start(testSettings().withRetryPeriod(Duration.ofSeconds(30)));
        String jobId = create("{\"url\": \"" + receiver.url() + "\"}").get("id").asText();
        awaitDeliveries(jobId, terminal(d -> d.get("attempts").asInt() == 1));
        clock.advance(Duration.ofSeconds(5));
        awaitDeliveries(jobId, terminal(d -> d.get("attempts").asInt() == 2));
        clock.advance(Duration.ofSeconds(10));
        JsonNode delivery = terminalOf(awaitDeliveries(jobId, terminal(d -> d.get("attempts").asInt() == 3)));
        assertThat(delivery.get("state").asText()).isEqualTo("failed");
        assertThat(delivery.get("attemptLog")).extracting(a -> a.get("httpStatus").asInt()).containsExactly(500, 500, 500);

        // A manual redelivery starts a new retry window, under the same webhook-id.
        Api.Response redelivered = api.post("/api/jobs/" + jobId + "/webhooks/" + delivery.get("id").asText() + "/redeliver", "");
        assertThat(redelivered.status()).as(redelivered.body()).isEqualTo(202);
        JsonNode again = terminalOf(awaitDeliveries(jobId, terminal(d -> d.get("attempts").asInt() == 4)));
        assertThat(again.get("state").asText()).isEqualTo("delivered");
        List<String> ids = new ArrayList<>();
        for (Received r; (r = receiver.next(Duration.ZERO)) != null; ) {
            ids.add(r.id());
        }
        assertThat(ids).hasSize(4).containsOnly(delivery.get("id").asText());
        assertThat(api.post("/api/jobs/" + jobId + "/webhooks/msg_nope/redeliver", "").status()).isEqualTo(404);
    }

    @Test
    void goneStopsTheEndpointAndEveryLaterDelivery() throws Exception {
        WebhookReceiver receiver = receiver(Answer.status(410));
        start(testSettings());
        String jobId = create("{\"url\": \"" + receiver.url() + "\", \"events\": [\"terminal\", \"step\"]}").get("id").asText();
        assertThat(receiver.next(WAIT)).isNotNull();
        // The job ends; nothing stays pending, and the receiver heard exactly once.
        JsonNode list = awaitDeliveries(jobId, l -> {
            boolean jobDone = api.get("/api/jobs/" + jobId).body().contains("\"status\":\"completed\"");
            for (JsonNode d : l) {
                if (d.get("state").asText().equals("pending") || d.get("state").asText().equals("sending")) {
                    return false;
                }
            }
            return jobDone;
        });
        assertThat(list.size()).as(list.toString()).isPositive();
        assertThat(list.get(0).get("type").asText()).isEqualTo("artifact.completed");
        assertThat(list.get(0).get("state").asText()).isEqualTo("stopped");
        assertThat(list.get(0).get("attemptLog").get(0).get("httpStatus").asInt()).isEqualTo(410);
        for (int i = 1; i < list.size(); i++) {
            assertThat(list.get(i).get("state").asText()).isEqualTo("stopped");
            assertThat(list.get(i).get("attempts").asInt()).isZero();
        }
        assertThat(receiver.pending()).isZero();
    }

    @Test
    void aPrivateAddressIsRefusedUnlessAllowed() throws Exception {
        WebhookReceiver receiver = receiver();
        start(testSettings().withAllowPrivate(false));
        String jobId = create("{\"url\": \"" + receiver.url() + "\"}").get("id").asText();
        JsonNode delivery = terminalOf(awaitDeliveries(jobId, terminal(d -> d.get("state").asText().equals("failed"))));
        assertThat(delivery.get("attemptLog").get(0).get("error").asText()).contains("non-public address").contains("127.0.0.1");
        assertThat(receiver.pending()).isZero();
    }
}
