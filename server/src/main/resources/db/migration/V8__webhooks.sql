-- Webhooks (portable: SQLite and PostgreSQL). A job's endpoint, the outbox of deliveries written
-- in the same transaction as the event that causes each one, and every attempt made.
CREATE TABLE job_webhooks (
    job_id      TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    url         TEXT    NOT NULL,
    steps       INTEGER NOT NULL,
    secret      TEXT    NOT NULL,
    -- Set when the receiver answered 410 Gone: no further deliveries until a manual redelivery.
    disabled_at BIGINT,
    created_at  BIGINT  NOT NULL
);

-- One row per logical delivery; its id is the webhook-id header, the same on every attempt.
-- next_attempt_at doubles as the claim's lease: a node that dies mid-attempt leaves the row due again.
CREATE TABLE webhook_deliveries (
    id                TEXT PRIMARY KEY,
    job_id            TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq               BIGINT  NOT NULL,
    event_type        TEXT    NOT NULL,
    state             TEXT    NOT NULL,
    attempts          INTEGER NOT NULL,
    next_attempt_at   BIGINT  NOT NULL,
    window_started_at BIGINT  NOT NULL,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL,
    UNIQUE (job_id, seq)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);

CREATE TABLE webhook_attempts (
    delivery_id   TEXT    NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    started_at    BIGINT  NOT NULL,
    duration_ms   BIGINT  NOT NULL,
    http_status   INTEGER,
    error         TEXT,
    PRIMARY KEY (delivery_id, number)
);
