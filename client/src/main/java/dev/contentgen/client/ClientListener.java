package dev.contentgen.client;

import java.time.Duration;

/** Hooks for showing what the SDK is doing behind a call or a stream ("reconnecting…"); all optional. */
public interface ClientListener {

    /** A call or stream failed in a way that is retried: attempt {@code attempt} comes after {@code delay}. */
    record Retrying(String what, int attempt, Duration delay, Failure cause) {
        /** E.g. "events of job 0193…: reconnecting (attempt 2, in 1.1 s): the server closed the connection…". */
        public String describe() {
            return what + ": " + (what.startsWith("events") ? "reconnecting" : "retrying") + " (attempt " + attempt
                    + ", in " + String.format(java.util.Locale.ROOT, "%.1f", delay.toMillis() / 1000.0) + " s): " + cause.message();
        }
    }

    /** About to wait and try again. */
    default void onRetrying(Retrying retrying) {}

    /** A stream is (re)connected and will deliver the events after {@code afterSeq}. */
    default void onConnected(String jobId, long afterSeq) {}

    /** The server sent an {@code event: error} on a job's stream (whether or not it is retryable). */
    default void onErrorEvent(String jobId, Failure.ErrorEvent error) {}
}
