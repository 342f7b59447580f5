package dev.contentgen.server.stream;

import dev.contentgen.api.StreamError;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/**
 * Writes SSE frames to one client. Its cursor lets one thread at a time write, so events, errors
 * and heartbeats never interleave; a write blocks only that thread, never another stream.
 */
public final class SseWriter implements CursorOutput {
    private final OutputStream out;
    private volatile long lastWriteNanos = System.nanoTime();

    public SseWriter(OutputStream out) {
        this.out = out;
    }

    /** The first bytes of every stream: how long the client waits before reconnecting; flushed, so the 200 goes out. */
    @Override
    public void begin(Duration clientRetry) throws IOException {
        out.write(SseFrames.retry(clientRetry));
        flush();
    }

    /** Job events, in one write: a live event's shared frame as it is, a catch-up batch joined. */
    @Override
    public void events(List<EncodedEvent> events) throws IOException {
        if (events.size() == 1) {
            out.write(events.getFirst().frame());
            flush();
            return;
        }
        int length = 0;
        for (EncodedEvent e : events) {
            length += e.frame().length;
        }
        byte[] joined = new byte[length];
        int at = 0;
        for (EncodedEvent e : events) {
            System.arraycopy(e.frame(), 0, joined, at, e.frame().length);
            at += e.frame().length;
        }
        out.write(joined);
        flush();
    }

    /** A stream-level error: no id, so it never moves the client's resume point. */
    public void error(StreamError error) throws IOException {
        out.write(SseFrames.error(error));
    }

    @Override
    public void streamError(StreamError error) throws IOException {
        error(error);
        flush();
    }

    /** On a per-job stream every error is about its job; the data names no job, as before multiplexing. */
    @Override
    public void jobError(String jobId, StreamError error) throws IOException {
        streamError(error);
    }

    @Override
    public void keepalive() throws IOException {
        out.write(SseFrames.KEEPALIVE);
        flush();
    }

    /** Writes raw frames (a multiplexed stream's, already joined) in one write, and flushes. */
    void frames(byte[] frames) throws IOException {
        out.write(frames);
        flush();
    }

    public void flush() throws IOException {
        out.flush();
        lastWriteNanos = System.nanoTime();
    }

    @Override
    public long lastWriteNanos() {
        return lastWriteNanos;
    }
}
