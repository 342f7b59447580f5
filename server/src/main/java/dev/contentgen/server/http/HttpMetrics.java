package dev.contentgen.server.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.jetty12.server.DefaultJettyCoreRequestTagsProvider;
import io.micrometer.jetty12.server.JettyCoreRequestTagsProvider;
import io.micrometer.jetty12.server.TimedHandler;
import java.util.List;
import java.util.regex.Pattern;
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
    private static final List<Route> ROUTES = List.of(
            new Route("/api/jobs/{id}", "/api/jobs/[^/]+"),
            new Route("/api/jobs/{id}/events", "/api/jobs/[^/]+/events"),
            new Route("/api/jobs/{id}/streams", "/api/jobs/[^/]+/streams"),
            new Route("/api/jobs/{id}/cancel", "/api/jobs/[^/]+/cancel"),
            new Route("/api/jobs/{id}/stream-token", "/api/jobs/[^/]+/stream-token"),
            new Route("/api/keys/{id}/revoke", "/api/keys/[^/]+/revoke"),
            new Route("/jobs/{id}", "/jobs/[^/]+"));
    private static final List<String> FIXED = List.of("/", "/api/jobs", "/api/keys", "/api/session", "/api/providers",
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
        String path = request.getHttpURI().getPath();
        if (path == null) {
            return "other";
        }
        if (FIXED.contains(path)) {
            return path;
        }
        for (Route route : ROUTES) {
            if (route.pattern.matcher(path).matches()) {
                return route.template;
            }
        }
        return "other";
    }

    private record Route(String template, Pattern pattern) {
        Route(String template, String regex) {
            this(template, Pattern.compile(regex));
        }
    }
}
