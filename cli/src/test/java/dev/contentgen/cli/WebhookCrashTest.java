package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Json;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.WebhookReceiver;
import dev.contentgen.server.testing.WebhookReceiver.Answer;
import dev.contentgen.server.testing.WebhookReceiver.Received;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At-least-once delivery across a crash (SQLite): a node SIGKILLed while its webhook attempt is in
 * flight leaves the delivery in the outbox; the restarted node delivers it under the same webhook-id.
 */
class WebhookCrashTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void killedMidDeliveryTheRestartedNodeDeliversUnderTheSameWebhookId() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(Answer.hangs())) {
            String jobId;
            Received first;
            try (NodeProcess node = NodeProcess.start(dir, "--tokens-per-second", "0", "--webhook-allow-private")) {
                Api api = new Api(node.uri());
                Api.Response created = api.post("/api/jobs", "{\"topic\": \"Crash-proof hooks\", \"format\": \"social-thread\", \"length\": \"short\","
                        + " \"webhook\": {\"url\": \"" + receiver.url() + "\"}}");
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                jobId = Json.MAPPER.readTree(created.body()).get("id").asText();
                // The receiver holds this attempt open: the node dies with it in flight.
                first = receiver.next(WAIT);
                assertThat(first).isNotNull();
                node.kill();
            }
            try (NodeProcess restarted = NodeProcess.start(dir, "--tokens-per-second", "0", "--webhook-allow-private")) {
                Received again = receiver.next(WAIT);
                assertThat(again).as("the restarted node delivers the interrupted webhook").isNotNull();
                assertThat(again.id()).isEqualTo(first.id()).isEqualTo("msg_" + jobId + "_" + Json.MAPPER.readTree(again.body()).get("seq").asLong());
                assertThat(again.body()).isEqualTo(first.body());
                Api api = new Api(restarted.uri());
                JsonNode deliveries = Json.MAPPER.readTree(api.get("/api/jobs/" + jobId + "/webhooks").body()).get("deliveries");
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!deliveries.get(0).get("state").asText().equals("delivered") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    deliveries = Json.MAPPER.readTree(api.get("/api/jobs/" + jobId + "/webhooks").body()).get("deliveries");
                }
                assertThat(deliveries).hasSize(1);
                assertThat(deliveries.get(0).get("state").asText()).isEqualTo("delivered");
                assertThat(restarted.output()).anyMatch(l -> l.contains("retrying webhook deliveries interrupted"));
            }
        }
    }
}
