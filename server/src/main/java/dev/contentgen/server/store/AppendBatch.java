package dev.contentgen.server.store;

import dev.contentgen.api.JobEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Fenced appends of many jobs in one transaction with a few batched statements in all: one
 * round of fence-and-allocate updates, one round of inserts, and one batch for each projection
 * statement the events need (a delta needs none; see {@link Projections}). Each append is fenced by its own run
 * and expected last seq, so a job whose lease was lost fails alone while its neighbours commit.
 *
 * <p>A database error in the batch fails the whole batch: the caller rolls it back and runs each
 * append alone, so the error lands on the one append that caused it.
 */
final class AppendBatch {
    /** Appends {@code events} as {@code run}, whose log ends at {@code expectedLastSeq}; all or none. */
    record Request(JobRun run, long expectedLastSeq, List<JobEvent> events) {}

    /** One request's answer, filled in by {@link #execute}. */
    static final class Pending {
        final Request request;
        Announcements announcements = new Announcements();
        List<StoredEvent> stored;
        RuntimeException failure;

        Pending(Request request) {
            this.request = request;
        }

        /** Forgets a try that was rolled back. */
        void reset() {
            announcements = new Announcements();
            stored = null;
            failure = null;
        }
    }

    private final EventWriter writer;

    AppendBatch(EventWriter writer) {
        this.writer = writer;
    }

    /**
     * Runs every pending append in the caller's transaction, setting each one's stored events or
     * its {@link LeaseLostException}.
     *
     * @throws SQLException when the database refused a statement: nothing of the batch can be trusted
     */
    void execute(Connection c, List<Pending> pending, long now) throws SQLException {
        // One lock order on every node: two batches never wait on each other's rows in a cycle.
        List<Pending> ordered = new ArrayList<>(pending);
        ordered.sort(Comparator.comparing(p -> p.request.run().jobId()));
        int[] fenced = writer.advance(c, ordered.stream().map(p -> p.request).toList(), now);
        List<Pending> won = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            Pending p = ordered.get(i);
            if (fenced[i] == 1) {
                // Stamped with the commit's time, as the row is: "at" is when the event was logged.
                p.stored = EventWriter.encode(p.request, now);
                won.add(p);
            } else {
                resolveLost(c, p);
            }
        }
        writer.insert(c, won.stream().flatMap(p -> p.stored.stream()).toList());
        Projections projections = EventWriter.gathering(c);
        for (Pending p : won) {
            for (int i = 0; i < p.stored.size(); i++) {
                writer.project(projections, p.request.run().jobId(), p.stored.get(i).seq(), p.request.events().get(i), now);
            }
        }
        projections.flush();
        for (Pending p : won) {
            for (int i = 0; i < p.stored.size(); i++) {
                // Which append's event queued a delivery no longer matters once they share a commit: any wakes the deliverer.
                p.announcements.appended(p.stored.get(i), p.request.events().get(i), projections.deliveriesQueued());
            }
        }
    }

    /**
     * The fence did not match: either an earlier try of this very append committed although its
     * answer was lost (return what it wrote), or the job is no longer this run's.
     */
    private void resolveLost(Connection c, Pending p) throws SQLException {
        Request r = p.request;
        Optional<List<StoredEvent>> landed = writer.landed(c, r.run(), r.expectedLastSeq());
        if (landed.isEmpty()) {
            p.failure = new LeaseLostException(r.run().jobId());
            return;
        }
        List<StoredEvent> earlier = landed.get();
        // The earlier try's announcement may have been lost with its answer; a second one is harmless.
        for (int i = 0; i < earlier.size() && i < r.events().size(); i++) {
            p.announcements.appended(earlier.get(i), r.events().get(i), false);
        }
        p.stored = earlier;
    }
}
