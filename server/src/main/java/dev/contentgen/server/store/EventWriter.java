package dev.contentgen.server.store;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Appends one event to a job's log and keeps jobs and artifacts in step with it, inside the
 * caller's transaction. This is the hottest write path (dozens of events per job), so it is plain
 * JDBC: a JFR profile of the throughput benchmark put 31% of the server's CPU in Jdbi, most of it
 * per-statement set-up on this path, six times what the SQLite driver itself spent.
 */
final class EventWriter {
    private static final String NEXT_SEQ = "UPDATE jobs SET last_seq = last_seq + 1, updated_at = ? WHERE id = ?";
    // The run, not the node: a node may rescue and re-claim a job while a stalled worker of its own still runs it.
    // The expected last seq makes a retried append whose commit answer was lost find its batch instead of writing it twice.
    private static final String FENCE = " AND lease_run = ? AND status = 'running' AND last_seq = ?";
    private static final String RETURNING_SEQ = " RETURNING last_seq";
    private static final String INSERT_EVENT =
            "INSERT INTO job_events (job_id, seq, type, data, created_at) VALUES (?, ?, ?, ?, ?)";
    private static final String PROJECT_STATUS = """
            UPDATE jobs SET status = ?, attempt = ?, error_code = ?, error_message = ?,
                   lease_owner = CASE WHEN ? THEN lease_owner END,
                   lease_expires_at = CASE WHEN ? THEN lease_expires_at END
            WHERE id = ?""";
    private static final String PROJECT_CREATED = """
            INSERT INTO artifacts (id, job_id, step, kind, title, status, content, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 'streaming', '', ?, ?)""";
    private static final String PROJECT_DELTA = "UPDATE artifacts SET content = content || ?, updated_at = ? WHERE id = ?";
    private static final String PROJECT_COMPLETED =
            "UPDATE artifacts SET status = 'completed', content = ?, updated_at = ? WHERE id = ?";
    // A finished step is a checkpoint: a resumed job starts after it.
    private static final String CHECKPOINT = "UPDATE jobs SET next_step = (SELECT step FROM artifacts WHERE id = ?) + 1 WHERE id = ?";
    private static final String PROJECT_DISCARDED = "UPDATE artifacts SET status = 'discarded', updated_at = ? WHERE id = ?";
    private static final String RUN_AND_LAST_SEQ = "SELECT lease_run, last_seq FROM jobs WHERE id = ?";
    private static final String EVENTS_AFTER = "SELECT seq, type, data FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq";

    /** Appends without a fence: the caller holds the job's row (it has just created, claimed or taken it). */
    StoredEvent append(Connection c, String jobId, JobEvent event, long now) throws SQLException {
        return store(c, jobId, nextSeq(c, prepare(c, NEXT_SEQ + RETURNING_SEQ, now, jobId)).orElseThrow(() -> new LeaseLostException(jobId)), event, now);
    }

    /**
     * Appends as {@code run}, whose log ends at {@code expectedLastSeq}; empty when the job is no
     * longer this run's or its log has moved on (see {@link #landed}).
     */
    Optional<StoredEvent> append(Connection c, JobRun run, long expectedLastSeq, JobEvent event, long now) throws SQLException {
        Optional<Long> seq = nextSeq(c, prepare(c, NEXT_SEQ + FENCE + RETURNING_SEQ, now, run.jobId(), run.number(), expectedLastSeq));
        if (seq.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(store(c, run.jobId(), seq.get(), event, now));
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
                        type.equals("status") && Json.readEvent(data).isTerminal()));
            }
        }
        return Optional.of(events);
    }

    private StoredEvent store(Connection c, String jobId, long seq, JobEvent event, long now) throws SQLException {
        String data = Json.writeEvent(new LoggedEvent(seq, jobId, Instant.ofEpochMilli(now), event));
        update(c, INSERT_EVENT, jobId, seq, event.type(), data, now);
        project(c, jobId, event, now);
        return new StoredEvent(jobId, seq, event.type(), data, event instanceof JobEvent.Status s && s.isTerminal());
    }

    private static Optional<Long> nextSeq(Connection c, PreparedStatement prepared) throws SQLException {
        try (PreparedStatement statement = prepared; ResultSet rs = statement.executeQuery()) {
            return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
        }
    }

    private static void project(Connection c, String jobId, JobEvent event, long now) throws SQLException {
        switch (event) {
            case JobEvent.Status s -> {
                boolean keepLease = s.status() == JobStatus.RUNNING;
                update(c, PROJECT_STATUS, s.status().wireName(), s.attempt(),
                        s.error() == null ? null : s.error().code().name(), s.error() == null ? null : s.error().message(),
                        keepLease, keepLease, jobId);
            }
            case JobEvent.Progress p -> { }
            case JobEvent.ArtifactCreated created ->
                    update(c, PROJECT_CREATED, created.artifactId(), jobId, created.step(), created.kind(), created.title(), now, now);
            case JobEvent.ArtifactDelta delta -> update(c, PROJECT_DELTA, delta.text(), now, delta.artifactId());
            case JobEvent.ArtifactCompleted completed -> {
                update(c, PROJECT_COMPLETED, completed.content(), now, completed.artifactId());
                update(c, CHECKPOINT, completed.artifactId(), jobId);
            }
            case JobEvent.ArtifactDiscarded discarded -> update(c, PROJECT_DISCARDED, now, discarded.artifactId());
            case JobEvent.Snapshot snapshot -> throw new IllegalArgumentException("a snapshot stands for logged events; it is never logged");
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
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case null -> statement.setNull(i + 1, Types.VARCHAR);
                    case String s -> statement.setString(i + 1, s);
                    case Long l -> statement.setLong(i + 1, l);
                    case Integer n -> statement.setInt(i + 1, n);
                    case Boolean b -> statement.setBoolean(i + 1, b);
                    default -> throw new IllegalArgumentException("no JDBC binding for " + args[i].getClass());
                }
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }
}
