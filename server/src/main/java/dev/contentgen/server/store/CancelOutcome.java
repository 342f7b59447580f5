package dev.contentgen.server.store;

/** What a cancel request did. */
public enum CancelOutcome {
    /** A pending job was cancelled at once. */
    CANCELLED,
    /** A running job was flagged; its worker stops at the next token. */
    REQUESTED,
    /** It was already cancelled: cancel is idempotent. */
    ALREADY_CANCELLED,
    /** It had already completed or failed. */
    ALREADY_FINISHED,
    NOT_FOUND
}
