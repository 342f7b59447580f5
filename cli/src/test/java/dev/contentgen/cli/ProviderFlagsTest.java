package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.FakeLlmServer;
import dev.contentgen.server.testing.JobLogAssertions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code contentgen serve} reads the provider from flags and environment, refuses what cannot work, and never prints the key. */
class ProviderFlagsTest {
    @TempDir
    Path dir;

    record Exit(int code, String output) {}

    /** Runs {@code contentgen serve ARGS} with exactly {@code env} for the provider variables; expects it to exit. */
    Exit serve(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--port", "0", "--data-dir", dir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.endsWith("_API_KEY") || k.startsWith("CONTENTGEN_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("serve did not exit");
        }
        return new Exit(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void openAiWithoutAKeyIsRefusedAtStartWithAClearMessage() throws Exception {
        Exit exit = serve(Map.of(), "--provider", "openai");
        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output()).contains("contentgen: provider openai needs OPENAI_API_KEY");
    }

    @Test
    void theProviderCanComeFromTheEnvironment() throws Exception {
        Exit exit = serve(Map.of("CONTENTGEN_PROVIDER", "anthropic"));
        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output()).contains("provider anthropic needs ANTHROPIC_API_KEY");
    }

    @Test
    void anUnknownProviderIsRefused() throws Exception {
        Exit exit = serve(Map.of(), "--provider", "gemini");
        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output()).contains("unknown provider 'gemini'");
    }

    @Test
    void aNodeProcessRunsAJobOnAnOpenAiCompatibleServerAndNeverPrintsTheKey() throws Exception {
        String key = "sk-cli-SECRET-424242";
        try (FakeLlmServer fake = new FakeLlmServer(FakeLlmServer.Wire.OPENAI);
             NodeProcess node = NodeProcess.start(dir, Map.of("OPENAI_API_KEY", key),
                     "--provider", "openai", "--base-url", fake.baseUrl(), "--model", "fake-model")) {
            Api api = new Api(node.uri());
            Job job = api.createJob(Map.of("topic", "From the command line", "length", "short"));
            var log = JobLogAssertions.assertConsistent(api.fullLog(job.id()));
            assertThat(log.terminal().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(fake.requests()).hasSize(5)
                    .allSatisfy(r -> assertThat(r.headers()).containsEntry("authorization", "Bearer " + key));
            assertThat(node.output()).anyMatch(line -> line.contains("provider openai, model fake-model"));
            node.terminate();
            assertThat(node.output()).noneMatch(line -> line.contains(key));
        }
    }
}
