package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.store.JobScope;
import dev.contentgen.server.store.StreamSlots;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a stream writes as it opens: the {@code retry:} line and what the client missed go to the socket in one
 * write, so an opening costs one trip through Jetty's output and the socket, not two. A stream with nothing to
 * replay still sends its first bytes at once (the 200 must reach the client: a browser's EventSource reports the
 * stream open then).
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class OpeningWritesTest {
    @Parameter
    TestStore store;
    @TempDir
    Path dir;

    @Test
    void theRetryLineAndTheReplayGoOutInOneWrite() throws Exception {
        try (Node node = new Node(store.config(dir).withWorkers(0)).start()) {
            Job job = new Api(TestNodes.uri(node)).createJob("Opened with a replay");
            Writes writes = new Writes();
            StreamOpening.Open open = (StreamOpening.Open) opener(node).open(job.id(), 0, JobScope.everyone(), null, false);
            try {
                open.start(new SseWriter(writes));
                // Before, the retry line was written alone as the stream opened and the replay came in a second write.
                writes.awaitContaining("event: status\n");
                assertThat(writes.all()).hasSize(1);
                assertThat(writes.all().getFirst()).startsWith("retry: ").contains("id: 1\n", "event: status\n");
            } finally {
                open.clientGone(EndReason.CLIENT_CLOSED);
                open.close();
            }
        }
    }

    @Test
    void aStreamWithNothingToReplaySendsItsFirstBytesAtOnce() throws Exception {
        try (Node node = new Node(store.config(dir).withWorkers(0)).start()) {
            Job job = new Api(TestNodes.uri(node)).createJob("Opened at its head");
            long head = node.store().findHead(job.id()).orElseThrow().lastSeq();
            Writes writes = new Writes();
            StreamOpening.Open open = (StreamOpening.Open) opener(node).open(job.id(), head, JobScope.everyone(), null, false);
            try {
                open.start(new SseWriter(writes));
                writes.awaitContaining("retry: ");
                assertThat(writes.all()).containsExactly("retry: 2000\n\n");
            } finally {
                open.clientGone(EndReason.CLIENT_CLOSED);
                open.close();
            }
        }
    }

    private static StreamOpener opener(Node node) {
        StreamQuota unlimited = new StreamQuota(
                new StreamSlots(node.database().jdbi(), node.database().dialect(), Clock.systemUTC(), node.id()), 0);
        return new StreamOpener(node.store(), node.hub(), StreamSettings.defaults(), unlimited,
                new StreamTracker(new SimpleMeterRegistry(), Clock.systemUTC()));
    }

    /** Each write the stream makes, as text. */
    private static final class Writes extends OutputStream {
        private final List<String> writes = new ArrayList<>();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.write(b, off, len);
            writes.add(copy.toString(StandardCharsets.UTF_8));
        }

        synchronized List<String> all() {
            return List.copyOf(writes);
        }

        /** Waits (up to 10 s) until the writes so far contain {@code text}; the first drain runs on a thread of its own. */
        void awaitContaining(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!String.join("", all()).contains(text) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
    }
}
