package dev.contentgen.server.pipeline.providers;

import static dev.contentgen.server.testing.FakeLlmServer.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.config.LlmConfig;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.FakeLlmServer;
import dev.contentgen.server.testing.LogCapture;
import dev.contentgen.server.testing.RecordingSleeper;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API key appears in no log line, event, job, error message or problem detail, even when the provider echoes it. */
class ApiKeyNeverLeaksTest {
    static final String KEY = "sk-live-DO-NOT-LEAK-9f8e7d6c5b4a";

    @TempDir
    Path dir;

    @Test
    void theKeyIsNowhereAfterRefusalsFailuresAndSuccess() throws Exception {
        LogCapture log = new LogCapture();
        List<String> seen = new ArrayList<>();
        String echo = "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\",\"key\":\"" + KEY + "\"}}";
        try (FakeLlmServer fake = new FakeLlmServer(FakeLlmServer.Wire.OPENAI)) {
            fake.then(new FakeLlmServer.Refusal(401, Map.of(), echo),
                    new FakeLlmServer.Refusal(429, Map.of(), echo), new FakeLlmServer.Refusal(500, Map.of(), echo),
                    FakeLlmServer.tokensThen(2, FakeLlmServer.Ending.HANG_UP),
                    new FakeLlmServer.Refusal(400, Map.of(), echo), status(404));
            LlmConfig llm = LlmConfig.offline().withProvider("openai", "fake-model", fake.baseUrl())
                    .withKeys(new ApiKey(KEY), new ApiKey(KEY)).withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), 5);
            Config config = TestNodes.config(dir).withLlm(llm);
            seen.add(config.toString());
            try (Node node = new Node(config).sleeper(new RecordingSleeper()).start()) {
                Api api = new Api(TestNodes.uri(node));
                List<Job> jobs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Job job = api.createJob(Map.of("topic", "Leak test " + i, "length", "short"));
                    api.fullLog(job.id()).stream().map(SseEvent::data).forEach(seen::add);
                    Job done = api.job(job.id());
                    jobs.add(done);
                    seen.add(api.get("/api/jobs/" + job.id()).body());
                }
                // 401; then 429, 500, a hang-up (all retried) and a 400; then 404; then a clean run.
                assertThat(jobs).extracting(Job::status)
                        .containsExactly(JobStatus.FAILED, JobStatus.FAILED, JobStatus.FAILED, JobStatus.COMPLETED);
                seen.add(api.get("/api/jobs").body());
                seen.add(api.get("/api/providers").body());
                seen.add(api.post("/api/jobs", "{\"topic\":\"x\",\"provider\":\"nope\"}").body());
                seen.add(api.get("/healthz").body());
            }
        } finally {
            log.close();
        }
        seen.addAll(log.lines());
        assertThat(log.lines()).as("the failures were logged").isNotEmpty();
        assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(KEY).doesNotContain("DO-NOT-LEAK"));
    }
}
