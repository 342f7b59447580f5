-- A key's default webhook (portable: SQLite and PostgreSQL): a job created with the key that
-- names no webhook of its own gets a copy of it, secret included, when it is created.
CREATE TABLE api_key_webhooks (
    key_id     TEXT    PRIMARY KEY REFERENCES api_keys (id) ON DELETE CASCADE,
    url        TEXT    NOT NULL,
    steps      INTEGER NOT NULL,
    secret     TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);

-- The key whose default a job's webhook was copied from; NULL when the job named its own.
-- Its secret was shown when the key's default was set, so the job's answers never show it.
ALTER TABLE job_webhooks ADD COLUMN key_id TEXT;
