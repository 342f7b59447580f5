-- Portable SQL (SQLite and PostgreSQL): TEXT ids (UUIDv7, so they sort by time),
-- BIGINT epoch-millis timestamps, INTEGER flags.

CREATE TABLE jobs (
    id               TEXT PRIMARY KEY,
    idempotency_key  TEXT,
    request_hash     TEXT    NOT NULL,
    topic            TEXT    NOT NULL,
    format           TEXT    NOT NULL,
    tone             TEXT    NOT NULL,
    length           TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    attempt          INTEGER NOT NULL,
    last_seq         BIGINT  NOT NULL,
    next_step        INTEGER NOT NULL,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    lease_owner      TEXT,
    lease_expires_at BIGINT,
    error_code       TEXT,
    error_message    TEXT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);

CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (idempotency_key);
CREATE INDEX jobs_status ON jobs (status, id);

-- The durable log every stream replays: seq is gap-free per job, allocated from jobs.last_seq.
CREATE TABLE job_events (
    job_id     TEXT   NOT NULL REFERENCES jobs (id),
    seq        BIGINT NOT NULL,
    type       TEXT   NOT NULL,
    data       TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (job_id, seq)
);

-- A projection of the log for GET /api/jobs/{id}; the log stays the source of truth.
CREATE TABLE artifacts (
    id         TEXT PRIMARY KEY,
    job_id     TEXT    NOT NULL REFERENCES jobs (id),
    step       INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);

CREATE INDEX artifacts_job ON artifacts (job_id, step);
