package dev.contentgen.server.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.api.StreamError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One multiplexed stream's response, shared by the cursors of its jobs: one writer at a time, and every
 * job event's {@code id:} is the stream's resume vector, the last seq written of each job in the order of
 * the request's {@code job} parameters ({@code 12,0,45}), so a reconnect with it as Last-Event-ID resumes
 * every job exactly after its own last event. The vector is updated under the same lock as the write, so it
 * always says what the wire carries. The frame's event and data lines are the node's shared bytes.
 */
final class MultiplexOutput {
    private final SseWriter writer;
    private final long[] positions;
    private final long quietNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** The code of the stream-level error written last, null once anything else was: the same one from every cursor is said once. */
    private ErrorCode lastStreamError;
    private boolean shutdownSaid;
    /** The response is ending: nothing more may be written to it. */
    private boolean closed;

    /** {@code after}: each job's resume point, in the order of the request; {@code heartbeat}: the keepalive interval. */
    MultiplexOutput(SseWriter writer, long[] after, Duration heartbeat) {
        this.writer = writer;
        this.positions = after.clone();
        this.quietNanos = heartbeat.toNanos() / 2;
    }

    /** The share of job number {@code index} (its place among the request's jobs). */
    CursorOutput forJob(int index) {
        return new JobShare(index);
    }

    /** The stream's first bytes, sent at once: its cursors' first writes come from their own threads, maybe much later. */
    void begin(Duration clientRetry) throws IOException {
        writer.begin(clientRetry);
        writer.flush();
    }

    /** A frame that is no job's event ({@code event: job} of the live list, a per-job error): no id, it moves no resume point. */
    void unnumbered(byte[] frame) throws IOException {
        lock.lock();
        try {
            open();
            writer.frames(frame);
            lastStreamError = null;
        } finally {
            lock.unlock();
        }
    }

    void jobError(String jobId, StreamError error) throws IOException {
        unnumbered(SseFrames.utf8Frame("error", jobErrorData(jobId, error)));
    }

    /** Written once however many cursors report it at once; a shutdown only once at all. */
    void streamError(StreamError error) throws IOException {
        lock.lock();
        try {
            boolean shutdown = error.code() == ErrorCode.SERVER_SHUTTING_DOWN;
            if (shutdown ? shutdownSaid : error.code() == lastStreamError && System.nanoTime() - writer.lastWriteNanos() < quietNanos) {
                return;
            }
            open();
            shutdownSaid |= shutdown;
            writer.streamError(error);
            lastStreamError = error.code();
        } finally {
            lock.unlock();
        }
    }

    /** A keepalive, unless another cursor of the stream (or anything else) wrote within half an interval. */
    void keepalive() throws IOException {
        lock.lock();
        try {
            if (System.nanoTime() - writer.lastWriteNanos() >= quietNanos) {
                open();
                writer.keepalive();
            }
        } finally {
            lock.unlock();
        }
    }

    /** After this, every write fails: the response is handed back to the server. */
    void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private void open() throws IOException {
        if (closed) {
            throw new IOException("the multiplexed stream has ended");
        }
    }

    long lastWriteNanos() {
        return writer.lastWriteNanos();
    }

    private void events(int index, List<EncodedEvent> events) throws IOException {
        lock.lock();
        try {
            open();
            ByteArrayOutputStream out = new ByteArrayOutputStream(events.size() * 256);
            for (EncodedEvent event : events) {
                positions[index] = event.seq();
                out.write(("id: " + vector() + "\n").getBytes(StandardCharsets.US_ASCII));
                byte[] frame = event.frame();
                // The shared frame without its own "id: <seq>" line.
                int body = indexOf(frame, (byte) '\n') + 1;
                out.write(frame, body, frame.length - body);
            }
            writer.frames(out.toByteArray());
            lastStreamError = null;
        } finally {
            lock.unlock();
        }
    }

    private String vector() {
        StringBuilder id = new StringBuilder(positions.length * 4);
        for (int i = 0; i < positions.length; i++) {
            if (i > 0) {
                id.append(',');
            }
            id.append(positions[i]);
        }
        return id.toString();
    }

    /** The per-job error's data: the stream error with the job it is about. */
    static String jobErrorData(String jobId, StreamError error) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("jobId", jobId);
        data.setAll((ObjectNode) Json.MAPPER.valueToTree(error));
        return data.toString();
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private final class JobShare implements CursorOutput {
        private final int index;

        JobShare(int index) {
            this.index = index;
        }

        @Override
        public void begin(Duration clientRetry) {
            // Written once for the whole stream, before any of its cursors starts.
        }

        @Override
        public void events(List<EncodedEvent> events) throws IOException {
            MultiplexOutput.this.events(index, events);
        }

        @Override
        public void streamError(StreamError error) throws IOException {
            MultiplexOutput.this.streamError(error);
        }

        @Override
        public void jobError(String jobId, StreamError error) throws IOException {
            MultiplexOutput.this.jobError(jobId, error);
        }

        @Override
        public void keepalive() throws IOException {
            MultiplexOutput.this.keepalive();
        }

        @Override
        public long lastWriteNanos() {
            return MultiplexOutput.this.lastWriteNanos();
        }
    }
}
