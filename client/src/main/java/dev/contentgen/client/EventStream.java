package dev.contentgen.client;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.LoggedEvent;
import java.util.Iterator;

/**
 * A job's events, each exactly once and in order, across any number of reconnections; iteration
 * ends after the job's terminal status. Iterate it once, from one thread; {@link #close()} may be
 * called from any thread. A failure that cannot be retried ends the iteration with a {@link ContentGenException}.
 */
public final class EventStream implements Iterable<LoggedEvent>, AutoCloseable {
    private final Resumer resumer;
    private boolean iterated;

    EventStream(Resumer resumer) {
        this.resumer = resumer;
    }

    @Override
    public Iterator<LoggedEvent> iterator() {
        if (iterated) {
            throw new IllegalStateException("an EventStream can be iterated once; open another with jobs().events(id, lastSeq)");
        }
        iterated = true;
        return new PullIterator<>(resumer::next);
    }

    /** The same stream seen as bare job events, for a {@code switch} over the sealed {@link JobEvent}. */
    public Iterable<JobEvent> jobEvents() {
        return () -> {
            Iterator<LoggedEvent> events = iterator();
            return new PullIterator<>(() -> events.hasNext() ? events.next().event() : null);
        };
    }

    /** The seq of the last event delivered: where another stream would resume. */
    public long lastSeq() {
        return resumer.lastSeq();
    }

    /** Stops the stream: a blocked iteration ends (hasNext() is false). */
    @Override
    public void close() {
        resumer.close();
    }
}
