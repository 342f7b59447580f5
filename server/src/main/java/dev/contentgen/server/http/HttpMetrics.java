package dev.contentgen.server.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.jetty12.server.DefaultJettyCoreRequestTagsProvider;
import io.micrometer.jetty12.server.JettyCoreRequestTagsProvider;
import io.micrometer.jetty12.server.TimedHandler;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;

/**
 * Jetty's meters through Micrometer's own binders: requests ({@code jetty_server_requests_seconds}, and
 * {@code jetty_server_requests_open_seconds} for those still running, such as open streams) by method, status,
 * outcome and route ({@code uri}), and connections ({@code jetty_connections_*}). Jetty's thread-pool binder is not bound: with
 * virtual threads Javalin's pool has no size to report (it answers 1 thread, 1 idle, always); the JVM's thread
 * meters show the threads.
 */
final class HttpMetrics {
    /** Route templates, so that ids never become label values; any other path is {@code other}. */
    private static final List<Route> ROUTES = Stream.of("/api/jobs/{id}", "/api/jobs/{id}/events", "/api/jobs/{id}/streams",
            "/api/jobs/{id}/cancel", "/api/jobs/{id}/stream-token", "/api/keys/{id}/revoke", "/jobs/{id}").map(Route::new).toList();
    private static final Set<String> FIXED = Set.of("/", "/api/jobs", "/api/keys", "/api/session", "/api/providers",
            "/healthz", "/readyz", "/metrics");

    private HttpMetrics() {}

    /** Times every request: call before the server starts. */
    static void timeRequests(Server server, MeterRegistry meters) {
        JettyCoreRequestTagsProvider defaults = new DefaultJettyCoreRequestTagsProvider();
        server.insertHandler(new TimedHandler(meters, Tags.empty(),
                request -> Tags.of(defaults.getTags(request)).and(Tag.of("uri", route(request)))));
    }

    /** Counts the connections of every connector: call once the server has started (its connectors exist then). */
    static void countConnections(Server server, MeterRegistry meters) {
        JettyConnectionMetrics.addToAllConnectors(server, meters);
    }

    static String route(Request request) {
        return route(request.getHttpURI().getPath());
    }

    /** The {@code uri} label of a request for {@code path}. */
    static String route(String path) {
        if (path == null) {
            return "other";
        }
        if (FIXED.contains(path)) {
            return path;
        }
        for (Route route : ROUTES) {
            if (route.matches(path)) {
                return route.template;
            }
        }
        return "other";
    }

    /** A template with one {@code {id}} segment, matched by its text around it (every request goes through here: no regex). */
    private record Route(String template, String before, String after) {
        Route(String template) {
            this(template, template.substring(0, template.indexOf("{id}")), template.substring(template.indexOf("{id}") + 4));
        }

        boolean matches(String path) {
            int idEnd = path.length() - after.length();
            return idEnd > before.length() && path.startsWith(before) && path.endsWith(after)
                    && path.indexOf('/', before.length()) == (after.isEmpty() ? -1 : idEnd);
        }
    }
}
