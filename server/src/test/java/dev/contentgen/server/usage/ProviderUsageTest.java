package dev.contentgen.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Artifact;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.StepUsage;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.LlmConfig;
import dev.contentgen.server.pipeline.providers.ApiKey;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.FakeLlmServer;
import dev.contentgen.server.testing.FakeLlmServer.Wire;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.Scrape;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The token counts a provider reports (the fake server's {@code usage}, in each wire's own fields)
 * reach the step's {@code artifact.completed}, the job summary, {@code GET /api/jobs/{id}} and the
 * Prometheus counters, and a price table turns them into a cost (README "Tokens and cost").
 */
@ParameterizedClass
@EnumSource(Wire.class)
class ProviderUsageTest {
    @Parameter
    Wire wire;

    @TempDir
    Path dir;

    FakeLlmServer fake;
    Node node;
    Api api;

    @BeforeEach
    void startFake() throws Exception {
        fake = new FakeLlmServer(wire);
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        fake.close();
    }

    String provider() {
        return switch (wire) {
            case OPENAI -> "openai";
            case OLLAMA -> "ollama";
            case ANTHROPIC -> "anthropic";
        };
    }

    void start(Path prices) {
        LlmConfig llm = LlmConfig.offline().withProvider(provider(), "fake-model", fake.baseUrl())
                .withKeys(new ApiKey("sk-test-FAKE"), new ApiKey("sk-test-FAKE"))
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), 3);
        node = new Node(TestNodes.config(dir).withLlm(llm).withPricesFile(prices)).start();
        api = new Api(TestNodes.uri(node));
    }

    @Test
    void theReportedCountsReachTheEventsTheSummaryTheApiAndTheMetrics() throws Exception {
        start(null);
        Job created = api.createJob(Map.of("topic", "Counting tokens", "length", "short"));
        List<SseEvent> log = api.fullLog(created.id());
        JobLogAssertions.assertConsistent(log);
        Job job = api.job(created.id());
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);

        List<FakeLlmServer.Usage> reported = fake.reportedUsage();
        long input = reported.stream().mapToLong(FakeLlmServer.Usage::inputTokens).sum();
        long output = reported.stream().mapToLong(FakeLlmServer.Usage::outputTokens).sum();
        assertThat(reported).hasSize(fake.requests().size());
        assertThat(input).isPositive();
        assertThat(output).isPositive();

        // Each generating step's artifact.completed carries its call's counts, in the order the calls ended.
        List<StepUsage> fromEvents = log.stream().map(e -> e.logged().event())
                .filter(e -> e instanceof JobEvent.ArtifactCompleted c && c.usage() != null)
                .map(e -> ((JobEvent.ArtifactCompleted) e).usage()).toList();
        assertThat(fromEvents).extracting(StepUsage::inputTokens)
                .containsExactlyElementsOf(reported.stream().map(FakeLlmServer.Usage::inputTokens).toList());
        assertThat(fromEvents).extracting(StepUsage::outputTokens)
                .containsExactlyElementsOf(reported.stream().map(FakeLlmServer.Usage::outputTokens).toList());
        assertThat(fromEvents).allSatisfy(u -> {
            assertThat(u.provider()).isEqualTo(provider());
            assertThat(u.model()).isEqualTo("fake-model");
            assertThat(u.costUsd()).isNull();
        });
        // The assembly step calls no provider and says so by having no usage.
        assertThat(job.artifacts().getLast().usage()).isNull();

        Map<String, Object> summary = terminal(log).summary();
        assertThat(((Number) summary.get("inputTokens")).longValue()).isEqualTo(input);
        assertThat(((Number) summary.get("outputTokens")).longValue()).isEqualTo(output);
        assertThat(summary).doesNotContainKey("costUsd");

        assertThat(job.usage().inputTokens()).isEqualTo(input);
        assertThat(job.usage().outputTokens()).isEqualTo(output);
        assertThat(job.usage().costUsd()).isNull();
        assertThat(job.artifacts().stream().map(Artifact::usage).filter(u -> u != null).mapToLong(StepUsage::inputTokens).sum())
                .isEqualTo(input);

        Scrape scrape = Scrape.of(api);
        String labels = "model=\"fake-model\",provider=\"" + provider() + "\"";
        assertThat(scrape.sum("contentgen_llm_tokens_total", "kind=\"input\"," + labels)).isEqualTo((double) input);
        assertThat(scrape.sum("contentgen_llm_tokens_total", "kind=\"output\"," + labels)).isEqualTo((double) output);
    }

    @Test
    void aPriceTableGivesEachStepAndTheJobACost() throws Exception {
        Path prices = Files.writeString(dir.resolve("prices.yaml"), """
                models:
                  %s/fake-model:
                    input: 2.5
                    output: 10
                  other-model: {input: 1, output: 1}
                """.formatted(provider()));
        start(prices);
        Job created = api.createJob(Map.of("topic", "Counting cost", "length", "short"));
        List<SseEvent> log = api.fullLog(created.id());
        Job job = api.job(created.id());

        List<FakeLlmServer.Usage> reported = fake.reportedUsage();
        long input = reported.stream().mapToLong(FakeLlmServer.Usage::inputTokens).sum();
        long output = reported.stream().mapToLong(FakeLlmServer.Usage::outputTokens).sum();
        double expected = (input * 2.5 + output * 10) / 1_000_000;

        assertThat(job.usage().costUsd()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(((Number) terminal(log).summary().get("costUsd")).doubleValue())
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-7));
        for (Artifact a : job.artifacts()) {
            if (a.usage() != null) {
                assertThat(a.usage().costUsd()).isCloseTo((a.usage().inputTokens() * 2.5 + a.usage().outputTokens() * 10) / 1_000_000,
                        org.assertj.core.data.Offset.offset(1e-8));
            }
        }
        assertThat(Scrape.of(api).sum("contentgen_llm_cost_usd_total", "provider=\"" + provider() + "\""))
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-7));
    }

    private static JobEvent.Status terminal(List<SseEvent> log) {
        return (JobEvent.Status) log.getLast().logged().event();
    }
}
