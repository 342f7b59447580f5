package dev.contentgen.server.store;

import dev.contentgen.api.JobRevision;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of revisions: a new job that copies its parent's request and points at it and at the
 * piece's first job, the parent's finished artifacts a revision copies, and a piece's history.
 */
final class RevisionRows {
    /** The columns {@link #revisionFrom} reads, for the job queries to select. */
    static final String COLUMNS = "parent_id, revision_of, revision_number, revision_step, revision_instruction";

    private RevisionRows() {}

    /** A parent a revision may be made from: its root and whether it is completed. */
    record Parent(String id, String root, String status) {}

    /** The parent, locked for the transaction, if {@code scope} sees it. */
    static Optional<Parent> lockParent(Handle h, Dialect dialect, String parentId, JobScope scope) {
        return h.createQuery("SELECT id, revision_of, status FROM jobs WHERE id = :id" + scope.sql() + dialect.lockRow())
                .bind("id", parentId).bind("owner", scope.ownerOrNull())
                .map((rs, ctx) -> new Parent(rs.getString("id"),
                        rs.getString("revision_of") == null ? rs.getString("id") : rs.getString("revision_of"), rs.getString("status")))
                .findOne();
    }

    /** The next revision number of a piece: its revisions are counted under the lock of their parent's row. */
    static int nextNumber(Handle h, Dialect dialect, String root) {
        // Two revisions of one piece from two different parents: the root's row serialises them
        // (SQLite's single writer already does); the unique index is the last word.
        h.createQuery("SELECT id FROM jobs WHERE id = :root" + dialect.lockRow()).bind("root", root).mapTo(String.class).findOne();
        return h.createQuery("SELECT COALESCE(MAX(revision_number), 0) + 1 FROM jobs WHERE revision_of = :root")
                .bind("root", root).mapTo(Integer.class).one();
    }

    /** Inserts the revision: the parent's request, pending, with its links. */
    static void insert(Handle h, String id, Parent parent, int number, String step, String instruction,
                       String idempotencyKey, String hash, long now) {
        h.createUpdate("""
                        INSERT INTO jobs (id, owner_id, idempotency_key, request_hash, topic, format, tone, length, audience, provider, model,
                                          status, attempt, last_seq, next_step, created_at, updated_at,
                                          parent_id, revision_of, revision_number, revision_step, revision_instruction)
                        SELECT :id, owner_id, :key, :hash, topic, format, tone, length, audience, provider, model,
                               'pending', 1, 0, 0, :now, :now, :parent, :root, :number, :step, :instruction
                        FROM jobs WHERE id = :parent""")
                .bind("id", id).bind("key", idempotencyKey).bind("hash", hash).bind("now", now)
                .bind("parent", parent.id()).bind("root", parent.root()).bind("number", number)
                .bind("step", step).bind("instruction", instruction)
                .execute();
    }

    /** The revision's links from a row that selected {@link #COLUMNS}; null for a job that is no revision. */
    static JobRevision revisionFrom(ResultSet rs) throws SQLException {
        String parent = rs.getString("parent_id");
        return parent == null ? null : new JobRevision(parent, rs.getString("revision_of"), rs.getInt("revision_number"),
                rs.getString("revision_step"), rs.getString("revision_instruction"));
    }

    /** The completed artifacts of a job, by step: what a revision of it copies. */
    static List<ClaimedJob.FinishedArtifact> finishedArtifacts(Handle h, String jobId) {
        return finishedArtifacts(h, List.of(jobId)).getOrDefault(jobId, List.of());
    }

    /** The completed artifacts of each of {@code jobIds} that has any, by step (one read for a batch of claims). */
    static Map<String, List<ClaimedJob.FinishedArtifact>> finishedArtifacts(Handle h, List<String> jobIds) {
        record Row(String jobId, ClaimedJob.FinishedArtifact artifact) {}
        Map<String, List<ClaimedJob.FinishedArtifact>> byJob = new HashMap<>();
        h.createQuery("""
                        SELECT job_id, step, kind, title, content FROM artifacts
                        WHERE job_id IN (<jobs>) AND status = 'completed' ORDER BY job_id, step""")
                .bindList("jobs", jobIds)
                .map((rs, ctx) -> new Row(rs.getString("job_id"), new ClaimedJob.FinishedArtifact(
                        rs.getInt("step"), rs.getString("kind"), rs.getString("title"), rs.getString("content"))))
                .forEach(row -> byJob.computeIfAbsent(row.jobId(), j -> new ArrayList<>()).add(row.artifact()));
        return byJob;
    }

    /** The piece's root: the job itself, or the first job it is a revision of; empty when {@code scope} does not see it. */
    static Optional<String> rootOf(Handle h, String jobId, JobScope scope) {
        return h.createQuery("SELECT COALESCE(revision_of, id) FROM jobs WHERE id = :id" + scope.sql())
                .bind("id", jobId).bind("owner", scope.ownerOrNull()).mapTo(String.class).findOne();
    }

    /** The root and its revisions, in order, as {@code scope} sees them; {@code columns} are the job columns. */
    static String historyQuery(String columns, JobScope scope) {
        return "SELECT " + columns + " FROM jobs WHERE (id = :root OR revision_of = :root)" + scope.sql()
                + " ORDER BY COALESCE(revision_number, 0)";
    }
}
