package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code contentgen generate} against a real node: what it prints, what it writes, and the exit code for each outcome. */
class GenerateCommandTest {
    @TempDir
    Path dir;

    @Test
    void aCompletedJobPrintsItsTextWritesTheArticleAndExits0() throws Exception {
        try (Node node = new Node(TestNodes.config(dir.resolve("data"))).start()) {
            Path article = dir.resolve("article.md");
            CliRun run = CliRun.of("generate", "Why SSE streams die", "--length", "short", "--tone", "friendly",
                    "--server", TestNodes.uri(node).toString(), "--out", article.toString());

            assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
            Job job = onlyJob(node);
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(Files.readString(article)).isEqualTo(job.artifacts().getLast().content());
            assertThat(run.out()).as("every artifact's text, as it streamed")
                    .contains(job.artifacts().stream().filter(a -> a.kind().equals("section")).map(a -> a.content().strip()).toList());
            assertThat(run.err()).contains("job " + job.id() + " created", "step 1/6: ", "status: completed", "wrote " + article);
        }
    }

    @Test
    void jsonPrintsEachEventOfTheServersLogAsOneLine() throws Exception {
        try (Node node = new Node(TestNodes.config(dir)).start()) {
            CliRun run = CliRun.of("generate", "Lines", "--json", "--server", TestNodes.uri(node).toString());

            assertThat(run.exit()).isEqualTo(ExitCode.COMPLETED);
            var lines = Arrays.stream(run.out().split("\n")).map(Json::readEvent).toList();
            var log = new Api(TestNodes.uri(node)).fullLog(onlyJob(node).id()).stream().map(SseEvent::logged).toList();
            assertThat(lines).containsExactlyElementsOf(log);
            assertThat(lines.getLast()).extracting(LoggedEvent::isTerminal).isEqualTo(true);
        }
    }

    @Test
    void aFailedJobExits1WithTheReason() {
        ScriptedProvider provider = new ScriptedProvider().failAt("section", "boom");
        try (Node node = new Node(TestNodes.config(dir)).provider(provider).start()) {
            CliRun run = CliRun.of("generate", "Doomed", "--server", TestNodes.uri(node).toString(), "--out", dir.resolve("x.md").toString());

            assertThat(run.exit()).isEqualTo(ExitCode.JOB_FAILED);
            assertThat(run.err()).contains("status: failed", "job " + onlyJob(node).id() + " failed", "GENERATION_FAILED");
            assertThat(dir.resolve("x.md")).doesNotExist();
        }
    }

    @Test
    void aJobCancelledMeanwhileExits3() throws Exception {
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0)).start()) {
            Api api = new Api(TestNodes.uri(node));
            CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(
                    () -> CliRun.of("generate", "Changed my mind", "--server", TestNodes.uri(node).toString()),
                    r -> Thread.ofVirtual().start(r));
            String id = awaitJobId(api);
            assertThat(api.post("/api/jobs/" + id + "/cancel", "").status()).isEqualTo(200);

            assertThat(run.get().exit()).isEqualTo(ExitCode.JOB_CANCELLED);
            assertThat(run.get().err()).contains("job " + id + " was cancelled");
        }
    }

    @Test
    void anUnreachableServerExits4AfterTheRetries() throws Exception {
        int port = NodeProcess.freePort();
        CliRun run = CliRun.of("generate", "Anyone there?", "--server", "http://127.0.0.1:" + port, "--connect-attempts", "2");

        assertThat(run.exit()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(run.err()).contains("retrying: create job (attempt 2, in ", "Cannot reach the server at http://127.0.0.1:" + port,
                "connection refused", "Gave up after 2 attempts");
    }

    @Test
    void providerModelAndAudienceReachTheJobAndAnUnknownProviderIsBadInput() {
        try (Node node = new Node(TestNodes.config(dir)).start()) {
            CliRun run = CliRun.of("generate", "Chosen engines", "--length", "short", "--provider", "offline", "--model", "offline",
                    "--audience", "platform engineers", "--server", TestNodes.uri(node).toString());
            assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
            Job job = onlyJob(node);
            assertThat(job.provider()).isEqualTo("offline");
            assertThat(job.model()).isEqualTo("offline");
            assertThat(job.audience()).isEqualTo("platform engineers");

            CliRun unknown = CliRun.of("generate", "Chosen engines", "--provider", "nonesuch", "--server", TestNodes.uri(node).toString());
            assertThat(unknown.exit()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(unknown.err()).contains("UNKNOWN_PROVIDER", "This server offers: offline");
        }
    }

    @Test
    void badInputExits2WithWhatToChange() {
        try (Node node = new Node(TestNodes.config(dir)).start()) {
            CliRun blank = CliRun.of("generate", "  ", "--server", TestNodes.uri(node).toString());
            assertThat(blank.exit()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(blank.err()).contains("400 INVALID_FIELD", "'topic' must not be blank");

            CliRun badLength = CliRun.of("generate", "Fine topic", "--length", "huge", "--server", TestNodes.uri(node).toString());
            assertThat(badLength.exit()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(badLength.err()).contains("unknown length 'huge'; use one of: short, medium, long");

            assertThat(CliRun.of("generate").exit()).as("no topic").isEqualTo(ExitCode.BAD_INPUT);
            CliRun noAttempts = CliRun.of("generate", "Fine topic", "--connect-attempts", "0", "--server", TestNodes.uri(node).toString());
            assertThat(noAttempts.exit()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(noAttempts.err()).contains("--connect-attempts must be at least 1");
            assertThat(new Api(TestNodes.uri(node)).get("/api/jobs").as(JobPage.class).jobs()).as("nothing was created").isEmpty();
        }
    }

    private static Job onlyJob(Node node) {
        var jobs = new Api(TestNodes.uri(node)).get("/api/jobs").as(JobPage.class).jobs();
        assertThat(jobs).hasSize(1);
        return new Api(TestNodes.uri(node)).job(jobs.getFirst().id());
    }

    private static String awaitJobId(Api api) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() - deadline < 0) {
            var jobs = api.get("/api/jobs").as(JobPage.class).jobs();
            if (!jobs.isEmpty()) {
                return jobs.getFirst().id();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("generate created no job");
    }
}
