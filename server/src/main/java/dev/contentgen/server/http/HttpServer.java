package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.server.job.JobService;
import dev.contentgen.server.metrics.NodeMetrics;
import dev.contentgen.server.pipeline.Providers;
import dev.contentgen.server.store.IdempotencyConflictException;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.stream.StreamHub;
import dev.contentgen.server.stream.StreamSettings;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.io.InputStream;
import java.util.Map;
import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP face of a node: every route in one place. */
public final class HttpServer {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final Javalin app;

    public HttpServer(String nodeId, JobService jobs, Providers providers, Store store, StreamHub hub, StreamSettings settings,
                      int maxBodyBytes, NodeMetrics metrics) {
        JobRoutes jobRoutes = new JobRoutes(jobs, providers, maxBodyBytes);
        EventsRoute events = new EventsRoute(store, hub, settings);
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            // The node stops Jetty itself, after its streams said goodbye; Jetty's own JVM hook would cut them first.
            config.jetty.modifyServer(server -> server.setStopAtShutdown(false));
            config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
            // Javalin relaxes URI checks to LEGACY; ambiguous or badly encoded paths are refused instead.
            config.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(UriCompliance.DEFAULT));
            // Never compress: a gzip buffer would hold back events and heartbeats.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.staticFiles.add("/public", Location.CLASSPATH);
            // The UI's Markdown renderer is a WebJar (/webjars/marked/…); its sanitizer comes from mvnpm (/npm/dompurify/…).
            config.staticFiles.enableWebjars();
            config.routes.before(SecurityHeaders::apply);
            config.routes.before(JsonOnly::check);
            config.routes.post("/api/jobs", jobRoutes::create);
            config.routes.get("/api/jobs", jobRoutes::list);
            config.routes.get("/api/jobs/{id}", jobRoutes::get);
            config.routes.post("/api/jobs/{id}/cancel", jobRoutes::cancel);
            config.routes.get("/api/jobs/{id}/events", events::handle);
            config.routes.get("/api/providers", ctx -> ctx.contentType("application/json").result(Json.write(providers.listing())));
            config.routes.get("/healthz", ctx -> ctx.contentType("application/json")
                    .result(Json.write(Map.of("status", "ok", "node", nodeId, "provider", providers.defaultProvider().name(), "openStreams", hub.openStreams()))));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            config.routes.get(NpmAssets.ROUTE, NpmAssets::serve);
            config.routes.get("/jobs/{id}", ctx -> {
                InputStream page = HttpServer.class.getResourceAsStream("/public/index.html");
                ctx.contentType("text/html; charset=utf-8").result(page);
            });
            config.routes.exception(ApiException.class, (e, ctx) -> Problems.send(ctx, e.code(), e.getMessage()));
            config.routes.exception(IdempotencyConflictException.class,
                    (e, ctx) -> Problems.send(ctx, ErrorCode.IDEMPOTENCY_KEY_REUSED, e.getMessage()));
            config.routes.exception(StoreException.class, (e, ctx) -> {
                log.warn("request {} {} failed, store unavailable: {}", ctx.method(), ctx.path(), e.getMessage());
                ctx.header("Retry-After", "2");
                Problems.send(ctx, ErrorCode.STORE_UNAVAILABLE, "The database is unavailable right now; retry shortly.");
            });
            config.routes.exception(HttpResponseException.class, (e, ctx) -> Problems.send(ctx, Problems.codeFor(e.getStatus()), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("request {} {} failed", ctx.method(), ctx.path(), e);
                Problems.send(ctx, ErrorCode.INTERNAL, "Something went wrong on our side; it was logged.");
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.path().startsWith("/api/") && ctx.result() == null) {
                    Problems.send(ctx, ErrorCode.ROUTE_NOT_FOUND, "No such endpoint: " + ctx.method() + " " + ctx.path() + ".");
                }
            });
            config.routes.error(405, "*", ctx -> Problems.send(ctx, ErrorCode.METHOD_NOT_ALLOWED,
                    ctx.method() + " is not allowed on " + ctx.path() + "."));
        });
    }

    public void start(String host, int port) {
        app.start(host, port);
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }
}
