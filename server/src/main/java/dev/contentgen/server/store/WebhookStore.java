package dev.contentgen.server.store;

import dev.contentgen.api.JobEvent;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * All SQL of webhooks: a job's endpoint, the outbox of deliveries (written by the event log's
 * append, in its transaction) and the attempts the delivery worker makes.
 */
public final class WebhookStore {
    static final String ENQUEUE = """
            INSERT INTO webhook_deliveries (id, job_id, seq, event_type, state, attempts, next_attempt_at, window_started_at, created_at, updated_at)
            SELECT ?, job_id, ?, ?, 'pending', 0, ?, ?, ?, ? FROM job_webhooks
            WHERE job_id = ? AND disabled_at IS NULL AND (? OR steps = 1)""";

    /** A delivery as listed by the API. */
    public record Delivery(String id, String jobId, long seq, String eventType, String state, int attempts,
                           long nextAttemptAt, long createdAt, List<Attempt> attemptLog) {}

    /** One try of a delivery: the HTTP status when there was an answer, else the error. */
    public record Attempt(int number, long startedAt, long durationMs, Integer httpStatus, String error) {}

    /**
     * A delivery claimed for one attempt, with what it needs to send it; {@code createdAt}: when its
     * event was logged; {@code leaseUntil}: the claim's lease, which also identifies the claim.
     */
    public record Due(String id, String jobId, long seq, String eventType, int attempts, long windowStartedAt, long createdAt,
                      long leaseUntil, WebhookEndpoint endpoint, boolean endpointDisabled) {
        Due withLease(long lease) {
            return new Due(id, jobId, seq, eventType, attempts, windowStartedAt, createdAt, lease, endpoint, endpointDisabled);
        }
    }

    private final Jdbi jdbi;
    private final Dialect dialect;

