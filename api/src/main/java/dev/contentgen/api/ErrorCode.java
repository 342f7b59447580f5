package dev.contentgen.api;

/** Stable machine-readable codes shared by problem details, error events and failed jobs. */
public enum ErrorCode {
    // Bad requests: the client must change something; nothing was stored.
    BAD_REQUEST(400),
    MALFORMED_JSON(400),
    INVALID_FIELD(400),
    UNKNOWN_FORMAT(400),
    UNKNOWN_PROVIDER(400),
    UNKNOWN_MODEL(400),
    INVALID_LAST_EVENT_ID(400),
    INVALID_CURSOR(400),
    /** A multiplexed stream asked for a malformed job id. */
    INVALID_JOB_ID(400),
    /** A multiplexed stream asked for more jobs than it carries, or for one twice. */
    TOO_MANY_JOBS(400),
    /** A regenerate request naming a step the job does not have (the message lists those it has). */
    UNKNOWN_STEP(400),
    BODY_TOO_LARGE(413),
    URI_TOO_LONG(414),
    UNSUPPORTED_MEDIA_TYPE(415),
    IDEMPOTENCY_KEY_REUSED(422),
    HEADERS_TOO_LARGE(431),
    JOB_NOT_FOUND(404),
    /** On an open stream: its job was deleted; permanent, a reconnect gets 404 JOB_NOT_FOUND. */
    JOB_DELETED(404),
    WEBHOOK_DELIVERY_NOT_FOUND(404),
    ROUTE_NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    REQUEST_TIMEOUT(408),
    JOB_FINISHED(409),
    /** Only a completed job can have a step regenerated. */
    JOB_NOT_COMPLETED(409),
    // Who may do what (keys, stream tokens, local mode).
    UNAUTHORIZED(401),
    STREAM_TOKEN_EXPIRED(401),
    FORBIDDEN(403),
    HOST_NOT_ALLOWED(403),
    ORIGIN_NOT_ALLOWED(403),
    KEY_NOT_FOUND(404),
    // Limits per owner: slow down or wait for jobs to finish.
    RATE_LIMITED(429),
    TOO_MANY_ACTIVE_JOBS(429),
    TOO_MANY_STREAMS(429),
    // Transient trouble: retrying later is the right move.
    STORE_UNAVAILABLE(503),
    SERVER_SHUTTING_DOWN(503),
    // Why a job failed.
    WORKER_LOST(500),
    GENERATION_FAILED(500),
    // Why a job failed: the LLM provider said no (codes of a job's error, as a gateway would answer).
    PROVIDER_RATE_LIMITED(503),
    PROVIDER_UNAVAILABLE(502),
    PROVIDER_AUTH(502),
    MODEL_NOT_FOUND(502),
    INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
