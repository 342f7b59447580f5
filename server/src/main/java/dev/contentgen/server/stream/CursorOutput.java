package dev.contentgen.server.stream;

import dev.contentgen.api.StreamError;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Where a cursor writes: its own response (a per-job stream, {@link SseWriter}), or its job's share of a
 * multiplexed stream ({@link MultiplexOutput}), which tags every event with the stream's resume vector.
 * Every method writes and flushes at once, except {@link #begin}, whose bytes may wait for the first write.
 */
interface CursorOutput {
    /** The first bytes of the stream (a multiplexed stream writes them once, for all of its jobs). */
    void begin(Duration clientRetry) throws IOException;

    /** Job events, in one write. */
    void events(List<EncodedEvent> events) throws IOException;

    /** A message about the stream as a whole (the store, the node). */
    void streamError(StreamError error) throws IOException;

    /** A message about this cursor's job (deleted, finished below its resume point). */
    void jobError(String jobId, StreamError error) throws IOException;

    void keepalive() throws IOException;

    /** Sends the stream's first bytes if {@link #begin} held them and nothing was written since (the opening found nothing to replay). */
    default void sendHeld() throws IOException {}

    /** When the stream last wrote anything: heartbeats go out only after a quiet interval. */
    long lastWriteNanos();
}
