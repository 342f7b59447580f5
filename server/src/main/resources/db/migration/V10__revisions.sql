-- Revisions: a job that regenerates one step of a completed job is a new job linked to it, so
-- the parent's log stays append-only and finished. parent_id: the job it was regenerated from;
-- revision_of: the piece's first job (the root); revision_number: 1, 2, … per root;
-- revision_step: the step key (e.g. section-2); revision_instruction: what to change (NULL: none).
-- No foreign key: deleting a parent leaves its revisions as they are. Portable: SQLite and PostgreSQL.
ALTER TABLE jobs ADD COLUMN parent_id TEXT;
ALTER TABLE jobs ADD COLUMN revision_of TEXT;
ALTER TABLE jobs ADD COLUMN revision_number INTEGER;
ALTER TABLE jobs ADD COLUMN revision_step TEXT;
ALTER TABLE jobs ADD COLUMN revision_instruction TEXT;
CREATE UNIQUE INDEX jobs_revision ON jobs (revision_of, revision_number);
