package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.RetentionPolicy;
import dev.contentgen.server.store.Retention;
import java.time.Clock;
import java.time.Duration;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code contentgen watch} and {@code contentgen jobs list|show|cancel} against a real node. */
class JobsAndWatchCommandTest {
    @TempDir
    Path dir;

    @Test
    void watchFollowsAJobFromAnyPointAndWritesTheArticle() throws Exception {
        try (Node node = new Node(TestNodes.config(dir.resolve("data"))).start()) {
            Api api = new Api(TestNodes.uri(node));
            String server = TestNodes.uri(node).toString();
            Job job = api.createJob(Map.of("topic", "Watched", "length", "short"));
            Path out = dir.resolve("watched.md");

            CliRun all = CliRun.of("watch", job.id(), "--server", server, "--out", out.toString());
            assertThat(all.exit()).isEqualTo(ExitCode.COMPLETED);
            assertThat(Files.readString(out)).isEqualTo(api.job(job.id()).artifacts().getLast().content());

            Files.delete(out);
            long lastSeq = api.job(job.id()).lastSeq();
            CliRun afterTheEnd = CliRun.of("watch", job.id(), "--server", server, "--after", Long.toString(lastSeq), "--out", out.toString());
            assertThat(afterTheEnd.exit()).as("nothing left to stream, and the job completed").isEqualTo(ExitCode.COMPLETED);
            assertThat(Files.readString(out)).isEqualTo(api.job(job.id()).artifacts().getLast().content());

            CliRun rest = CliRun.of("watch", job.id(), "--server", server, "--after", "5", "--json");
            assertThat(Arrays.stream(rest.out().split("\n")).map(Json::readEvent).map(e -> e.seq()).toList().getFirst()).isEqualTo(6L);

            CliRun unknown = CliRun.of("watch", "01900000-0000-7000-8000-000000000000", "--server", server);
            assertThat(unknown.exit()).isEqualTo(ExitCode.NOT_FOUND);
            assertThat(unknown.err()).contains("No job with id '01900000-0000-7000-8000-000000000000'");
        }
    }

    @Test
    void watchingACompactedJobShowsTheSameArticleAndJobsDeleteRemovesIt() throws Exception {
        try (Node node = new Node(TestNodes.config(dir.resolve("data"))).start()) {
            Api api = new Api(TestNodes.uri(node));
            String server = TestNodes.uri(node).toString();
            Job job = api.createJob(Map.of("topic", "Watched after compaction", "length", "short"));
            api.fullLog(job.id());
            String article = api.job(job.id()).artifacts().getLast().content();
            CliRun before = CliRun.of("watch", job.id(), "--server", server);
            new Retention(node.database().jdbi(), node.database().dialect(), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)),
                    node.store()).run(RetentionPolicy.defaults());
            Path out = dir.resolve("compacted.md");

            CliRun after = CliRun.of("watch", job.id(), "--server", server, "--out", out.toString());

            assertThat(after.exit()).isEqualTo(ExitCode.COMPLETED);
            assertThat(Files.readString(out)).isEqualTo(article);
            assertThat(after.out()).as("the text printed from the snapshot").isEqualTo(before.out());
            assertThat(after.err()).contains("snapshot");

