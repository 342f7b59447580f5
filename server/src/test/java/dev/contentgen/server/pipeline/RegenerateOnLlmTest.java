package dev.contentgen.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Artifact;
import dev.contentgen.api.ArtifactStatus;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A revision on the fake OpenAI-compatible server: the model is called for the regenerated step and
 * the steps that read it, never for a copied one; the instruction and the text it replaces reach
 * that step's prompt (and no other); every copied artifact is the parent's, byte for byte.
 */
class RegenerateOnLlmTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheChosenStepAndItsDependentsCallTheModelAndTheInstructionReachesItsPrompt() throws Exception {
        try (FakeLlmServer fake = new FakeLlmServer(FakeLlmServer.Wire.OPENAI)) {
            LlmConfig llm = LlmConfig.offline().withProvider("openai", "fake-model", fake.baseUrl()).withKeys(new ApiKey("sk-x"), null);
            try (Node node = new Node(TestNodes.config(dir).withLlm(llm)).start()) {
                Api api = new Api(TestNodes.uri(node));
                Job parent = completed(api, api.createJob(Map.of("topic", "Bees on rooftops", "length", "short")));
                assertThat(fake.requests()).as("outline, three sections, summary").hasSize(5);
                String previousSection2 = byStep(parent).get(2).content();

                int before = fake.requests().size();
                Job section = completed(api, api.post("/api/jobs/" + parent.id() + "/regenerate",
                        "{\"step\": \"section-2\", \"instruction\": \"shorter, with one concrete number\"}").as(Job.class));
                List<FakeLlmServer.Request> calls = List.copyOf(fake.requests().subList(before, fake.requests().size()));
                assertThat(calls).as("section 2, and the summary that reads the sections").hasSize(2);
                assertThat(calls.get(0).body()).contains("section 2 of 3", "shorter, with one concrete number",
                        "previous version", jsonEscaped(previousSection2.strip().substring(0, 40)));
                assertThat(calls.get(1).body()).contains("Give it a title and a summary").doesNotContain("shorter, with one concrete number");
                assertIdentical(parent, section, List.of(0, 1, 3));

                before = fake.requests().size();
                Job summary = completed(api, api.post("/api/jobs/" + section.id() + "/regenerate", "{\"step\": \"summary\"}").as(Job.class));
                assertThat(fake.requests().subList(before, fake.requests().size())).as("the summary alone: nothing reads it but the assembly")
                        .hasSize(1).allSatisfy(r -> assertThat(r.body()).contains("Give it a title and a summary", "previous version"));
                assertIdentical(section, summary, List.of(0, 1, 2, 3));

                before = fake.requests().size();
                completed(api, api.post("/api/jobs/" + parent.id() + "/regenerate", "{\"step\": \"outline\"}").as(Job.class));
                assertThat(fake.requests().subList(before, fake.requests().size())).as("the outline, every section that reads it, the summary")
                        .hasSize(5);
            }
        }
    }

    private static void assertIdentical(Job parent, Job revision, List<Integer> steps) {
        Map<Integer, Artifact> before = byStep(parent);
        Map<Integer, Artifact> after = byStep(revision);
        for (int step : steps) {
            assertThat(after.get(step).content()).as("step %d copied byte for byte", step).isEqualTo(before.get(step).content());
            assertThat(after.get(step).title()).isEqualTo(before.get(step).title());
        }
    }

    private static Job completed(Api api, Job job) throws Exception {
        var log = JobLogAssertions.assertConsistent(api.fullLog(job.id()));
        assertThat(log.terminal().status()).as("job %s", job.id()).isEqualTo(JobStatus.COMPLETED);
        return api.job(job.id());
    }

    private static Map<Integer, Artifact> byStep(Job job) {
        return job.artifacts().stream().filter(a -> a.status() == ArtifactStatus.COMPLETED)
                .collect(Collectors.toMap(Artifact::step, a -> a));
    }

    /** How a piece of text appears inside the JSON request body. */
    private static String jsonEscaped(String text) {
        String quoted = dev.contentgen.api.Json.write(text);
        return quoted.substring(1, quoted.length() - 1);
    }
}
