package dev.contentgen.client;

import dev.contentgen.api.LoggedEvent;
import java.util.Iterator;
import java.util.Map;

/**
 * The events of several jobs on one connection ({@code GET /api/events}): each job's events exactly once and
 * in its order (the jobs interleave as they run), across any number of reconnections. Each event names its
 * job ({@link LoggedEvent#jobId()}). A job leaves after its terminal status, or with an error of its own
 * ({@link #jobFailures()}, also told to {@link ClientListener#onErrorEvent}) while the others go on; iteration
 * ends when every job has left. A stream-level error event (e.g. STORE_UNAVAILABLE) is told to
 * {@code onErrorEvent} with a null job id. Iterate it once, from one thread; {@link #close()} may be called from any thread.
 */
public final class ManyEventStream implements Iterable<LoggedEvent>, AutoCloseable {
    private final ManyJobsResumer resumer;
    private boolean iterated;

    ManyEventStream(ManyJobsResumer resumer) {
        this.resumer = resumer;
    }

    @Override
    public Iterator<LoggedEvent> iterator() {
        if (iterated) {
            throw new IllegalStateException("a ManyEventStream can be iterated once; open another with jobs().followAll(lastSeqs())");
        }
        iterated = true;
        return new PullIterator<>(resumer::next);
    }

    /** Each job's last delivered seq, in the order the jobs were named: where another stream would resume ({@code followAll(lastSeqs())}). */
    public Map<String, Long> lastSeqs() {
        return resumer.lastSeqs();
    }

    /** The jobs that left the stream with an error of their own: JOB_NOT_FOUND (unknown or not yours), JOB_DELETED, … */
    public Map<String, Failure.ErrorEvent> jobFailures() {
        return resumer.jobFailures();
    }

    /** Stops the stream: a blocked iteration ends. */
    @Override
    public void close() {
        resumer.close();
    }
}
