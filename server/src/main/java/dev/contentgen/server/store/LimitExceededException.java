package dev.contentgen.server.store;

import dev.contentgen.api.ErrorCode;

/** An owner's limit refused a request; {@code retryAfterSeconds} says when trying again makes sense. */
public final class LimitExceededException extends RuntimeException {
    private final ErrorCode code;
    private final long retryAfterSeconds;

    public LimitExceededException(ErrorCode code, String message, long retryAfterSeconds) {
        super(message);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ErrorCode code() {
        return code;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
