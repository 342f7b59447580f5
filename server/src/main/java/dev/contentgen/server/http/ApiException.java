package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;

/** A request the API refuses; becomes an RFC 9457 problem with this code. */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;

    public ApiException(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
