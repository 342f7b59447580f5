package dev.contentgen.server.store;

import dev.contentgen.server.config.RetentionPolicy;
import java.time.Clock;
import dev.contentgen.api.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The SQL of retention: compacting finished jobs (their artifact.delta events are dropped; the
 * statuses, progress, artifact created/completed/discarded events and so the final text stay),
 * deleting finished jobs, and expiring idempotency keys. Work goes in small batches of short
 * transactions, so appends and streams never wait long behind it; on PostgreSQL one node at a
 * time runs a pass (an advisory lock), and every step is safe if two ran at once anyway.
 */
public final class Retention {
    /** Jobs per batch; each job is its own short transaction. */
    public static final int BATCH = 50;
    /** Batches per pass at most, so a pass ends even while a large backlog waits for the next. */
    private static final int MAX_BATCHES = 100;
    private static final long PASS_LOCK = 0x636f6e74656e74L; // "content": the advisory lock key of retention passes
    private static final String FINISHED = "status IN ('completed', 'failed', 'cancelled')";

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Clock clock;
    private final Store store;

    public Retention(Jdbi jdbi, Dialect dialect, Clock clock, Store store) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.clock = clock;
        this.store = store;
    }

    /** What one pass did; {@code ran} is false when another node held the pass lock. */
    public record Pass(boolean ran, int compacted, long eventsDropped, int deleted, int keysExpired) {
        static final Pass SKIPPED = new Pass(false, 0, 0, 0, 0);

        Pass plus(Pass other) {
            return new Pass(ran || other.ran, compacted + other.compacted, eventsDropped + other.eventsDropped,
                    deleted + other.deleted, keysExpired + other.keysExpired);
        }
    }

    /** Runs one pass of {@code policy} now. */
    public Pass run(RetentionPolicy policy) {
        try {
            return jdbi.withHandle(h -> {
                if (!tryLock(h)) {
                    return Pass.SKIPPED;
                }
                try {
                    return passes(policy);
                } finally {
                    unlock(h);
                }
            });
        } catch (JdbiException e) {
            throw new StoreException("retention pass failed: " + e.getMessage(), e);
        }
    }

    private Pass passes(RetentionPolicy policy) {
        long now = clock.millis();
        Pass done = new Pass(true, 0, 0, 0, 0);
        if (policy.compacts()) {
            done = done.plus(compactFinishedBefore(now - policy.compactAfter().toMillis()));
        }
        if (policy.deletes()) {
            done = done.plus(deleteFinishedBefore(now - policy.deleteAfter().toMillis()));
        }
        if (policy.expiresKeys()) {
            done = done.plus(expireKeysCreatedBefore(now - policy.idempotencyTtl().toMillis()));
        }
        return done;
    }

    /** Compacts jobs that finished before {@code cutoff} (epoch millis), oldest first. */
    Pass compactFinishedBefore(long cutoff) {
        Pass done = Pass.SKIPPED;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            List<String> ids = select("SELECT id FROM jobs WHERE compacted_at IS NULL AND finished_at IS NOT NULL"
                    + " AND finished_at < :cutoff ORDER BY finished_at LIMIT :limit", cutoff);
            for (String id : ids) {
                Optional<Long> dropped = compact(id);
                if (dropped.isPresent()) {
                    done = done.plus(new Pass(true, 1, dropped.get(), 0, 0));
                }
            }
            if (ids.size() < BATCH) {
                break;
            }
        }
        return done;
    }

    /**
     * Drops the job's deltas and records the highest seq dropped; empty when another pass got there
     * first. The job has finished, so its log no longer grows and the highest delta stays the highest.
     */
    public Optional<Long> compact(String jobId) {
        return store.maintenance(h -> {
            CompactedDeltas.Builder dropped = new CompactedDeltas.Builder();
            long highest = 0;
            long count = 0;
            for (var delta : h.createQuery("SELECT seq, data FROM job_events WHERE job_id = :id AND type = 'artifact.delta' ORDER BY seq")
                    .bind("id", jobId).map((rs, ctx) -> Map.entry(rs.getLong("seq"), rs.getString("data"))).list()) {
                DeltaFields d = Json.read(delta.getValue(), DeltaFields.class);
                dropped.add(delta.getKey(), d.artifactId(), d.text().length());
                highest = delta.getKey();
                count++;
            }
            // Claiming the job first: a second compactor waits on the row, then matches nothing.
            int claimed = h.createUpdate("UPDATE jobs SET compacted_at = :now, compacted_seq = :highest, compacted_deltas = :deltas"
                            + " WHERE id = :id AND compacted_at IS NULL AND " + FINISHED)
                    .bind("now", clock.millis()).bind("highest", highest).bind("deltas", count == 0 ? null : dropped.build().json())
                    .bind("id", jobId).execute();
            if (claimed == 0) {
                return Optional.<Long>empty();
            }
            h.createUpdate("DELETE FROM job_events WHERE job_id = :id AND type = 'artifact.delta'").bind("id", jobId).execute();
            return Optional.of(count);
        });
    }

    /** The two fields of a delta that compaction keeps track of; reading only these is several times faster than the whole event. */
    private record DeltaFields(String artifactId, String text) {}

    private Pass deleteFinishedBefore(long cutoff) {
        Pass done = Pass.SKIPPED;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            List<String> ids = select("SELECT id FROM jobs WHERE finished_at IS NOT NULL AND finished_at < :cutoff ORDER BY finished_at LIMIT :limit",
                    cutoff);
            for (String id : ids) {
                // Finished jobs only, checked again under the row lock: a job cannot start again, but the check is cheap.
                if (store.maintenance(h -> JobDeletion.delete(h, dialect, id, JobScope.everyone()))) {
                    done = done.plus(new Pass(true, 0, 0, 1, 0));
                }
            }
            if (ids.size() < BATCH) {
                break;
            }
        }
        return done;
    }

    /** Clears the idempotency keys of jobs created before {@code cutoff}: the same key then creates a new job. */
    private Pass expireKeysCreatedBefore(long cutoff) {
        int expired = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            int cleared = store.maintenance(h -> h.createUpdate("""
                            UPDATE jobs SET idempotency_key = NULL WHERE id IN (
                                SELECT id FROM jobs WHERE idempotency_key IS NOT NULL AND created_at < :cutoff ORDER BY created_at LIMIT :limit)""")
                    .bind("cutoff", cutoff).bind("limit", BATCH).execute());
            expired += cleared;
            if (cleared < BATCH) {
                break;
            }
        }
        return new Pass(true, 0, 0, 0, expired);
    }

    private List<String> select(String sql, long cutoff) {
        return jdbi.withHandle(h -> h.createQuery(sql).bind("cutoff", cutoff).bind("limit", BATCH).mapTo(String.class).list());
    }

    /** One node at a time on PostgreSQL: a session lock, released when the pass ends or its connection dies. */
    private boolean tryLock(Handle h) {
        return dialect != Dialect.POSTGRESQL
                || h.createQuery("SELECT pg_try_advisory_lock(:key)").bind("key", PASS_LOCK).mapTo(Boolean.class).one();
    }

    private void unlock(Handle h) {
        if (dialect == Dialect.POSTGRESQL) {
            h.createQuery("SELECT pg_advisory_unlock(:key)").bind("key", PASS_LOCK).mapTo(Boolean.class).one();
        }
    }
}
