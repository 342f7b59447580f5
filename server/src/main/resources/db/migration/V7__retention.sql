-- Retention: a finished job's artifact.delta events are dropped after a while (compaction); what a
-- resume into the dropped range gets instead is a snapshot (docs/PROTOCOL.md, "Snapshots").
-- compacted_at: when the job was compacted (NULL: never); compacted_seq: the highest seq dropped
-- (0: none), so a resume point at or beyond it reads the log exactly as before.
-- Portable: SQLite and PostgreSQL.
ALTER TABLE jobs ADD COLUMN compacted_at BIGINT;
ALTER TABLE jobs ADD COLUMN compacted_seq BIGINT NOT NULL DEFAULT 0;

-- The retention pass looks for finished jobs by the time they finished (updated_at), small batches at a time.
CREATE INDEX jobs_finished_uncompacted ON jobs (updated_at) WHERE compacted_at IS NULL AND status IN ('completed', 'failed', 'cancelled');
CREATE INDEX jobs_finished ON jobs (updated_at) WHERE status IN ('completed', 'failed', 'cancelled');
-- Idempotency keys expire: the pass clears the keys of jobs created before the cut-off.
CREATE INDEX jobs_idempotency_expiry ON jobs (created_at) WHERE idempotency_key IS NOT NULL;

-- What compaction dropped, in a few bytes per delta: for each run of consecutive dropped deltas of
-- one artifact, its first seq and each delta's length. With the artifact's final text this rebuilds
-- every dropped delta exactly, for clients that do not take snapshots (NULL: nothing dropped).
ALTER TABLE jobs ADD COLUMN compacted_deltas TEXT;
