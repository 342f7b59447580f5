package dev.contentgen.server.pipeline.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.FormatList;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shipped format runs end to end on the fake OpenAI-compatible server: one call per
 * generating step (none for the assembly), each prompt its step's, with what the step reads.
 */
class FormatsOnLlmTest {
    @TempDir
    Path dir;

    @Test
    void everyShippedFormatCallsTheModelOncePerGeneratingStepWithItsPrompt() throws Exception {
        try (FakeLlmServer fake = new FakeLlmServer(FakeLlmServer.Wire.OPENAI)) {
            LlmConfig llm = LlmConfig.offline().withProvider("openai", "fake-model", fake.baseUrl()).withKeys(new ApiKey("sk-x"), null);
            try (Node node = new Node(TestNodes.config(dir).withLlm(llm)).start()) {
                Api api = new Api(TestNodes.uri(node));
                FormatList list = api.get("/api/formats").as(FormatList.class);
                for (String name : ShippedFormatsTest.SHIPPED) {
                    FormatList.Entry format = list.find(name).orElseThrow();
                    int before = fake.requests().size();
                    Job job = api.createJob(Map.of("topic", "Tidal power in " + name, "format", name, "length", "short"));
                    var log = JobLogAssertions.assertConsistent(api.fullLog(job.id()));
                    assertThat(log.terminal().status()).as(name).isEqualTo(JobStatus.COMPLETED);
                    assertThat(log.finalArtifact().kind()).as(name).isEqualTo(format.assembly().kind());

                    int calls = format.steps().stream().mapToInt(s -> s.repeat() ? format.options().parts().get("short") : 1).sum();
                    List<FakeLlmServer.Request> requests = fake.requests().subList(before, fake.requests().size());
                    assertThat(requests).as(name + ": one call per generating step").hasSize(calls);
                    assertThat(requests).allSatisfy(r -> assertThat(r.body()).contains("Tidal power in " + name));
                }
                String seoPrompt = fake.requests().stream().map(FakeLlmServer.Request::body)
                        .filter(b -> b.contains("SEO pack")).findFirst().orElseThrow();
                assertThat(seoPrompt).as("the SEO step reads the summary and the sections").contains("**Title tag:**", "\\n## ");
            }
        }
    }
}
