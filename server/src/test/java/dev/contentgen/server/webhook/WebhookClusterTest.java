package dev.contentgen.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import dev.contentgen.server.testing.WebhookReceiver;
import dev.contentgen.server.testing.WebhookReceiver.Received;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL, two nodes polling one outbox: each delivery is attempted by one node at a time, so a receiver that answers 200 hears it once. */
class WebhookClusterTest {
    private static final int JOBS = 30;

    @TempDir
    Path dir;

    @Test
    void twoNodesDeliverEachWebhookOnce() throws Exception {
        Config config = TestStore.POSTGRESQL.config(dir);
        WebhookSettings settings = WebhookSettings.defaults().withAllowPrivate(true).withPoll(Duration.ofMillis(5));
        try (WebhookReceiver receiver = new WebhookReceiver();
             Node a = new Node(config).webhooks(settings).start();
             Node b = new Node(config.withPort(0)).webhooks(settings).start()) {
            Api api = new Api(TestNodes.uri(a));
            Set<String> jobs = new HashSet<>();
            for (int i = 0; i < JOBS; i++) {
                Api.Response r = api.post("/api/jobs", "{\"topic\": \"Cluster hooks " + i + "\", \"format\": \"social-thread\", \"length\": \"short\","
                        + " \"webhook\": {\"url\": \"" + receiver.url() + "\", \"events\": [\"terminal\", \"step\"]}}");
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                jobs.add(Json.MAPPER.readTree(r.body()).get("id").asText());
            }
            int expected = 0;
            for (String job : jobs) {
                api.fullLog(job);
                JsonNode deliveries = Json.MAPPER.readTree(api.get("/api/jobs/" + job + "/webhooks").body()).get("deliveries");
                expected += deliveries.size();
            }
            Map<String, Integer> heard = new HashMap<>();
            for (int i = 0; i < expected; i++) {
                Received r = receiver.next(Duration.ofSeconds(60));
                assertThat(r).as("delivery " + i + " of " + expected).isNotNull();
                heard.merge(r.id(), 1, Integer::sum);
            }
            assertThat(heard).hasSize(expected);
            assertThat(heard.values()).containsOnly(1);
            assertThat(receiver.next(Duration.ofMillis(300))).as("nothing twice").isNull();
            for (String job : jobs) {
                for (JsonNode d : Json.MAPPER.readTree(api.get("/api/jobs/" + job + "/webhooks").body()).get("deliveries")) {
                    assertThat(d.get("attempts").asInt()).isEqualTo(1);
                }
            }
        }
    }
}
