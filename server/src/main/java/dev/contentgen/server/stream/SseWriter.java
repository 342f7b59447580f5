package dev.contentgen.server.stream;

import dev.contentgen.api.StreamError;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes SSE frames to one client. Its cursor lets one thread at a time write, so events, errors
 * and heartbeats never interleave; a write blocks only that thread, never another stream.
 */
public final class SseWriter implements CursorOutput {
    /** A way to write that never blocks the caller: {@code done} gets null once the bytes are out, or the failure. */
    public interface NonBlockingWrite {
        void write(byte[] bytes, Consumer<Throwable> done);
    }

    private final OutputStream out;
    /** Null where the response has none: every write blocks then. */
    private final NonBlockingWrite nonBlocking;
    private volatile long lastWriteNanos = System.nanoTime();
    /** The stream's first bytes ({@code retry:}), held until its first write so that they share it; null once sent. */
    private byte[] held;

    public SseWriter(OutputStream out) {
        this(out, null);
    }

    /** {@code nonBlocking}: the same response's bytes written without blocking, for live events (see {@link Cursor}). */
    public SseWriter(OutputStream out, NonBlockingWrite nonBlocking) {
        this.out = out;
        this.nonBlocking = nonBlocking;
    }

    /** Whether {@link #eventsWithoutBlocking} may be used now: the response has a way, and the first bytes are out. */
    boolean writesWithoutBlocking() {
        return nonBlocking != null && held == null;
    }

    /** Job events in one write that does not block; {@code done} as {@link NonBlockingWrite#write}. */
    void eventsWithoutBlocking(List<EncodedEvent> events, Consumer<Throwable> done) {
        nonBlocking.write(oneWrite(events), failure -> {
            if (failure == null) {
                lastWriteNanos = System.nanoTime();
            }
            done.accept(failure);
        });
    }

    /**
     * The first bytes of every stream: how long the client waits before reconnecting. They go out with the next
     * write, or with {@link #flush()} (which sends the 200 and its headers too): one write to the socket instead of
     * two when a stream opens with events to replay.
     */
    @Override
    public void begin(Duration clientRetry) {
        held = SseFrames.retry(clientRetry);
    }

    /** Job events, in one write: a live event's shared frame as it is, a catch-up batch joined. */
    @Override
    public void events(List<EncodedEvent> events) throws IOException {
        write(oneWrite(events));
        flush();
    }

    /** A stream-level error: no id, so it never moves the client's resume point. */
    public void error(StreamError error) throws IOException {
        write(SseFrames.error(error));
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
        write(SseFrames.KEEPALIVE);
        flush();
    }

    /** Writes raw frames (a multiplexed stream's, already joined) in one write, and flushes. */
    void frames(byte[] frames) throws IOException {
        write(frames);
        flush();
    }

    /** Sends what was written, the stream's first bytes too if nothing was written since {@link #begin}. */
    public void flush() throws IOException {
        if (held != null) {
            write(new byte[0]);
        }
        out.flush();
        lastWriteNanos = System.nanoTime();
    }

    /** Sends the stream's first bytes if they are still held (nothing written since {@link #begin}); else nothing. */
    @Override
    public void sendHeld() throws IOException {
        if (held != null) {
            flush();
        }
    }

    /** The one place that writes: the first bytes, while still held, go out in front of {@code bytes}. */
    private void write(byte[] bytes) throws IOException {
        byte[] first = held;
        held = null;
        out.write(first == null ? bytes : joined(List.of(first, bytes)));
    }

    /** A live event's shared frame as it is; a batch joined. */
    private static byte[] oneWrite(List<EncodedEvent> events) {
        return events.size() == 1 ? events.getFirst().frame() : joined(events);
    }

    private static byte[] joined(List<EncodedEvent> events) {
        return joined(events.stream().map(EncodedEvent::frame).toList());
    }

    private static byte[] joined(Collection<byte[]> parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] joined = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, joined, at, part.length);
            at += part.length;
        }
        return joined;
    }

    @Override
    public long lastWriteNanos() {
        return lastWriteNanos;
    }
}
