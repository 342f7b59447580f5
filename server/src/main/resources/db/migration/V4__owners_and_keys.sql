-- Tenancy: every job belongs to an owner (an API key's name, or 'local' in local mode), and
-- idempotency keys are unique per owner. Portable: SQLite and PostgreSQL.
ALTER TABLE jobs ADD COLUMN owner_id TEXT NOT NULL DEFAULT 'local';
DROP INDEX jobs_idempotency_key;
CREATE UNIQUE INDEX jobs_owner_idempotency_key ON jobs (owner_id, idempotency_key);
CREATE INDEX jobs_owner ON jobs (owner_id, id);
-- Limits count an owner's recent creations and its unfinished jobs.
CREATE INDEX jobs_owner_created ON jobs (owner_id, created_at);
CREATE INDEX jobs_owner_status ON jobs (owner_id, status);

-- API keys: only the SHA-256 of each secret is kept; the secret is shown once, at creation.
CREATE TABLE api_keys (
    id           TEXT    PRIMARY KEY,
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL,
    secret_hash  TEXT    NOT NULL,
    admin        INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);

CREATE UNIQUE INDEX api_keys_secret_hash ON api_keys (secret_hash);

-- Secrets shared by every node of a cluster, made by the first node that needs one
-- (e.g. the key that signs stream tokens and session cookies).
CREATE TABLE server_secrets (
    name       TEXT   PRIMARY KEY,
    value      TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

-- The event streams each owner holds open, on any node: the open-streams limit counts them.
-- A node renews its rows while their streams live; a dead node's rows expire by themselves.
CREATE TABLE open_streams (
    id         TEXT   PRIMARY KEY,
    owner_id   TEXT   NOT NULL,
    node_id    TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX open_streams_owner ON open_streams (owner_id, expires_at);
CREATE INDEX open_streams_node ON open_streams (node_id);
