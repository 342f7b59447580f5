package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Set;

/**
 * Takes request bodies as JSON only. A web page on another site can send {@code text/plain},
 * form-encoded or multipart bodies without a CORS preflight; {@code application/json} it cannot,
 * so refusing everything else keeps such "simple requests" from driving the node.
 */
final class JsonOnly {
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    private JsonOnly() {}

    /** A before-filter: a body, or any declared Content-Type, must be {@code application/json} (UTF-8). */
    static void check(Context ctx) {
        if (!BODY_METHODS.contains(ctx.req().getMethod())) {
            return;
        }
        String type = ctx.header("Content-Type");
        boolean hasBody = ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
        // A cross-site form post declares its type even when empty, so a declared type is checked too.
        if ((type != null || hasBody) && !isJson(type)) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as JSON with 'Content-Type: application/json'"
                    + " (UTF-8); got " + (type == null ? "no Content-Type" : "'" + shorten(type) + "'") + ".");
        }
    }

    /** {@code application/json}, optionally with {@code charset=utf-8} and nothing else; case does not matter. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            String value = param.length == 2 ? param[1].strip().replaceAll("^\"|\"$", "") : "";
            if (!param[0].strip().equalsIgnoreCase("charset") || !value.toLowerCase(Locale.ROOT).equals("utf-8")) {
                return false;
            }
        }
        return true;
    }

    private static String shorten(String type) {
        return type.length() > 80 ? type.substring(0, 80) + "…" : type;
    }
}
