package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.auth.ApiKeys;
import dev.contentgen.server.auth.Principal;
import dev.contentgen.server.auth.Sessions;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpURI;

/**
 * Runs before every route: refuses foreign Host names in local mode (DNS rebinding) and requests
 * from foreign origins, answers CORS for the allowed ones, and works out who the caller is. The
 * events route also takes a stream token; it checks that one itself, since a token names its job.
 */
final class AccessFilter {
    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final AccessMode mode;
    private final ApiKeys keys;
    private final Sessions sessions;
    private final Set<String> corsOrigins;

    AccessFilter(AccessMode mode, ApiKeys keys, Sessions sessions, Set<String> corsOrigins) {
        this.mode = mode;
        this.keys = keys;
        this.sessions = sessions;
        this.corsOrigins = corsOrigins;
    }

    void handle(Context ctx) {
        boolean local = mode.local();
        String host = requestedHost(ctx);
        if (local && mode.loopbackOnly() && !LoopbackNames.isLoopbackHost(host)) {
            throw new ApiException(ErrorCode.HOST_NOT_ALLOWED, "This node runs in local mode and answers only to localhost "
                    + "and loopback addresses. To serve it under another name, create an API key and use it.");
        }
        String origin = ctx.header("Origin");
        boolean api = ctx.path().startsWith("/api/") || ctx.path().equals("/metrics");
        if (origin != null && !isOwnOrigin(origin, host)) {
            if (!corsOrigins.contains(origin)) {
                // A page elsewhere must not drive (or read from) this node, logged in or not.
                if (api || UNSAFE.contains(ctx.method().name())) {
                    throw new ApiException(ErrorCode.ORIGIN_NOT_ALLOWED, "Requests from " + shown(origin)
                            + " are not allowed. An operator can allow a web app's origin with --cors-origin.");
                }
            } else if (api) {
                Cors.allow(ctx, origin);
            }
        }
        if (!api || ctx.method().name().equals("OPTIONS")) {
            return;
        }
        Optional<Principal> principal;
        try {
            principal = local ? Optional.of(new Principal.LocalUser()) : authenticate(ctx, origin, host);
        } catch (ApiException e) {
            // The sign-in endpoints answer a stale credential with "signed out", so the UI can sign in again.
            if (!ctx.path().equals("/api/session")) {
                throw e;
            }
            principal = Optional.empty();
        }
        principal.ifPresent(p -> Caller.set(ctx, p));
    }

    private Optional<Principal> authenticate(Context ctx, String origin, String host) {
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            String secret = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).strip() : null;
            return Optional.of(keys.authenticate(secret).map(Principal.class::cast).orElseThrow(() -> new ApiException(
                    ErrorCode.UNAUTHORIZED, "The API key is not valid or has been revoked.")));
        }
        String cookie = ctx.cookie(Sessions.COOKIE);
        if (cookie != null) {
            Optional<Principal.KeyHolder> holder = sessions.keyId(cookie).flatMap(keys::byId);
            if (holder.isEmpty()) {
                throw new ApiException(ErrorCode.UNAUTHORIZED, "Your session has ended (it expired or its key was revoked); sign in again.");
            }
            // The cookie rides along on any request the browser makes; a change must come from our own pages.
            if (UNSAFE.contains(ctx.method().name()) && (origin == null || !isOwnOrigin(origin, host))) {
                throw new ApiException(ErrorCode.ORIGIN_NOT_ALLOWED,
                        "A signed-in browser may change things only from this node's own pages.");
            }
            return Optional.of(holder.get());
        }
        return Optional.empty();
    }

    /** The name the client asked for: HTTP/1.1's Host header, or HTTP/2's :authority (an HTTP/2 request has no Host header). */
    static String requestedHost(Context ctx) {
        String host = ctx.header("Host");
        if (host != null) {
            return host;
        }
        HttpURI uri = ServletContextRequest.getServletContextRequest(ctx.req()).getHttpURI();
        return uri.hasAuthority() ? uri.getAuthority() : null;
    }

    /** The page is this node's own: its origin names the host the request was sent to. */
    private static boolean isOwnOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        String o = origin.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        return o.equals("http://" + h) || o.equals("https://" + h)
                || o.equals("http://" + h + ":80") || o.equals("https://" + h + ":443");
    }

    private static String shown(String origin) {
        String clean = origin.replaceAll("[^\\x21-\\x7e]", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
    }
}
