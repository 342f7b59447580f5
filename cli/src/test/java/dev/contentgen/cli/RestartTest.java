package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.api.StreamError;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantee 5 on SQLite: stopping the node mid-job — by SIGKILL or SIGTERM — loses no finished step;
 * after a restart the job completes and a resuming subscriber sees one consistent log.
 */
class RestartTest {
    @TempDir
    Path dir;

    @Test
    void killedMidJobTheRestartedNodeResumesAtTheFirstUnfinishedStep() throws Exception {
        List<SseEvent> received = new ArrayList<>();
        String jobId;
        try (NodeProcess first = NodeProcess.start(dir, "--tokens-per-second", "400")) {
            Api api = new Api(first.uri());
            jobId = api.createJob(Map.of("topic", "Crash-proof pipelines")).id();
            try (SseStream stream = api.events(jobId, null)) {
                received.addAll(stream.readUntil(LogReading.midStep("section-2")));
                first.kill();
                LogReading.readUntilCut(stream, received);
            }
        }
        long lastSeen = received.getLast().seq();

        try (NodeProcess second = NodeProcess.start(dir, "--tokens-per-second", "0")) {
            Api api = new Api(second.uri());
            try (SseStream stream = api.events(jobId, lastSeen)) {
                received.addAll(stream.readAll());
            }
            List<SseEvent> full = api.fullLog(jobId);
            assertThat(received).as("one log, each event once").containsExactlyElementsOf(full);

            var log = JobLogAssertions.assertConsistent(received);
            assertThat(log.terminal().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(log.discarded()).as("the interrupted section is retracted").hasSize(1);
            assertThat(LogReading.statuses(received)).containsSubsequence("pending", "running", "retrying", "running", "completed");
            assertThat(log.ofKind("outline")).as("finished steps are not regenerated").hasSize(1);
            assertThat(log.ofKind("section")).hasSize(4);
            String article = log.finalArtifact().content();
            for (JobEvent.ArtifactCompleted section : log.ofKind("section")) {
                assertThat(article.split(java.util.regex.Pattern.quote("## " + section.title()), -1)).hasSize(2);
            }
            Job job = api.job(jobId);
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.attempt()).isEqualTo(2);
            assertThat(second.output()).anyMatch(l -> l.contains("resuming 1 job(s)"));
        }
    }

    @Test
    void terminatedMidJobTheNodeDrainsAndTellsStreamsToReconnect() throws Exception {
        List<SseEvent> received = new ArrayList<>();
        String jobId;
        try (NodeProcess first = NodeProcess.start(dir, "--tokens-per-second", "400")) {
            Api api = new Api(first.uri());
            jobId = api.createJob(Map.of("topic", "Graceful goodbyes")).id();
            try (SseStream stream = api.events(jobId, null)) {
                received.addAll(stream.readUntil(LogReading.midStep("section-2")));
                first.terminate();
                LogReading.readUntilCut(stream, received);
            }
            assertThat(first.output()).anyMatch(l -> l.contains("[STREAM_END]") && l.contains("reason=shutdown"));
        }
        SseEvent goodbye = received.getLast();
        assertThat(goodbye.isError()).as("last messages: %s", received.subList(Math.max(0, received.size() - 3), received.size())).as("the stream ends with an error event, not silence").isTrue();
        assertThat(Json.read(goodbye.data(), StreamError.class).code()).isEqualTo(ErrorCode.SERVER_SHUTTING_DOWN);
        assertThat(Json.read(goodbye.data(), StreamError.class).retryable()).isTrue();
        long lastSeen = received.stream().filter(e -> !e.isError()).toList().getLast().seq();

        try (NodeProcess second = NodeProcess.start(dir, "--tokens-per-second", "0")) {
            Api api = new Api(second.uri());
            try (SseStream stream = api.events(jobId, lastSeen)) {
                received.addAll(stream.readAll());
            }
            List<SseEvent> jobEvents = received.stream().filter(e -> !e.isError()).toList();
            assertThat(jobEvents).containsExactlyElementsOf(api.fullLog(jobId));
            var log = JobLogAssertions.assertConsistent(jobEvents);
            assertThat(log.terminal().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(log.discarded()).hasSize(1);
            assertThat(LogReading.statuses(jobEvents)).containsSubsequence("pending", "running", "pending", "running", "completed")
                    .doesNotContain("retrying");
            assertThat(api.job(jobId).attempt()).as("a hand-back is not a failure").isEqualTo(1);
        }
    }

}
