package dev.contentgen.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /api/openapi.json}: the OpenAPI 3.1 document of this API, a static resource kept true by the tests. */
final class OpenApiRoute {
    static final String PATH = "/api/openapi.json";
    private static final byte[] DOCUMENT = read();

    private OpenApiRoute() {}

    static void serve(Context ctx) {
        // No caller needed: the document describes the API, it reveals no one's data.
        ctx.contentType("application/json").result(DOCUMENT);
    }

    private static byte[] read() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the server's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
