-- What each completed step used: the tokens its provider reported, and their cost when the node that ran
-- it had a price for the model (NULL: no price). A ledger, not a projection of one job: it has no
-- foreign key, so it outlives the job it records (deleting a job, or retention, leaves the owner's
-- usage totals as they were). Portable: SQLite and PostgreSQL.
CREATE TABLE step_usage (
    artifact_id   TEXT PRIMARY KEY,
    job_id        TEXT             NOT NULL,
    owner_id      TEXT             NOT NULL,
    step          INTEGER          NOT NULL,
    provider      TEXT             NOT NULL,
    model         TEXT             NOT NULL,
    input_tokens  BIGINT           NOT NULL,
    output_tokens BIGINT           NOT NULL,
    cost_usd      DOUBLE PRECISION,
    created_at    BIGINT           NOT NULL
);

CREATE INDEX step_usage_job ON step_usage (job_id);
CREATE INDEX step_usage_owner ON step_usage (owner_id, created_at);

-- How many jobs each live node runs at once (--workers), so a waiting job's owner hears how busy
-- the whole cluster is, not only the node that answered. A node renews its row every 30 s and
-- deletes it when it stops; the row of a node that died is ignored once it is 90 s old.
CREATE TABLE node_workers (
    node_id TEXT    PRIMARY KEY,
    workers INTEGER NOT NULL,
    seen_at BIGINT  NOT NULL
);
