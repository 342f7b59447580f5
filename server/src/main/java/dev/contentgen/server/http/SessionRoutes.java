package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.api.Session;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.auth.ApiKeys;
import dev.contentgen.server.auth.Principal;
import dev.contentgen.server.auth.Sessions;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * The web UI's sign-in: {@code GET /api/session} says whether a key is needed and who is signed
 * in; {@code POST} exchanges a key for an HttpOnly cookie; {@code DELETE} signs out.
 */
final class SessionRoutes {
    /** The sign-in body: the key, sent once. */
    record SignIn(String key) {}

    private final AccessMode mode;
    private final ApiKeys keys;
    private final Sessions sessions;

    SessionRoutes(AccessMode mode, ApiKeys keys, Sessions sessions) {
        this.mode = mode;
        this.keys = keys;
        this.sessions = sessions;
    }

    void show(Context ctx) {
        json(ctx, describe(Caller.optional(ctx)));
    }

    void signIn(Context ctx) throws IOException {
        if (mode.local()) {
            json(ctx, describe(new Principal.LocalUser()));
            return;
        }
        SignIn body = JsonBody.read(ctx, SignIn.class);
        Principal.KeyHolder holder = keys.authenticate(body.key() == null ? null : body.key().strip())
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, "That key is not valid or has been revoked."));
        ctx.header("Set-Cookie", cookie(ctx, sessions.issue(holder), sessions.ttl().toSeconds()));
        ctx.header("Cache-Control", "no-store");
        json(ctx, describe(holder));
    }

    void signOut(Context ctx) {
        ctx.header("Set-Cookie", cookie(ctx, "", 0));
        ctx.status(204);
    }

    private Session describe(Principal principal) {
        return switch (principal) {
            case Principal.LocalUser local -> new Session("local", local.owner(), true);
            case Principal.KeyHolder key -> new Session("keys", key.owner(), key.admin());
            case null, default -> new Session(mode.local() ? "local" : "keys", null, false);
        };
    }

    /** HttpOnly so page scripts never see it; Strict so no other site's page sends it; Secure behind TLS. */
    private static String cookie(Context ctx, String value, long maxAgeSeconds) {
        boolean tls = "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return Sessions.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (tls ? "; Secure" : "");
    }

    private static void json(Context ctx, Object body) {
        ctx.contentType("application/json").result(Json.write(body));
    }
}
