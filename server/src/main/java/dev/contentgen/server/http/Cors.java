package dev.contentgen.server.http;

import io.javalin.http.Context;

/**
 * CORS for the origins an operator allowed (--cors-origin): a browser app there may call the API
 * with a key and stream with a stream token. Never with cookies: sessions are for our own pages.
 */
final class Cors {
    private Cors() {}

    static void allow(Context ctx, String origin) {
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Vary", "Origin");
        ctx.header("Access-Control-Expose-Headers", "Location, Retry-After");
        if (ctx.method().name().equals("OPTIONS")) {
            ctx.header("Access-Control-Allow-Methods", "GET, POST, DELETE");
            ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key, Last-Event-ID");
            ctx.header("Access-Control-Max-Age", "600");
        }
    }

    /** The answer to a preflight whose origin the filter let through. */
    static void preflight(Context ctx) {
        ctx.status(204);
    }
}
