package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.server.auth.Principal;
import io.javalin.http.Context;

/** The authenticated principal of a request, as the access filter left it. */
final class Caller {
    private static final String ATTRIBUTE = "contentgen.principal";

    private Caller() {}

    static void set(Context ctx, Principal principal) {
        ctx.attribute(ATTRIBUTE, principal);
    }

    /** The principal, or null when the request carried no credential (the events route then looks for a stream token). */
    static Principal optional(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }

    static Principal of(Context ctx) {
        Principal principal = ctx.attribute(ATTRIBUTE);
        if (principal == null) {
            throw unauthorized();
        }
        return principal;
    }

    /** A principal that may change things (not a read-only stream token). */
    static Principal writer(Context ctx) {
        Principal principal = of(ctx);
        if (!principal.mayWrite()) {
            throw unauthorized();
        }
        return principal;
    }

    static ApiException unauthorized() {
        return new ApiException(ErrorCode.UNAUTHORIZED,
                "This node needs an API key: send 'Authorization: Bearer <key>' (create one with 'contentgen keys create --name NAME').");
    }
}
