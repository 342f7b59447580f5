package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.RevisionList;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code contentgen regenerate} and {@code contentgen revisions} against a real node: the revision streams like generate, and refusals exit 2. */
class RegenerateCommandTest {
    @TempDir
    Path dir;

    @Test
    void regenerateFollowsTheRevisionToTheEndAndRevisionsListsThePiece() throws Exception {
        try (Node node = new Node(TestNodes.config(dir.resolve("data"))).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job parent = api.createJob(Map.of("topic", "Night trains", "length", "short"));
            api.fullLog(parent.id());
            Path article = dir.resolve("revised.md");

            CliRun run = CliRun.of("regenerate", parent.id(), "--step", "section-3", "--instruction", "shorter",
                    "--server", TestNodes.uri(node).toString(), "--out", article.toString());

            assertThat(run.exit()).as(run.err()).isEqualTo(ExitCode.COMPLETED);
            Job revision = api.get("/api/jobs?limit=1").as(JobPage.class).jobs().getFirst();
            assertThat(revision.revision().parentId()).isEqualTo(parent.id());
            Job finished = api.job(revision.id());
            assertThat(finished.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(Files.readString(article)).isEqualTo(finished.artifacts().getLast().content());
            assertThat(run.err()).contains("job " + revision.id() + " created", "revision 1 of " + parent.id(), "regenerating section-3",
                    "kept from the previous version", "status: completed");

            CliRun history = CliRun.of("revisions", revision.id(), "--server", TestNodes.uri(node).toString());
            assertThat(history.exit()).as(history.err()).isEqualTo(ExitCode.COMPLETED);
            assertThat(history.out().lines()).hasSize(2);
            assertThat(history.out().lines().toList().get(0)).startsWith(parent.id()).contains("original");
            assertThat(history.out().lines().toList().get(1)).startsWith(revision.id()).contains("revision 1 of " + parent.id(), "section-3", "\"shorter\"");

            CliRun json = CliRun.of("revisions", parent.id(), "--json", "--server", TestNodes.uri(node).toString());
            assertThat(dev.contentgen.api.Json.read(json.out(), RevisionList.class).revisions()).extracting(Job::id)
                    .containsExactly(parent.id(), revision.id());
        }
    }

    @Test
    void anUnknownStepExits2ListingTheStepsAndAnUnknownJobExits5() throws Exception {
        try (Node node = new Node(TestNodes.config(dir)).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job parent = api.createJob(Map.of("topic", "Quiet offices", "length", "short"));
            api.fullLog(parent.id());

            CliRun unknown = CliRun.of("regenerate", parent.id(), "--step", "chapter-1", "--server", TestNodes.uri(node).toString());
            assertThat(unknown.exit()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(unknown.err()).contains("UNKNOWN_STEP", "outline, section-1, section-2, section-3, summary");

            CliRun missing = CliRun.of("regenerate", "0190f0e0-0000-7000-8000-000000000000", "--step", "outline",
                    "--server", TestNodes.uri(node).toString());
            assertThat(missing.exit()).isEqualTo(ExitCode.NOT_FOUND);
            assertThat(api.get("/api/jobs?limit=100").as(JobPage.class).jobs()).as("nothing was created").hasSize(1);
        }
    }
}
