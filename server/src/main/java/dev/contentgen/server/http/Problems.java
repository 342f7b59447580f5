package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.api.Problem;
import io.javalin.http.Context;

/** Writes RFC 9457 problem details. */
final class Problems {
    static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {}

    /** The code for an HTTP status that Javalin or Jetty chose where no route said more. */
    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 404 -> ErrorCode.ROUTE_NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 408 -> ErrorCode.REQUEST_TIMEOUT;
            case 413 -> ErrorCode.BODY_TOO_LARGE;
            case 414 -> ErrorCode.URI_TOO_LONG;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 431 -> ErrorCode.HEADERS_TOO_LARGE;
            case 503 -> ErrorCode.SERVER_SHUTTING_DOWN;
            // 501 and 505: a transfer coding or HTTP version the request should not have used.
            case 501, 505 -> ErrorCode.BAD_REQUEST;
            default -> status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL;
        };
    }

    static void send(Context ctx, ErrorCode code, String detail) {
        ctx.status(code.httpStatus())
                .contentType(CONTENT_TYPE)
                .result(Json.write(Problem.of(code, detail, ctx.path())));
    }
}
