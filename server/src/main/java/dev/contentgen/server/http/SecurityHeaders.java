package dev.contentgen.server.http;

import io.javalin.http.Context;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;

/** The headers every answer carries so that the UI, and model text in it, cannot be turned against the user. */
final class SecurityHeaders {
    /**
     * Scripts, styles and connections from this node only; images from it or inline data, so
     * Markdown from a model cannot make the browser call another host; no plugins, no
     * {@code <base>} rewriting, no framing, forms post only here.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            // For browsers that predate frame-ancestors.
            "X-Frame-Options", "DENY");

    private SecurityHeaders() {}

    /** A before-filter: headers only, so a stream is neither buffered nor delayed by it. */
    static void apply(Context ctx) {
        HEADERS.forEach(ctx::header);
    }

    static void apply(HttpFields.Mutable headers) {
        HEADERS.forEach(headers::put);
    }
}
