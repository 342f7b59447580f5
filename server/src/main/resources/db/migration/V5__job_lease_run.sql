-- The run that holds a job's lease, counted up by every claim, rescue and cancel of a running
-- job: the fence of its appends and renewals. The node id alone cannot fence: a node can
-- rescue and re-claim a job while one of its own workers, stalled past the lease, still runs it.
-- Portable: SQLite and PostgreSQL.
ALTER TABLE jobs ADD COLUMN lease_run BIGINT NOT NULL DEFAULT 0;