            CliRun deleted = CliRun.of("jobs", "delete", job.id(), "--server", server);
            assertThat(deleted.exit()).isEqualTo(ExitCode.COMPLETED);
            assertThat(api.get("/api/jobs/" + job.id()).status()).isEqualTo(404);
            assertThat(CliRun.of("jobs", "delete", job.id(), "--server", server).exit()).isEqualTo(ExitCode.NOT_FOUND);
        }
    }

    @Test
    void jobsListShowAndCancel() {
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0)).start()) {
            Api api = new Api(TestNodes.uri(node));
            String server = TestNodes.uri(node).toString();
            Job older = api.createJob("Older");
            Job newer = api.createJob("Newer");

            CliRun list = CliRun.of("jobs", "list", "--server", server, "--limit", "1");
            assertThat(list.exit()).isZero();
            assertThat(list.out()).contains(newer.id(), "pending", "Newer", "more: contentgen jobs list --cursor " + newer.id())
                    .doesNotContain(older.id());

            CliRun show = CliRun.of("jobs", "show", older.id(), "--server", server);
            assertThat(show.out()).contains("job      " + older.id(), "topic    Older", "status   pending");
            assertThat(Json.read(CliRun.of("jobs", "show", older.id(), "--server", server, "--json").out(), Job.class).id())
                    .isEqualTo(older.id());

            CliRun cancel = CliRun.of("jobs", "cancel", older.id(), "--server", server);
            assertThat(cancel.exit()).isZero();
            assertThat(cancel.out()).contains("cancelled: job " + older.id());
            assertThat(api.job(older.id()).status()).isEqualTo(JobStatus.CANCELLED);

            assertThat(CliRun.of("jobs", "cancel", "no-such-job", "--server", server).exit()).isEqualTo(ExitCode.NOT_FOUND);
            assertThat(CliRun.of("jobs", "--help").out()).contains("list", "show", "cancel");
        }
    }

    @Test
    void jobsListFiltersByStatusAndTopicAndTheNextPageKeepsTheFilter() {
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0)).start()) {
            Api api = new Api(TestNodes.uri(node));
            String server = TestNodes.uri(node).toString();
            Job why = api.createJob("Why SSE streams die");
            Job sourdough = api.createJob("Sourdough");
            Job twice = api.createJob("Why SSE streams die twice");
            Job cancelled = api.createJob("Cancelled SSE talk");
            assertThat(api.post("/api/jobs/" + cancelled.id() + "/cancel", "").status()).isEqualTo(200);

            CliRun onlyCancelled = CliRun.of("jobs", "list", "--server", server, "--status", "cancelled");
            assertThat(onlyCancelled.exit()).isEqualTo(ExitCode.COMPLETED);
            assertThat(onlyCancelled.out()).contains(cancelled.id(), "Cancelled SSE talk")
                    .doesNotContain(why.id(), sourdough.id(), twice.id());

            CliRun sse = CliRun.of("jobs", "list", "--server", server, "--status", "pending,CANCELLED", "--search", "sse", "--json");
            assertThat(Json.read(sse.out(), JobPage.class).jobs()).as("either status, the topic in any case")
                    .extracting(Job::id).containsExactly(cancelled.id(), twice.id(), why.id());

            CliRun first = CliRun.of("jobs", "list", "--server", server, "--status", "pending", "--search", "SSE streams", "--limit", "1");
            assertThat(first.out()).contains(twice.id()).doesNotContain(why.id())
                    .contains("more: contentgen jobs list --cursor " + twice.id() + " --status pending --search 'SSE streams'");
            CliRun next = CliRun.of("jobs", "list", "--server", server, "--cursor", twice.id(), "--status", "pending",
                    "--search", "SSE streams", "--limit", "1");
            assertThat(next.out()).contains(why.id()).doesNotContain(twice.id(), "more:");

            CliRun none = CliRun.of("jobs", "list", "--server", server, "--status", "running", "--json");
            assertThat(Json.read(none.out(), JobPage.class).jobs()).isEmpty();

            CliRun unknown = CliRun.of("jobs", "list", "--server", server, "--status", "pending,runing");
            assertThat(unknown.exit()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(unknown.err()).contains("unknown status 'runing'", "pending, running, retrying, completed, failed, cancelled");

            CliRun tooLong = CliRun.of("jobs", "list", "--server", server, "--search", "x".repeat(501));
            assertThat(tooLong.exit()).as("the server's refusal").isEqualTo(ExitCode.BAD_INPUT);
            assertThat(tooLong.err()).contains("'q' is too long");
        }
    }
}
