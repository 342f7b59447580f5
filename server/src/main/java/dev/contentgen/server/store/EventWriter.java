package dev.contentgen.server.store;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Appends events to jobs' logs and keeps jobs and artifacts in step with them, inside the
 * caller's transaction. This is the hottest write path (dozens of events per job), so it is plain
 * JDBC: a JFR profile of the throughput benchmark put 31% of the server's CPU in Jdbi, most of it
 * per-statement set-up on this path, six times what the SQLite driver itself spent.
 *
 * <p>A delta costs its own row and nothing else: a streaming artifact's text is the log's deltas
 * (see {@link PartialText}), and {@code artifacts.content} is written once, when it completes.
 * Rewriting the whole text on every delta made the bytes written grow with the square of its length.
 */
final class EventWriter {
    private static final String NEXT_SEQ = "UPDATE jobs SET last_seq = last_seq + 1, updated_at = ? WHERE id = ? RETURNING last_seq";
    // The run, not the node: a node may rescue and re-claim a job while a stalled worker of its own still runs it.
    // The expected last seq makes a retried append whose commit answer was lost find its batch instead of writing it twice.
    private static final String ADVANCE = "UPDATE jobs SET last_seq = last_seq + ?, updated_at = ?"
            + " WHERE id = ? AND lease_run = ? AND status = 'running' AND last_seq = ?";
    private static final String INSERT_EVENT =
            "INSERT INTO job_events (job_id, seq, type, data, created_at) VALUES (?, ?, ?, ?, ?)";
    private static final String PROJECT_STATUS = """
            UPDATE jobs SET status = ?, attempt = ?, error_code = ?, error_message = ?,
                   lease_owner = CASE WHEN ? THEN lease_owner END,
                   lease_expires_at = CASE WHEN ? THEN lease_expires_at END,
                   finished_at = CASE WHEN ? THEN ? ELSE finished_at END
            WHERE id = ?""";
    private static final String PROJECT_CREATED = """
            INSERT INTO artifacts (id, job_id, step, kind, title, status, content, created_seq, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 'streaming', '', ?, ?, ?)""";
    private static final String PROJECT_COMPLETED =
            "UPDATE artifacts SET status = 'completed', content = ?, updated_at = ? WHERE id = ?";
    // A finished step is a checkpoint: a resumed job starts after it.
    private static final String CHECKPOINT = "UPDATE jobs SET next_step = (SELECT step FROM artifacts WHERE id = ?) + 1 WHERE id = ?";
    private static final String PROJECT_DISCARDED = "UPDATE artifacts SET status = 'discarded', content = ?, updated_at = ? WHERE id = ?";
    private static final String CREATED_SEQ = "SELECT created_seq FROM artifacts WHERE id = ?";
    private static final String RUN_AND_LAST_SEQ = "SELECT lease_run, last_seq FROM jobs WHERE id = ?";
    private static final String EVENTS_AFTER = "SELECT seq, type, data, created_at FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq";

