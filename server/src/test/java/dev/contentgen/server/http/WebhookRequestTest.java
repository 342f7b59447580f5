package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The webhook of a job request: validated strictly, its secret shown once, part of the idempotency key's request. */
class WebhookRequestTest {
    private static final String HOOK = "{\"url\": \"https://hooks.example.com/contentgen\"}";

    @TempDir
    Path dir;
    Node node;
    Api api;

    @BeforeEach
    void start() {
        node = new Node(TestStore.SQLITE.config(dir).withWorkers(0)).start();
        api = new Api(TestNodes.uri(node));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private Api.Response create(String webhook, String... headers) {
        return api.post("/api/jobs", "{\"topic\": \"Hooks\"" + (webhook == null ? "" : ", \"webhook\": " + webhook) + "}", headers);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"https://x.example\"", "{}", "{\"url\": 5}", "{\"url\": \"ftp://x.example/a\"}", "{\"url\": \"https://u:p@x.example/a\"}",
            "{\"url\": \"https://x.example\", \"secret\": \"mine\"}", "{\"url\": \"https://x.example\", \"events\": []}",
            "{\"url\": \"https://x.example\", \"events\": [\"step\"]}", "{\"url\": \"https://x.example\", \"events\": [\"terminal\", \"deltas\"]}",
            "{\"url\": \"https://x.example\", \"events\": \"terminal\"}", "{\"url\": \"not a url\"}"})
    void aBadWebhookIsRefusedAndCreatesNothing(String webhook) throws Exception {
        Api.Response r = create(webhook);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(r.body()).get("code").asText()).isEqualTo("INVALID_FIELD");
        assertThat(Json.MAPPER.readTree(api.get("/api/jobs").body()).get("jobs")).isEmpty();
    }

    @Test
    void theSecretIsShownAtCreationAndInItsIdempotentReplayOnly() throws Exception {
        JsonNode first = Json.MAPPER.readTree(create(HOOK, "Idempotency-Key", "h-1").body());
        JsonNode webhook = first.get("webhook");
        assertThat(webhook.get("url").asText()).isEqualTo("https://hooks.example.com/contentgen");
        assertThat(webhook.get("events")).extracting(JsonNode::asText).containsExactly("terminal");
        assertThat(webhook.get("secret").asText()).matches("whsec_[A-Za-z0-9+/]{43}=");
        Api.Response replay = create(HOOK, "Idempotency-Key", "h-1");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(replay.body()).get("webhook")).isEqualTo(webhook);
        String id = first.get("id").asText();
        assertThat(api.get("/api/jobs/" + id).body()).doesNotContain(webhook.get("secret").asText()).doesNotContain("whsec_");
        assertThat(api.get("/api/jobs/" + id + "/webhooks").body()).doesNotContain("whsec_");
        JsonNode other = Json.MAPPER.readTree(create("{\"url\": \"https://hooks.example.com/contentgen\", \"events\": [\"terminal\", \"step\"]}").body());
        assertThat(other.get("webhook").get("secret")).isNotEqualTo(webhook.get("secret"));
        assertThat(other.get("webhook").get("events")).extracting(JsonNode::asText).containsExactly("terminal", "step");
    }

    @Test
    void theWebhookIsPartOfTheRequestAnIdempotencyKeyStandsFor() {
        assertThat(create(null, "Idempotency-Key", "k").status()).isEqualTo(201);
        assertThat(create(null, "Idempotency-Key", "k").status()).isEqualTo(200);
        assertThat(create(HOOK, "Idempotency-Key", "k").status()).isEqualTo(422);
        assertThat(create(HOOK, "Idempotency-Key", "k2").status()).isEqualTo(201);
        assertThat(create("{\"url\": \"https://hooks.example.com/other\"}", "Idempotency-Key", "k2").status()).isEqualTo(422);
    }

    @Test
    void aJobWithoutAWebhookAnswersAsBeforeAndListsNoDeliveries() throws Exception {
        Api.Response r = create(null);
        assertThat(r.body()).doesNotContain("webhook");
        JsonNode listed = Json.MAPPER.readTree(api.get("/api/jobs/" + Json.MAPPER.readTree(r.body()).get("id").asText() + "/webhooks").body());
        assertThat(listed.has("endpoint")).isFalse();
        assertThat(listed.get("deliveries")).isEmpty();
    }
}
