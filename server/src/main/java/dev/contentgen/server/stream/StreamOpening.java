package dev.contentgen.server.stream;

import dev.contentgen.api.StreamError;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How a request for a job's stream is answered (docs/PROTOCOL.md, "Opening a stream"); the HTTP
 * route maps each outcome to its status. Decided by {@link StreamOpener}.
 */
public sealed interface StreamOpening {

    /** No such job: 404. */
    record NotFound(String jobId) implements StreamOpening {}

    /** The client already has the job's terminal event: 204, so a browser's EventSource stops. */
    record NoContent(String jobId, long lastSeq) implements StreamOpening {}

    /** The resume point lies beyond the last event of a finished job: 400 with {@link #message()}. */
    record BeyondEnd(String jobId, long lastSeq, long after) implements StreamOpening {
        public String message() {
            return StreamMessages.beyondEnd(jobId, lastSeq, after);
        }
    }

    /** An answer with a body of events: 200 and {@code text/event-stream}. */
    sealed interface Streamed extends StreamOpening, AutoCloseable permits TransientError, Open, MultiplexStream {
        /**
         * Starts the answer; the future completes when it has ended (then end the response and
         * {@link #close()}). No thread waits for it meanwhile.
         */
        CompletableFuture<EndReason> start(SseWriter writer);

        /** Releases what the stream holds if it is never run (e.g. the response failed first). */
        @Override
        default void close() {}

        /**
         * The client went away (or the connection timed out) while the stream wrote nothing: it ends soon with
         * {@code reason}, without writing, and its future completes then. Returns at once; idempotent.
         */
        default void clientGone(EndReason reason) {}

        /** Whether the stream holds one of its owner's stream slots: then a client that left must free it soon. */
        default boolean holdsSlot() {
            return false;
        }
    }

    /**
     * Trouble that may pass (the store, a node shutting down): {@code retry:}, one retryable error event,
     * and the end, because a browser's EventSource gives up for good on any status but 200.
     */
    record TransientError(String jobId, long after, StreamError error, EndReason reason, Duration retry) implements Streamed {
        @Override
        public CompletableFuture<EndReason> start(SseWriter writer) {
            long started = System.nanoTime();
            EndReason ended = reason;
            try {
                writer.begin(retry);
                writer.error(error);
                writer.flush();
            } catch (IOException e) {
                ended = EndReason.CLIENT_CLOSED;
            }
            StreamLog.end(jobId, ended, after, 0, 0, after, started);
            return CompletableFuture.completedFuture(ended);
        }
    }

    /**
     * The stream is open: the cursor replays, follows and ends it; it holds one of its owner's stream slots till then
     * (the cursor's subscription gives it back).
     */
    record Open(Cursor cursor, StreamQuota.Slot slot) implements Streamed {
        @Override
        public CompletableFuture<EndReason> start(SseWriter writer) {
            return cursor.start(writer);
        }

        @Override
        public void clientGone(EndReason reason) {
            cursor.stop(reason);
        }

        @Override
        public boolean holdsSlot() {
            return slot != StreamQuota.UNLIMITED;
        }

        @Override
        public void close() {
            cursor.close();
        }
    }
}