    /**
     * Appends without a fence: the caller holds the job's row (it has just created, claimed or taken it).
     * What it appended goes into {@code announcements}, for the commit to announce.
     */
    StoredEvent append(Connection c, String jobId, JobEvent event, long now, Announcements announcements) throws SQLException {
        long seq;
        try (PreparedStatement statement = prepare(c, NEXT_SEQ, now, jobId); ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                throw new LeaseLostException(jobId);
            }
            seq = rs.getLong(1);
        }
        StoredEvent stored = encode(jobId, seq, event, now);
        update(c, INSERT_EVENT, jobId, seq, event.type(), stored.data(), now);
        Projections projections = Projections.immediate(c);
        project(projections, jobId, seq, event, now);
        announcements.appended(stored, event, projections.deliveriesQueued());
        return stored;
    }

    /**
     * Moves each request's job on by its number of events when the job is still that run's and its
     * log ends where the request expects; one batched statement for all. Each count is 1 where the
     * fence held (the seqs after the expected one are the request's), 0 where it did not.
     */
    int[] advance(Connection c, List<AppendBatch.Request> requests, long now) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(ADVANCE)) {
            for (AppendBatch.Request r : requests) {
                bind(statement, (long) r.events().size(), now, r.run().jobId(), r.run().number(), r.expectedLastSeq());
                statement.addBatch();
            }
            return statement.executeBatch();
        }
    }

    /** The request's events as they will be stored, at the seqs after its expected one. */
    static List<StoredEvent> encode(AppendBatch.Request r, long now) {
        List<StoredEvent> stored = new ArrayList<>(r.events().size());
        for (int i = 0; i < r.events().size(); i++) {
            stored.add(encode(r.run().jobId(), r.expectedLastSeq() + 1 + i, r.events().get(i), now));
        }
        return stored;
    }

    /** Inserts the log entries, one batched statement for all. */
    void insert(Connection c, List<StoredEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = c.prepareStatement(INSERT_EVENT)) {
            for (StoredEvent e : events) {
                bind(statement, e.jobId(), e.seq(), e.type(), e.data(), e.createdAtMillis());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /**
     * The events {@code run} wrote after {@code expectedLastSeq}, when the job is still its run and
     * its log has grown: a retried write whose earlier commit landed although its answer was lost.
     * Only the run holding the lease writes to a job, so whatever follows its expected seq is its own.
     */
    Optional<List<StoredEvent>> landed(Connection c, JobRun run, long expectedLastSeq) throws SQLException {
        try (PreparedStatement statement = prepare(c, RUN_AND_LAST_SEQ, run.jobId()); ResultSet rs = statement.executeQuery()) {
            if (!rs.next() || rs.getLong(1) != run.number() || rs.getLong(2) <= expectedLastSeq) {
                return Optional.empty();
            }
        }
        List<StoredEvent> events = new ArrayList<>();
        try (PreparedStatement statement = prepare(c, EVENTS_AFTER, run.jobId(), expectedLastSeq); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                String type = rs.getString(2);
                String data = rs.getString(3);
                events.add(new StoredEvent(run.jobId(), rs.getLong(1), type, data,
                        type.equals("status") && Json.readEvent(data).isTerminal(), rs.getLong(4)));
            }
        }
        return Optional.of(events);
    }

    static StoredEvent encode(String jobId, long seq, JobEvent event, long now) {
        String data = Json.writeEvent(new LoggedEvent(seq, jobId, Instant.ofEpochMilli(now), event));
        return new StoredEvent(jobId, seq, event.type(), data, event instanceof JobEvent.Status s && s.isTerminal(), now);
    }

    /** The projection statements a batch of appends may gather, in the order they must run (see {@link Projections}). */
    static Projections gathering(Connection c) {
        return Projections.gathering(c, List.of(PROJECT_STATUS, PROJECT_CREATED, PROJECT_COMPLETED, CHECKPOINT, UsageLedger.RECORD,
                WebhookStore.ENQUEUE));
    }

    /**
     * Keeps the job's and its artifacts' rows in step with an event appended at {@code seq}, and queues
     * the webhook delivery it causes, through {@code out}.
     */
    void project(Projections out, String jobId, long seq, JobEvent event, long now) throws SQLException {
        switch (event) {
            case JobEvent.Status s -> {
                boolean keepLease = s.status() == JobStatus.RUNNING;
                out.run(PROJECT_STATUS, s.status().wireName(), s.attempt(),
                        s.error() == null ? null : s.error().code().name(), s.error() == null ? null : s.error().message(),
                        keepLease, keepLease, s.isTerminal(), now, jobId);
            }
            case JobEvent.Progress p -> { }
            case JobEvent.ArtifactCreated created ->
                    out.run(PROJECT_CREATED, created.artifactId(), jobId, created.step(), created.kind(), created.title(), seq, now, now);
            case JobEvent.ArtifactDelta delta -> { }
            case JobEvent.ArtifactCompleted completed -> {
                out.run(PROJECT_COMPLETED, completed.content(), now, completed.artifactId());
                out.run(CHECKPOINT, completed.artifactId(), jobId);
                UsageLedger.record(out, jobId, completed, now);
            }
            // Rare (a retried or interrupted step): the partial text is kept with the row, once.
            case JobEvent.ArtifactDiscarded discarded -> {
                Connection c = out.reading();
                update(c, PROJECT_DISCARDED, PartialText.read(c, jobId, discarded.artifactId(), createdSeq(c, discarded.artifactId())),
                        now, discarded.artifactId());
            }
            case JobEvent.Snapshot snapshot -> throw new IllegalArgumentException("a snapshot stands for logged events; it is never logged");
        }
        // The outbox: a webhook delivery commits with the event that causes it, or not at all.
        WebhookStore.enqueue(out, jobId, seq, event, now);
    }

    private static long createdSeq(Connection c, String artifactId) throws SQLException {
        try (PreparedStatement statement = prepare(c, CREATED_SEQ, artifactId); ResultSet rs = statement.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = prepare(c, sql, args)) {
            statement.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        try {
            bind(statement, args);
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement statement, Object... args) throws SQLException {
        Projections.bind(statement, args);
    }
}
