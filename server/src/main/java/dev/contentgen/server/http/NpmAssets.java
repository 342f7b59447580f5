package dev.contentgen.server.http;

import io.javalin.http.Context;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * Serves front-end packages from mvnpm jars ({@code META-INF/resources/_static/NAME/VERSION/…})
 * under {@code /npm/NAME/VERSION/…}. Javalin's static files cannot: those jars have no directory
 * entries for it to mount.
 */
final class NpmAssets {
    static final String ROUTE = "/npm/<file>";
    private static final String ROOT = "META-INF/resources/_static/";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");

    private NpmAssets() {}

    static void serve(Context ctx) {
        String file = ctx.pathParam("file");
        // Segments may not start with a dot, so nothing climbs out of the packages' folder.
        InputStream in = SAFE.matcher(file).matches() ? NpmAssets.class.getClassLoader().getResourceAsStream(ROOT + file) : null;
        if (in == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("Not found");
            return;
        }
        // Versioned paths never change, so browsers may keep them.
        ctx.header("Cache-Control", "max-age=31622400").contentType(contentType(file)).result(in);
    }

    private static String contentType(String file) {
        if (file.endsWith(".js") || file.endsWith(".mjs")) {
            return "text/javascript; charset=utf-8";
        }
        if (file.endsWith(".json") || file.endsWith(".map")) {
            return "application/json";
        }
        return "application/octet-stream";
    }
}
