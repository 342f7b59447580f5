package dev.contentgen.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import dev.contentgen.server.testing.WebhookReceiver;
import dev.contentgen.server.testing.WebhookReceiver.Answer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The commit that queues a delivery wakes its node's deliverer: the delivery goes out at once, not
 * at the deliverer's next poll. The poll here is an hour, so only the wake can deliver in time.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class DeliveryWakeTest {
    private static final Duration HOUR = Duration.ofHours(1);

    @Parameter
    TestStore store;

    @TempDir
    Path dir;
    WebhookReceiver receiver;
    Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aQueuedDeliveryGoesOutWithoutWaitingForThePoll() throws Exception {
        receiver = new WebhookReceiver(Answer.status(204), Answer.status(204), Answer.status(204), Answer.status(204),
                Answer.status(204), Answer.status(204), Answer.status(204), Answer.status(204));
        node = new Node(store.config(dir)).webhooks(WebhookSettings.defaults().withAllowPrivate(true).withPoll(HOUR)).start();
        Api api = new Api(TestNodes.uri(node));

        // Each completed step and the terminal status queue a delivery, from appends (grouped) and from status writes.
        Api.Response created = api.post("/api/jobs", "{\"topic\": \"Wake\", \"format\": \"social-thread\", \"length\": \"short\", "
                + "\"webhook\": {\"url\": \"" + receiver.url() + "\", \"events\": [\"terminal\", \"step\"]}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String jobId = Json.MAPPER.readTree(created.body()).get("id").asText();

        WebhookReceiver.Received last = null;
        for (int i = 0; i < 20 && (last == null || !last.body().contains("\"job.completed\"")); i++) {
            last = receiver.next(Duration.ofSeconds(30));
            assertThat(last).as("delivery %d did not arrive although the deliverer was woken", i + 1).isNotNull();
        }
        assertThat(last.body()).contains("\"job.completed\"").contains(jobId);
        JsonNode deliveries = Json.MAPPER.readTree(api.get("/api/jobs/" + jobId + "/webhooks").body()).get("deliveries");
        assertThat(deliveries).isNotEmpty();
    }
}
