package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.notify.LocalNotifier;
import dev.contentgen.server.store.ClaimedJob;
import dev.contentgen.server.store.Ids;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.LogCapture;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md: a subscriber that stops reading holds nothing but its own socket; its write times out
 * and the stream is closed (reason logged), and it never slows the others.
 */
class SlowReaderTest {
    /** Far more than the socket buffers of both ends hold, so a client that reads nothing blocks the server's write. */
    private static final int EVENTS = 80;
    private static final int EVENT_TEXT = 100 * 1024;

    @TempDir
    Path dir;

    @Test
    void aClientThatStopsReadingIsCutAfterTheWriteTimeoutWhileAnotherReadsEverything() throws Exception {
        var config = TestStore.SQLITE.config(dir).withWorkers(0).withWriteTimeout(Duration.ofSeconds(5));
        try (LogCapture logs = new LogCapture(); Node node = new Node(config).start()) {
            String jobId = writeLongFinishedJob(node);
            Api api = new Api(TestNodes.uri(node));
            try (Socket stalled = new Socket()) {
                stalled.setReceiveBufferSize(4096);
                stalled.connect(new InetSocketAddress("127.0.0.1", node.port()));
                OutputStream request = stalled.getOutputStream();
                request.write(("GET /api/jobs/" + jobId + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                request.flush();
                awaitLine(logs, "[STREAM_START] job=" + jobId);

                // The stalled stream's write is blocked now; another reader of the same job gets all of it.
                List<SseEvent> events;
                try (SseStream reader = api.events(jobId, null)) {
                    events = reader.readAll();
                }
                assertThat(events).hasSize(EVENTS);
                assertThat(JobLogAssertions.assertConsistent(events).terminal().status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(logs.lines()).noneMatch(l -> l.contains("reason=write_timeout"));

                String cut = awaitLine(logs, "reason=write_timeout");
                assertThat(cut).contains("[STREAM_END] job=" + jobId);
                assertThat(sentOf(cut)).isLessThan(EVENTS);
                assertThat(node.hub().openStreams()).isZero();
            }
        }
    }

    /** A finished job of {@link #EVENTS} events, about 8 MB of text (and as much again in the completed artifact), written straight into the node's store. */
    static String writeLongFinishedJob(Node node) {
        Store store = new Store(node.database().jdbi(), node.database().dialect(), Clock.systemUTC(), new SimpleMeterRegistry(),
                new LocalNotifier());
        String id = store.createJob(JobRequest.of("A reader that stops reading"), null).job().id();
        ClaimedJob job = store.claimNext("test", 600_000).orElseThrow();
        String artifact = Ids.newId(Clock.systemUTC());
        long lastSeq = store.append(job.run(), job.lastSeq(), List.of(new JobEvent.ArtifactCreated(artifact, "article", "Long", 0)))
                .getLast().seq();
        String text = "x".repeat(EVENT_TEXT);
        StringBuilder content = new StringBuilder();
        List<JobEvent> batch = new ArrayList<>();
        for (long seq = lastSeq + 1; seq <= EVENTS - 2; seq++) {
            batch.add(new JobEvent.ArtifactDelta(artifact, text));
            content.append(text);
            if (batch.size() == 10) {
                lastSeq = store.append(job.run(), lastSeq, batch).getLast().seq();
                batch = new ArrayList<>();
            }
        }
        batch.add(new JobEvent.ArtifactCompleted(artifact, "article", "Long", content.toString()));
        batch.add(new JobEvent.Status(JobStatus.COMPLETED, job.attempt(), null, null));
        store.append(job.run(), lastSeq, batch);
        return id;
    }

    static String awaitLine(LogCapture logs, String text) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            for (String line : logs.lines()) {
                if (line.contains(text)) {
                    return line;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no log line with " + text + " within 60 s: " + logs.lines());
    }

    private static long sentOf(String endLine) {
        return Long.parseLong(endLine.replaceAll(".* sent=(\\d+) .*", "$1"));
    }
}
