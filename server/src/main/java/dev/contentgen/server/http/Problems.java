package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.api.Problem;
import io.javalin.http.Context;

/** Writes RFC 9457 problem details. */
final class Problems {
    static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {}

    static void send(Context ctx, ErrorCode code, String detail) {
        ctx.status(code.httpStatus())
                .contentType(CONTENT_TYPE)
                .result(Json.write(Problem.of(code, detail, ctx.path())));
    }
}
