package dev.contentgen.client;

import java.time.Duration;
import java.util.Locale;

/** Hooks for showing what the SDK is doing behind a call or a stream ("reconnecting…"); all optional. */
public interface ClientListener {

    /**
     * A call or stream failed in a way that is retried: {@code action} (e.g. "reconnecting to the events of
     * job …") makes attempt {@code attempt} after {@code delay}.
     */
    record Retrying(String action, int attempt, Duration delay, Failure cause) {
        /** E.g. "reconnecting to the events of job 0193… (attempt 2, in 2.1 s): The server closed the stream…". */
        public String describe() {
            return action + " (attempt " + attempt + ", in "
                    + String.format(Locale.ROOT, "%.1f", delay.toMillis() / 1000.0) + " s): " + cause.message();
        }
    }

    /** About to wait and try again. */
    default void onRetrying(Retrying retrying) {}

    /** A stream is (re)connected and will deliver the events after {@code afterSeq}. */
    default void onConnected(String jobId, long afterSeq) {}

    /**
     * The server sent an {@code event: error} on a job's stream (whether or not it is retryable); on a stream of
     * many jobs ({@code followAll}), {@code jobId} is null for an error about the stream as a whole.
     */
    default void onErrorEvent(String jobId, Failure.ErrorEvent error) {}

    /**
     * The stream carried event {@code seq} of a type this SDK does not know (a newer server's): it was passed
     * over, and the stream resumes after it.
     */
    default void onUnknownEvent(String jobId, long seq, String type) {}
}
