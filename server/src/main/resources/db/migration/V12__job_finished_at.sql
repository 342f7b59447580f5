-- When a job finished, in a column of its own. Every append moves jobs.updated_at, and while the
-- retention indexes below held updated_at, PostgreSQL could not update a running job's row in place
-- (a HOT update): each append wrote a new entry into every one of the table's indexes, most of the
-- write-ahead log an event cost under many concurrent jobs. finished_at is written once, with the
-- job's terminal status. Portable: SQLite and PostgreSQL.
ALTER TABLE jobs ADD COLUMN finished_at BIGINT;
UPDATE jobs SET finished_at = updated_at WHERE status IN ('completed', 'failed', 'cancelled');

DROP INDEX jobs_finished_uncompacted;
DROP INDEX jobs_finished;
CREATE INDEX jobs_finished_uncompacted ON jobs (finished_at) WHERE compacted_at IS NULL AND finished_at IS NOT NULL;
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
