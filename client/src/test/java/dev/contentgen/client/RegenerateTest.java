package dev.contentgen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Length;
import dev.contentgen.api.RegenerateRequest;
import dev.contentgen.api.RevisionList;
import dev.contentgen.client.testing.TestClients;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK regenerates a step as a revision, streams it like any job, reads the history, and reports refusals by code. */
class RegenerateTest {
    @TempDir
    Path dir;

    @Test
    void regenerateStreamsTheRevisionAndRevisionsListThePiece() throws Exception {
        try (Node node = new Node(TestNodes.config(dir)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            Jobs jobs = client.jobs();
            Job parent = jobs.create(new JobRequest("Rain gardens", dev.contentgen.api.Format.ARTICLE, dev.contentgen.api.Tone.NEUTRAL, Length.SHORT));
            assertThat(last(followed(jobs, parent.id())).status()).isEqualTo(JobStatus.COMPLETED);

            Job revision = jobs.regenerate(parent.id(), new RegenerateRequest("section-1", "shorter"), "rev-key");
            assertThat(jobs.regenerate(parent.id(), new RegenerateRequest("section-1", "shorter"), "rev-key").id())
                    .as("the same key, the same revision").isEqualTo(revision.id());
            assertThat(revision.revision().parentId()).isEqualTo(parent.id());
            assertThat(revision.revision().step()).isEqualTo("section-1");

            List<JobEvent> events = followed(jobs, revision.id());
            assertThat(last(events).status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(events).filteredOn(e -> e instanceof JobEvent.ArtifactCompleted c && Boolean.TRUE.equals(c.reused()))
                    .as("outline, section 2, section 3 copied").hasSize(3);

            RevisionList history = jobs.revisions(revision.id());
            assertThat(history.revisionOf()).isEqualTo(parent.id());
            assertThat(history.revisions()).extracting(Job::id).containsExactly(parent.id(), revision.id());

            ContentGenException unknown = catchThrowableOfType(ContentGenException.class,
                    () -> jobs.regenerate(parent.id(), new RegenerateRequest("chapter-1")));
            assertThat(unknown.failure()).isInstanceOfSatisfying(Failure.Rejected.class, r -> {
                assertThat(r.code()).isEqualTo(ErrorCode.UNKNOWN_STEP);
                assertThat(r.detail()).contains("section-1");
            });
            ContentGenException missing = catchThrowableOfType(ContentGenException.class,
                    () -> jobs.revisions("0190f0e0-0000-7000-8000-000000000000"));
            assertThat(missing.failure()).isInstanceOf(Failure.JobNotFound.class);
        }
    }

    @Test
    void aJobNotCompletedIsRejectedWithItsCode() {
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            Job pending = client.jobs().create(JobRequest.of("Waits"));
            ContentGenException e = catchThrowableOfType(ContentGenException.class,
                    () -> client.jobs().regenerate(pending.id(), new RegenerateRequest("outline")));
            assertThat(e.failure()).isInstanceOfSatisfying(Failure.Rejected.class, r -> {
                assertThat(r.status()).isEqualTo(409);
                assertThat(r.code()).isEqualTo(ErrorCode.JOB_NOT_COMPLETED);
            });
        }
    }

    private static List<JobEvent> followed(Jobs jobs, String id) throws Exception {
        List<JobEvent> events = new ArrayList<>();
        try (EventStream stream = jobs.events(id)) {
            for (JobEvent e : stream.jobEvents()) {
                events.add(e);
            }
        }
        return events;
    }

    private static JobEvent.Status last(List<JobEvent> events) {
        return (JobEvent.Status) events.getLast();
    }
}
