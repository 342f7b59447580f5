package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.QueuePosition;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate} tells a waiting job's place in the queue, and ends with the job's tokens and cost. */
class UsageAndQueueLineTest {
    @TempDir
    Path dir;

    @Test
    void theSummaryLineHasTheJobsTokensAndCost() throws Exception {
        Path prices = Files.writeString(dir.resolve("prices.yaml"), "models:\n  offline: {input: 3, output: 15}\n");
        try (Node node = new Node(TestNodes.config(dir.resolve("data")).withPricesFile(prices)).start()) {
            CliRun run = CliRun.of("generate", "Tokens on the last line", "--length", "short", "--server", TestNodes.uri(node).toString());

            assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
            Job job = new Api(TestNodes.uri(node)).get("/api/jobs").as(JobPage.class).jobs().getFirst();
            Job full = new Api(TestNodes.uri(node)).job(job.id());
            String tokens = String.format(java.util.Locale.ROOT, "%,d input + %,d output tokens",
                    full.usage().inputTokens(), full.usage().outputTokens());
            assertThat(run.err()).contains("status: completed — ").contains(tokens)
                    .contains(SummaryLine.dollars(full.usage().costUsd()));
            assertThat(CliRun.of("jobs", "show", job.id(), "--server", TestNodes.uri(node).toString()).out())
                    .contains("tokens   " + tokens.replace(" tokens", "") + ", " + SummaryLine.dollars(full.usage().costUsd()));
        }
    }

    @Test
    void aWaitingJobSaysHowManyAreAheadAndHowBusyTheWorkersAre() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch gate = provider.gateAt("outline", 2);
        try (Node node = new Node(TestNodes.config(dir.resolve("data")).withWorkers(1)).provider(provider).start()) {
            Api api = new Api(TestNodes.uri(node));
            api.createJob(Map.of("topic", "Holds the only worker", "length", "short"));
            assertThat(provider.awaitGateReached(Duration.ofSeconds(30))).isTrue();
            api.createJob(Map.of("topic", "Also waiting", "length", "short"));

            CliRun.Live run = CliRun.start("generate", "Waits its turn", "--length", "short", "--server", TestNodes.uri(node).toString());
            awaitPrinted(run, "waiting: 1 job ahead, the one worker busy");
            String waiting = api.get("/api/jobs").as(JobPage.class).jobs().getFirst().id();
            assertThat(CliRun.of("jobs", "show", waiting, "--server", TestNodes.uri(node).toString()).out())
                    .contains("queue    1 job ahead, the one worker busy");
            gate.countDown();
            CliRun done = run.done().get(60, TimeUnit.SECONDS);
            assertThat(done.exit()).as(done.err()).isEqualTo(ExitCode.COMPLETED);
            assertThat(done.err()).containsOnlyOnce("waiting: 1 job ahead, the one worker busy");
        }
    }

    @Test
    void theQueueLineReadsWellInEveryCase() {
        assertThat(QueueWatcher.describe(new QueuePosition(1, 0, 4, 2))).isEqualTo("waiting: next in line, 2 of 4 workers busy");
        assertThat(QueueWatcher.describe(new QueuePosition(4, 3, 4, 4))).isEqualTo("waiting: 3 jobs ahead, all 4 workers busy");
        assertThat(QueueWatcher.describe(new QueuePosition(2, 1, 1, 1))).isEqualTo("waiting: 1 job ahead, the one worker busy");
        assertThat(QueueWatcher.describe(new QueuePosition(3, 2, 0, 0)))
                .isEqualTo("waiting: 2 jobs ahead, no node runs jobs (every node has --workers 0)");
    }

    @Test
    void costsKeepThreeSignificantDigits() {
        assertThat(SummaryLine.dollars(0.0031234)).isEqualTo("$0.00312");
        assertThat(SummaryLine.dollars(12.3456)).isEqualTo("$12.3");
        assertThat(SummaryLine.dollars(0)).isEqualTo("$0");
    }

    /** Waits for the run to print {@code text} (it asks the server every two seconds); fails after a generous bound. */
    private static void awaitPrinted(CliRun.Live run, String text) throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(30);
        while (!run.err().toString().contains(text)) {
            if (Instant.now().isAfter(giveUp) || run.done().isDone()) {
                throw new AssertionError("never printed '" + text + "'; stderr so far:\n" + run.err());
            }
            Thread.sleep(50);
        }
    }
}
