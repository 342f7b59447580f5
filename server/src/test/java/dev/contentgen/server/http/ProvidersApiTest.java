package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.LlmConfig;
import dev.contentgen.server.pipeline.providers.ApiKey;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.FakeLlmServer;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/providers tells the UI what this server offers; a job picks among exactly those. */
class ProvidersApiTest {
    @TempDir
    Path dir;

    FakeLlmServer fake;
    Node node;
    Api api;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeLlmServer(FakeLlmServer.Wire.OPENAI);
        LlmConfig llm = LlmConfig.offline().withProvider("openai", "fake-model", fake.baseUrl())
                .withModels(List.of("fake-model", "other-model")).withKeys(new ApiKey("sk-x"), null);
        node = new Node(TestNodes.config(dir).withLlm(llm)).start();
        api = new Api(TestNodes.uri(node));
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
        fake.close();
    }

    @Test
    void listsTheConfiguredProviderFirstAndTheOfflineGenerator() throws Exception {
        Api.Response r = api.get("/api/providers");
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.get("defaultProvider").asText()).isEqualTo("openai");
        assertThat(body.get("providers").get(0).get("name").asText()).isEqualTo("openai");
        assertThat(body.get("providers").get(0).get("defaultModel").asText()).isEqualTo("fake-model");
        assertThat(body.get("providers").get(0).get("models").toString()).isEqualTo("[\"fake-model\",\"other-model\"]");
        assertThat(body.get("providers").get(1).get("name").asText()).isEqualTo("offline");
        assertThat(r.body()).doesNotContain("sk-x");
    }

    @Test
    void aJobWithoutAChoiceRunsOnTheDefaultsAndRecordsThem() throws Exception {
        Job job = api.createJob(Map.of("topic", "Defaults", "length", "short"));
        assertThat(job.provider()).isEqualTo("openai");
        assertThat(job.model()).isEqualTo("fake-model");
        assertThat(JobLogAssertions.assertConsistent(api.fullLog(job.id())).terminal().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(fake.requests()).isNotEmpty();
    }

    @Test
    void aJobCanPickAnotherOfferedProviderOrModel() throws Exception {
        Job offline = api.createJob(Map.of("topic", "Offline please", "length", "short", "provider", "offline"));
        assertThat(offline.provider()).isEqualTo("offline");
        assertThat(offline.model()).isEqualTo("offline");
        assertThat(JobLogAssertions.assertConsistent(api.fullLog(offline.id())).terminal().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(fake.requests()).as("the offline job never called the LLM").isEmpty();

        Job other = api.createJob(Map.of("topic", "Other model", "length", "short", "model", "other-model"));
        assertThat(other.model()).isEqualTo("other-model");
        api.fullLog(other.id());
        assertThat(fake.requests()).allSatisfy(req -> assertThat(req.body()).contains("other-model"));
    }

    @Test
    void anUnknownProviderOrModelIs400WithTheList() throws Exception {
        Api.Response provider = api.post("/api/jobs", "{\"topic\":\"x\",\"provider\":\"gemini\"}");
        assertThat(provider.status()).isEqualTo(400);
        assertThat(JobsApiTest.code(provider)).isEqualTo("UNKNOWN_PROVIDER");
        assertThat(provider.body()).contains("openai, offline");

        Api.Response model = api.post("/api/jobs", "{\"topic\":\"x\",\"model\":\"gpt-9\"}");
        assertThat(model.status()).isEqualTo(400);
        assertThat(JobsApiTest.code(model)).isEqualTo("UNKNOWN_MODEL");
        assertThat(model.body()).contains("fake-model, other-model");

        Api.Response offlineModel = api.post("/api/jobs", "{\"topic\":\"x\",\"provider\":\"offline\",\"model\":\"fake-model\"}");
        assertThat(JobsApiTest.code(offlineModel)).isEqualTo("UNKNOWN_MODEL");

        Api.Response notText = api.post("/api/jobs", "{\"topic\":\"x\",\"provider\":7}");
        assertThat(notText.status()).isEqualTo(400);
        assertThat(JobsApiTest.code(notText)).isEqualTo("INVALID_FIELD");
        assertThat(api.get("/api/jobs").as(dev.contentgen.api.JobPage.class).jobs()).as("nothing stored").isEmpty();
    }
}
