package dev.contentgen.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Json;
import dev.contentgen.api.NewApiKey;
import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.LogCapture;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import dev.contentgen.server.testing.WebhookReceiver;
import dev.contentgen.server.testing.WebhookReceiver.Received;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A key's default webhook: set by an admin with a secret shown once, copied into each job created
 * with the key that names none; a job's own webhook wins, {@code "webhook": null} declines it.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class KeyDefaultWebhookTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String JOB = "{\"topic\": \"Defaults\", \"format\": \"social-thread\", \"length\": \"short\"";

    @Parameter
    TestStore store;

    @TempDir
    Path dir;
    Node node;
    WebhookReceiver keyReceiver;
    WebhookReceiver jobReceiver;
    Api admin;
    Api alice;
    String aliceKeyId;

    @BeforeEach
    void start() {
        keyReceiver = new WebhookReceiver();
        jobReceiver = new WebhookReceiver();
        node = new Node(store.config(dir).withAuth(AccessMode.Setting.KEYS))
                .webhooks(WebhookSettings.defaults().withAllowPrivate(true).withPoll(Duration.ofMillis(20))).start();
        admin = new Api(TestNodes.uri(node)).withKey(Keys.create(node, "ops", true));
        NewApiKey key = admin.post("/api/keys", "{\"name\":\"alice\"}").as(NewApiKey.class);
        aliceKeyId = key.key().id();
        alice = new Api(TestNodes.uri(node)).withKey(key.secret());
    }

    @AfterEach
    void stop() {
        node.close();
        keyReceiver.close();
        jobReceiver.close();
    }

    private JsonNode setDefault(String body) throws Exception {
        Api.Response set = admin.put("/api/keys/" + aliceKeyId + "/webhook", body);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        return Json.MAPPER.readTree(set.body());
    }

    private JsonNode create(Api api, String rest) throws Exception {
        Api.Response r = api.post("/api/jobs", JOB + rest + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void aJobWithoutAWebhookGetsItsKeysDefaultSignedWithTheSecretShownOnce() throws Exception {
        String secret;
        try (LogCapture logs = new LogCapture()) {
            JsonNode set = setDefault("{\"url\": \"" + keyReceiver.url() + "\", \"events\": [\"terminal\", \"step\"]}");
            secret = set.get("webhook").get("secret").asText();
            assertThat(secret).startsWith("whsec_");
            assertThat(set.get("webhook").get("events")).extracting(JsonNode::asText).containsExactly("terminal", "step");
            assertThat(String.join("\n", logs.lines())).contains("id=" + aliceKeyId).doesNotContain(secret);
        }
        Api.Response shown = admin.get("/api/keys/" + aliceKeyId + "/webhook");
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).contains(keyReceiver.url()).doesNotContain(secret).doesNotContain("whsec_");

        JsonNode job = create(alice, "");
        String jobId = job.get("id").asText();
        // The job's answer names the key instead of repeating the key's secret.
        assertThat(job.get("webhook").get("keyId").asText()).isEqualTo(aliceKeyId);
        assertThat(job.get("webhook").has("secret")).isFalse();
        assertThat(job.toString()).doesNotContain(secret);

        Received first = keyReceiver.next(WAIT);
        assertThat(first).as("the key's default webhook is called").isNotNull();
        assertThat(Json.MAPPER.readTree(first.body()).get("jobId").asText()).isEqualTo(jobId);
        assertThat(WebhookDeliveryTest.verifies(secret, first)).as("signed with the key's default secret").isTrue();
        JsonNode listing = Json.MAPPER.readTree(alice.get("/api/jobs/" + jobId + "/webhooks").body());
        assertThat(listing.get("endpoint").get("keyId").asText()).isEqualTo(aliceKeyId);
        assertThat(listing.get("endpoint").get("steps").asBoolean()).isTrue();
        assertThat(listing.toString()).doesNotContain(secret);
        assertThat(jobReceiver.pending()).isZero();
    }

    @Test
    void aJobsOwnWebhookWinsAndNullDeclinesTheDefault() throws Exception {
        setDefault("{\"url\": \"" + keyReceiver.url() + "\"}");
        JsonNode own = create(alice, ", \"webhook\": {\"url\": \"" + jobReceiver.url() + "\"}");
        assertThat(own.get("webhook").get("secret").asText()).startsWith("whsec_");
        assertThat(own.get("webhook").has("keyId")).isFalse();
        Received received = jobReceiver.next(WAIT);
        assertThat(received).isNotNull();
        assertThat(WebhookDeliveryTest.verifies(own.get("webhook").get("secret").asText(), received)).isTrue();

        JsonNode declined = create(alice, ", \"webhook\": null");
        assertThat(declined.has("webhook")).isFalse();
        String declinedId = declined.get("id").asText();
        awaitTerminal(declinedId);
        JsonNode listing = Json.MAPPER.readTree(alice.get("/api/jobs/" + declinedId + "/webhooks").body());
        assertThat(listing.has("endpoint")).isFalse();
        assertThat(listing.get("deliveries")).isEmpty();
        // Only the job with its own webhook was delivered anywhere: the key's receiver heard nothing.
        assertThat(keyReceiver.pending()).isZero();
    }

    @Test
    void settingAgainMakesANewSecretForLaterJobsAndClearingStopsIt() throws Exception {
        String first = setDefault("{\"url\": \"" + keyReceiver.url() + "\"}").get("webhook").get("secret").asText();
        String second = setDefault("{\"url\": \"" + keyReceiver.url() + "\"}").get("webhook").get("secret").asText();
        assertThat(second).isNotEqualTo(first);
        create(alice, "");
        Received received = keyReceiver.next(WAIT);
        assertThat(received).isNotNull();
        assertThat(WebhookDeliveryTest.verifies(second, received)).isTrue();
        assertThat(WebhookDeliveryTest.verifies(first, received)).isFalse();

        assertThat(admin.delete("/api/keys/" + aliceKeyId + "/webhook").status()).isEqualTo(204);
        assertThat(Json.MAPPER.readTree(admin.get("/api/keys/" + aliceKeyId + "/webhook").body()).get("webhook").isNull()).isTrue();
        String later = create(alice, "").get("id").asText();
        awaitTerminal(later);
        assertThat(Json.MAPPER.readTree(alice.get("/api/jobs/" + later + "/webhooks").body()).get("deliveries")).isEmpty();
    }

    @Test
    void onlyAdminsManageDefaultsAndBadUrlsAreRefused() {
        assertThat(alice.put("/api/keys/" + aliceKeyId + "/webhook", "{\"url\": \"" + keyReceiver.url() + "\"}").status()).isEqualTo(403);
        assertThat(alice.get("/api/keys/" + aliceKeyId + "/webhook").status()).isEqualTo(403);
        Api.Response ftp = admin.put("/api/keys/" + aliceKeyId + "/webhook", "{\"url\": \"ftp://example.com/x\"}");
        assertThat(ftp.status()).isEqualTo(400);
        assertThat(ftp.body()).contains("only http and https");
        assertThat(admin.put("/api/keys/" + aliceKeyId + "/webhook", "{\"url\": \"https://example.com/x\", \"extra\": 1}").status()).isEqualTo(400);
        String missing = "01900000-0000-7000-8000-000000000000";
        assertThat(admin.put("/api/keys/" + missing + "/webhook", "{\"url\": \"https://example.com/x\"}").status()).isEqualTo(404);
        assertThat(admin.get("/api/keys/" + missing + "/webhook").status()).isEqualTo(404);
        assertThat(admin.delete("/api/keys/" + missing + "/webhook").status()).isEqualTo(404);
    }

    private void awaitTerminal(String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!alice.get("/api/jobs/" + jobId).body().contains("\"status\":\"completed\"")) {
            assertThat(System.nanoTime()).as("job " + jobId + " never completed").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
