package dev.contentgen.server.store;

import org.jdbi.v3.core.Handle;

/** Removes one job with its log and artifacts, inside the caller's transaction (DELETE /api/jobs/{id} and retention). */
final class JobDeletion {
    private JobDeletion() {}

    /** False when the job does not exist for {@code scope} (or is gone already). */
    static boolean delete(Handle h, Dialect dialect, String jobId, JobScope scope) {
        // The job's row first: a worker still appending waits on it, then finds the job gone and stops
        // (its fenced append matches no row), so no event of it can land between our deletes.
        boolean exists = h.createQuery("SELECT id FROM jobs WHERE id = :id" + scope.sql() + dialect.lockRow())
                .bind("id", jobId).bind("owner", scope.ownerOrNull())
                .mapTo(String.class).findOne().isPresent();
        if (!exists) {
            return false;
        }
        h.createUpdate("DELETE FROM job_events WHERE job_id = :id").bind("id", jobId).execute();
        h.createUpdate("DELETE FROM artifacts WHERE job_id = :id").bind("id", jobId).execute();
        h.createUpdate("DELETE FROM jobs WHERE id = :id").bind("id", jobId).execute();
        return true;
    }
}