    public WebhookStore(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    /** The logical delivery's id, the same on every attempt: the receiver de-duplicates on it. */
    static String deliveryId(String jobId, long seq) {
        return "msg_" + jobId + "_" + seq;
    }

    /** Records the job's endpoint (a copy of key {@code ofKey}'s default, or null), in the transaction that creates the job. */
    static void register(Handle h, String jobId, WebhookEndpoint endpoint, String ofKey, long now) {
        h.createUpdate("""
                        INSERT INTO job_webhooks (job_id, url, steps, secret, key_id, created_at)
                        VALUES (:job, :url, :steps, :secret, :key, :now)""")
                .bind("job", jobId).bind("url", endpoint.url()).bind("steps", endpoint.steps() ? 1 : 0)
                .bind("secret", endpoint.secret()).bind("key", ofKey).bind("now", now).execute();
    }

    /** The key whose default webhook the job's is a copy of; empty when the job named its own (or has none). */
    public Optional<String> defaultOfKey(String jobId) {
        return guarded(() -> jdbi.withHandle(h -> h.createQuery("SELECT key_id FROM job_webhooks WHERE job_id = :job AND key_id IS NOT NULL")
                .bind("job", jobId).mapTo(String.class).findOne()));
    }

    /**
     * Queues the delivery an event causes, in the append's transaction: a terminal status for every
     * endpoint, a completed step for those that asked for steps. A job without a webhook inserts nothing.
     */
    /** Queues the delivery {@code event} causes, if the job has a webhook that wants it; whether it queued one. */
    static void enqueue(Projections out, String jobId, long seq, JobEvent event, long now) throws SQLException {
        String type = switch (event) {
            case JobEvent.Status s when s.isTerminal() -> "job." + s.status().wireName();
            case JobEvent.ArtifactCompleted completed -> "artifact.completed";
            default -> null;
        };
        if (type != null) {
            out.run(ENQUEUE, deliveryId(jobId, seq), seq, type, now, now, now, now, jobId, type.startsWith("job."));
        }
    }

    /** The job's endpoint, secret included (for the create answer and for signing). */
    public Optional<WebhookEndpoint> endpoint(String jobId) {
        return guarded(() -> jdbi.withHandle(h -> h.createQuery("SELECT url, steps, secret FROM job_webhooks WHERE job_id = :job")
                .bind("job", jobId)
                .map((rs, ctx) -> new WebhookEndpoint(rs.getString("url"), rs.getInt("steps") == 1, rs.getString("secret")))
                .findOne()));
    }

    /**
     * Claims up to {@code limit} due deliveries for one attempt each, pushing their next attempt
     * to {@code leaseUntil} and marking them as sending: another node skips them (PostgreSQL: SKIP
     * LOCKED while claiming, then the lease), and a node that dies mid-attempt leaves them due again
     * once the lease passes.
     */
    public List<Due> claimDue(long now, long leaseUntil, int limit) {
        // A plain read first: an idle poll must not take SQLite's write lock from the event log's appends.
        boolean any = guarded(() -> jdbi.withHandle(h -> h.createQuery(
                        "SELECT 1 FROM webhook_deliveries WHERE state IN ('pending', 'sending') AND next_attempt_at <= :now LIMIT 1")
                .bind("now", now).mapTo(Integer.class).findOne().isPresent()));
        if (!any) {
            return List.of();
        }
        return guarded(() -> jdbi.inTransaction(h -> {
            List<String> ids = h.createQuery("SELECT id FROM webhook_deliveries WHERE state IN ('pending', 'sending') AND next_attempt_at <= :now"
                            + " ORDER BY next_attempt_at, job_id, seq LIMIT :limit" + dialect.claimLock())
                    .bind("now", now).bind("limit", limit).mapTo(String.class).list();
            if (ids.isEmpty()) {
                return List.<Due>of();
            }
            h.createUpdate("UPDATE webhook_deliveries SET state = 'sending', next_attempt_at = :lease, updated_at = :now WHERE id IN (<ids>)")
                    .bind("lease", leaseUntil).bind("now", now).bindList("ids", ids).execute();
            return h.createQuery("""
                            SELECT d.id, d.job_id, d.seq, d.event_type, d.attempts, d.window_started_at, d.created_at,
                                   w.url, w.steps, w.secret, w.disabled_at
                            FROM webhook_deliveries d JOIN job_webhooks w ON w.job_id = d.job_id
                            WHERE d.id IN (<ids>) ORDER BY d.job_id, d.seq""")
                    .bindList("ids", ids)
                    .map((rs, ctx) -> new Due(rs.getString("id"), rs.getString("job_id"), rs.getLong("seq"), rs.getString("event_type"),
                            rs.getInt("attempts"), rs.getLong("window_started_at"), rs.getLong("created_at"), leaseUntil,
                            new WebhookEndpoint(rs.getString("url"), rs.getInt("steps") == 1, rs.getString("secret")),
                            rs.getObject("disabled_at") != null))
                    .list();
        }));
    }

    /**
     * Extends the claim of {@code due} to {@code leaseUntil} before another attempt of its batch, if
     * the claim is still this node's: empty when its lease lapsed and another node (or a redelivery)
     * took the delivery meanwhile.
     */
    public Optional<Due> renewClaim(Due due, long leaseUntil, long now) {
        int renewed = guarded(() -> jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE webhook_deliveries SET next_attempt_at = :lease, updated_at = :now
                        WHERE id = :id AND state = 'sending' AND next_attempt_at = :claimed""")
                .bind("lease", leaseUntil).bind("now", now).bind("id", due.id()).bind("claimed", due.leaseUntil()).execute()));
        return renewed == 1 ? Optional.of(due.withLease(leaseUntil)) : Optional.empty();
    }

    /**
     * Makes every delivery in flight due now: on SQLite the starting node holds the data directory,
     * so an attempt still marked as sending died with the previous process.
     */
    public int releaseInFlight(long now) {
        return guarded(() -> jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = :now, updated_at = :now WHERE state = 'sending'")
                .bind("now", now).execute()));
    }

    /** What an attempt ended in: delivered, due again at a time, or finished without success. */
    public sealed interface Outcome {
        record Delivered() implements Outcome {}
        record RetryAt(long at) implements Outcome {}
        /** Gave up ({@code failed}: retries exhausted or refused) or stopped ({@code stopped}: 410 Gone). */
        record Ended(String state) implements Outcome {}
    }

    /**
     * What recording an attempt did: {@code kept} false when the claim was no longer this node's
     * (nothing written); {@code othersStopped}: the job's other deliveries a 410 stopped.
     */
    public record Recorded(boolean kept, int othersStopped) {}

    /**
     * Keeps the attempt and moves the delivery on, if the claim is still this node's; a 410 also
     * disables the job's endpoint and stops its other deliveries.
     */
    public Recorded recordAttempt(Due due, Attempt attempt, Outcome outcome, long now) {
        return guarded(() -> jdbi.inTransaction(h -> {
            String state = switch (outcome) {
                case Outcome.Delivered d -> "delivered";
                case Outcome.RetryAt r -> "pending";
                case Outcome.Ended e -> e.state();
            };
            long next = outcome instanceof Outcome.RetryAt r ? r.at() : now;
            // The claim's lease identifies it: after it lapsed another node may have claimed and attempted the delivery.
            int owned = h.createUpdate("""
                            UPDATE webhook_deliveries SET state = :state, attempts = :number, next_attempt_at = :next, updated_at = :now
                            WHERE id = :id AND state = 'sending' AND next_attempt_at = :claimed""")
                    .bind("state", state).bind("number", attempt.number()).bind("next", next).bind("now", now).bind("id", due.id())
                    .bind("claimed", due.leaseUntil())
                    .execute();
            if (owned == 0) {
                return new Recorded(false, 0);
            }
            h.createUpdate("""
                            INSERT INTO webhook_attempts (delivery_id, number, started_at, duration_ms, http_status, error)
                            VALUES (:id, :number, :started, :duration, :status, :error)""")
                    .bind("id", due.id()).bind("number", attempt.number()).bind("started", attempt.startedAt())
                    .bind("duration", attempt.durationMs()).bind("status", attempt.httpStatus()).bind("error", attempt.error())
                    .execute();
            if (!"stopped".equals(state)) {
                return new Recorded(true, 0);
            }
            h.createUpdate("UPDATE job_webhooks SET disabled_at = :now WHERE job_id = :job").bind("now", now).bind("job", due.jobId()).execute();
            return new Recorded(true, h.createUpdate(
                            "UPDATE webhook_deliveries SET state = 'stopped', updated_at = :now WHERE job_id = :job AND state IN ('pending', 'sending')")
                    .bind("now", now).bind("job", due.jobId()).execute());
        }));
    }

    /** Ends a claimed delivery without an attempt (its endpoint was stopped by a 410 meanwhile). */
    public void stop(Due due, long now) {
        guarded(() -> jdbi.useHandle(h -> h.createUpdate("UPDATE webhook_deliveries SET state = 'stopped', updated_at = :now WHERE id = :id")
                .bind("now", now).bind("id", due.id()).execute()));
    }

    /** A job's deliveries, oldest first, each with its attempts. */
    public List<Delivery> list(String jobId) {
        return guarded(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, job_id, seq, event_type, state, attempts, next_attempt_at, created_at
                        FROM webhook_deliveries WHERE job_id = :job ORDER BY seq""")
                .bind("job", jobId)
                .map((rs, ctx) -> new Delivery(rs.getString("id"), rs.getString("job_id"), rs.getLong("seq"), rs.getString("event_type"),
                        rs.getString("state"), rs.getInt("attempts"), rs.getLong("next_attempt_at"), rs.getLong("created_at"),
                        attempts(h, rs.getString("id"))))
                .list()));
    }

    private static List<Attempt> attempts(Handle h, String deliveryId) {
        return h.createQuery("SELECT number, started_at, duration_ms, http_status, error FROM webhook_attempts"
                        + " WHERE delivery_id = :id ORDER BY number")
                .bind("id", deliveryId)
                .map((rs, ctx) -> new Attempt(rs.getInt("number"), rs.getLong("started_at"), rs.getLong("duration_ms"),
                        (Integer) (rs.getObject("http_status") == null ? null : rs.getInt("http_status")), rs.getString("error")))
                .list();
    }

    /**
     * Makes a delivery of this job due now with a fresh retry window, and enables the endpoint again
     * (the operator asks for it by hand). False when the job has no such delivery.
     */
    public boolean redeliver(String jobId, String deliveryId, long now) {
        return guarded(() -> jdbi.inTransaction(h -> {
            int changed = h.createUpdate("""
                            UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = :now, window_started_at = :now, updated_at = :now
                            WHERE id = :id AND job_id = :job""")
                    .bind("now", now).bind("id", deliveryId).bind("job", jobId).execute();
            if (changed > 0) {
                h.createUpdate("UPDATE job_webhooks SET disabled_at = NULL WHERE job_id = :job").bind("job", jobId).execute();
            }
            return changed > 0;
        }));
    }

    /** The logged event a delivery reports. */
    public Optional<String> eventData(String jobId, long seq) {
        return guarded(() -> jdbi.withHandle(h -> h.createQuery("SELECT data FROM job_events WHERE job_id = :job AND seq = :seq")
                .bind("job", jobId).bind("seq", seq).mapTo(String.class).findOne()));
    }

    private static <T> T guarded(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (JdbiException e) {
            throw new StoreException("webhook store operation failed: " + e.getMessage(), e);
        }
    }

    private static void guarded(Runnable work) {
        guarded(() -> {
            work.run();
            return null;
        });
    }
}
