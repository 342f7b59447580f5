package dev.contentgen.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.WebhookReceiver;
import dev.contentgen.server.testing.WebhookReceiver.Received;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node resolves a webhook's host once per connection and connects to what it checked: the HTTP
 * client never looks the name up again. The names end in {@code .invalid}, which no DNS answers, so
 * only the node's resolver can lead a connection anywhere; the receiver listens on 127.0.0.2.
 */
class WebhookDnsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    final List<String> asked = new CopyOnWriteArrayList<>();
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

    /** Every name resolves to the receiver's loopback address, and each question is kept. */
    private InetAddress[] toReceiver(String host) throws UnknownHostException {
        asked.add(host);
        return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 2})};
    }

    private void start(boolean allowPrivate) {
        receiver = new WebhookReceiver("127.0.0.2", 0);
        node = new Node(TestNodes.config(dir))
                .webhooks(WebhookSettings.defaults().withAllowPrivate(allowPrivate).withPoll(Duration.ofMillis(20)).withResolver(this::toReceiver))
                .start();
        api = new Api(TestNodes.uri(node));
    }

    private String create(String url) throws Exception {
        Api.Response r = api.post("/api/jobs", "{\"topic\": \"DNS\", \"length\": \"short\", \"webhook\": {\"url\": \"" + url + "\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body()).get("id").asText();
    }

    @Test
    void theConnectionGoesToTheAddressTheNodeResolvedWithTheOriginalHostHeader() throws Exception {
        start(true);
        String host = "hooks.contentgen.invalid";
        create("http://" + host + ":" + receiver.port() + "/hooks");
        Received received = receiver.next(WAIT);
        assertThat(received).as("delivered through the node's own resolution").isNotNull();
        assertThat(received.host()).isEqualTo(host + ":" + receiver.port());
        assertThat(asked).containsOnly(host);
    }

    @Test
    void aRefusedAnswerIsTheOnlyLookupOfTheAttemptAndNothingIsSent() throws Exception {
        start(false);
        String host = "private.contentgen.invalid";
        String jobId = create("http://" + host + ":" + receiver.port() + "/hooks");
        JsonNode delivery = awaitFailed(jobId);
        assertThat(delivery.get("attemptLog").get(0).get("error").asText()).contains("refused", "non-public address", "127.0.0.2");
        // One question for the one attempt: the check and the connection share it.
        assertThat(asked).containsExactly(host);
        assertThat(receiver.pending()).isZero();
    }

    private JsonNode awaitFailed(String jobId) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (JsonNode d : Json.MAPPER.readTree(api.get("/api/jobs/" + jobId + "/webhooks").body()).get("deliveries")) {
                if (d.get("state").asText().equals("failed")) {
                    return d;
                }
            }
            assertThat(System.nanoTime()).as("the delivery never failed").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
