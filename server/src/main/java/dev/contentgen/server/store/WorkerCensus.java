package dev.contentgen.server.store;

import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The workers of the cluster, counted in the store: each node says how many jobs it runs at once
 * and renews that every {@link #RENEW_EVERY}; a node whose word is older than {@link #FORGET_AFTER}
 * (it died without saying goodbye) no longer counts.
 */
public final class WorkerCensus {
    public static final Duration RENEW_EVERY = Duration.ofSeconds(30);
    public static final Duration FORGET_AFTER = RENEW_EVERY.multipliedBy(3);

    private final Jdbi jdbi;
    private final Clock clock;
    private final String nodeId;

    public WorkerCensus(Jdbi jdbi, Clock clock, String nodeId) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.nodeId = nodeId;
    }

    /** Says (again) that this node runs {@code workers} jobs at once. */
    public void announce(int workers) {
        write(() -> jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO node_workers (node_id, workers, seen_at) VALUES (:node, :workers, :now)
                        ON CONFLICT (node_id) DO UPDATE SET workers = excluded.workers, seen_at = excluded.seen_at""")
                .bind("node", nodeId).bind("workers", workers).bind("now", clock.millis()).execute()));
    }

    /** The node stops: its workers no longer count. */
    public void leave() {
        write(() -> jdbi.useHandle(h -> h.createUpdate("DELETE FROM node_workers WHERE node_id = :node")
                .bind("node", nodeId).execute()));
    }

    /** A node that holds a SQLite store alone forgets the rows of the runs before it (one may have been killed). */
    public void forgetOthers() {
        write(() -> jdbi.useHandle(h -> h.createUpdate("DELETE FROM node_workers WHERE node_id <> :node")
                .bind("node", nodeId).execute()));
    }

    /** The workers of every node heard from lately. */
    public int workers() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(workers), 0) FROM node_workers WHERE seen_at >= :since")
                    .bind("since", clock.millis() - FORGET_AFTER.toMillis()).mapTo(Integer.class).one());
        } catch (JdbiException e) {
            throw new StoreException("worker census could not be read: " + e.getMessage(), e);
        }
    }

    private static void write(Runnable work) {
        try {
            work.run();
        } catch (JdbiException e) {
            throw new StoreException("worker census could not be written: " + e.getMessage(), e);
        }
    }
}
