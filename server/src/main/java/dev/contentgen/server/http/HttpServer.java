package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.auth.ApiKeys;
import dev.contentgen.server.auth.Sessions;
import dev.contentgen.server.auth.StreamTokens;
import dev.contentgen.server.config.Limits;
import dev.contentgen.server.job.JobService;
import dev.contentgen.server.job.Regenerations;
import dev.contentgen.server.metrics.NodeMetrics;
import dev.contentgen.server.notify.Notifier;
import dev.contentgen.server.pipeline.Providers;
import dev.contentgen.server.pipeline.format.Formats;
import dev.contentgen.server.store.IdempotencyConflictException;
import dev.contentgen.server.store.LimitExceededException;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.WebhookStore;
import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.stream.MultiplexOpener;
import dev.contentgen.server.stream.StreamHub;
import dev.contentgen.server.stream.StreamQuota;
import dev.contentgen.server.stream.StreamOpener;
import dev.contentgen.server.stream.StreamSettings;
import dev.contentgen.server.stream.StreamTracker;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP face of a node: every route in one place. */
public final class HttpServer {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    /** How long stopping waits for stream responses to complete; their streams have ended by then (the node drains them first). */
    private static final Duration RESPONSES_ENDING = Duration.ofSeconds(1);

    private final Javalin app;
    private final NodeMetrics metrics;
    /** Notices clients that leave an idle stream; its timer (if any) stops with the server. */
    private final ClientWatch clientWatch;
    private final StreamResponder responder;
    /** Jetty's server, known once Javalin has built it; its connectors exist only after the start. */
    private volatile Server jetty;
    /** Where the TLS connector listens; known at {@link #start}, read when Jetty builds its connectors. */
    private volatile String host;
    private volatile int listenPort;

    /** Who may call: the access mode, keys, session cookies, stream tokens, the allowed CORS origins and the limits. */
    public record Access(AccessMode mode, ApiKeys keys, Sessions sessions, StreamTokens tokens, Set<String> corsOrigins,
                         Limits limits, StreamQuota streamQuota) {}

    /** A job's webhook deliveries: their store, how to wake the delivery worker, and the clock of redeliveries. */
    public record Webhooks(WebhookStore store, Runnable wakeDeliverer, java.time.Clock clock) {}

    public HttpServer(String nodeId, JobService jobs, Providers providers, Formats formats, Store store, StreamHub hub, StreamSettings settings,
                      int maxBodyBytes, NodeMetrics metrics, Notifier notifier, BooleanSupplier draining, Access access,
                      StreamTracker streams, Webhooks webhooks, PemKeyStore.Loaded tls) {
        // Reading every HTTP/1.1 stream's connection each second costs CPU (docs/STREAMS.md): worth it only where a
        // gone client's stream holds a slot that its owner's next stream needs.
        this.clientWatch = new ClientWatch(access.streamQuota().limit() > 0);
        this.metrics = metrics;
        JobRoutes jobRoutes = new JobRoutes(jobs, providers, formats, maxBodyBytes, access.tokens(), access.limits(), hub::onDeleted,
                webhooks.store(), access.keys()::webhook);
        WebhookRoutes webhookRoutes = new WebhookRoutes(jobs, webhooks.store(), webhooks.wakeDeliverer(), webhooks.clock());
        RevisionRoutes revisionRoutes = new RevisionRoutes(new Regenerations(store, formats), maxBodyBytes, access.limits());
        StreamOpener opener = new StreamOpener(store, hub, settings, access.streamQuota(), streams);
        this.responder = new StreamResponder(settings.writeTimeout(), () -> jetty != null && jetty.isRunning(), clientWatch);
        EventsRoute events = new EventsRoute(opener, access.tokens(), responder);
        MultiplexRoute multiplexed = new MultiplexRoute(new MultiplexOpener(opener), access.tokens(), responder);
        StreamsRoute streamsRoute = new StreamsRoute(store, streams, nodeId);
        ReadinessRoute readiness = new ReadinessRoute(nodeId, store, notifier, draining);
        AccessFilter filter = new AccessFilter(access.mode(), access.keys(), access.sessions(), access.corsOrigins());
        KeyRoutes keyRoutes = new KeyRoutes(access.keys());
        UsageRoute usageRoute = new UsageRoute(jobs);
        KeyWebhookRoutes keyWebhookRoutes = new KeyWebhookRoutes(access.keys());
        SessionRoutes sessionRoutes = new SessionRoutes(access.mode(), access.keys(), access.sessions());
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            // The node stops Jetty itself, after its streams said goodbye; Jetty's own JVM hook would cut them first.
            config.jetty.modifyServer(server -> server.setStopAtShutdown(false));
            config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
            config.jetty.modifyServer(server -> {
                jetty = server;
                HttpMetrics.timeRequests(server, metrics.registry());
            });
            // Javalin relaxes URI checks to LEGACY; ambiguous or badly encoded paths are refused instead.
            config.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(UriCompliance.DEFAULT));
            if (tls != null) {
                // With a connector of ours Javalin adds none of its own: the one port speaks TLS (HTTP/2 and HTTP/1.1).
                config.jetty.addConnector((server, http) -> TlsConnector.create(server, http, tls, host, listenPort,
                        settings.writeTimeout()));
            } else {
                config.jetty.addConnector((server, http) -> PlainConnector.create(server, http, host, listenPort));
            }
            // Never compress: a gzip buffer would hold back events and heartbeats.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.staticFiles.add("/public", Location.CLASSPATH);
            // The UI's Markdown renderer is a WebJar (/webjars/marked/…); its sanitizer comes from mvnpm (/npm/dompurify/…).
            config.staticFiles.enableWebjars();
            // Order matters: every answer carries the security headers; who may ask comes before what they send.
            config.routes.before(SecurityHeaders::apply);
            config.routes.before(filter::handle);
            config.routes.before(JsonOnly::check);
            config.routes.options("/api/*", Cors::preflight);
            config.routes.post("/api/jobs", jobRoutes::create);
            config.routes.get("/api/jobs", jobRoutes::list);
            config.routes.get("/api/jobs/{id}", jobRoutes::get);
            config.routes.post("/api/jobs/{id}/cancel", jobRoutes::cancel);
            config.routes.delete("/api/jobs/{id}", jobRoutes::delete);
            config.routes.get("/api/jobs/{id}/events", events::handle);
            config.routes.get("/api/jobs/{id}/streams", streamsRoute::handle);
            config.routes.get(MultiplexRoute.PATH, multiplexed::handle);
            config.routes.post("/api/jobs/{id}/stream-token", jobRoutes::streamToken);
            config.routes.get("/api/jobs/{id}/webhooks", webhookRoutes::list);
            config.routes.post("/api/jobs/{id}/webhooks/{deliveryId}/redeliver", webhookRoutes::redeliver);
            config.routes.post("/api/jobs/{id}/regenerate", revisionRoutes::regenerate);
            config.routes.get("/api/jobs/{id}/revisions", revisionRoutes::list);
            config.routes.get("/api/usage", usageRoute::handle);
            config.routes.post("/api/keys", keyRoutes::create);
            config.routes.get("/api/keys", keyRoutes::list);
            config.routes.post("/api/keys/{id}/revoke", keyRoutes::revoke);
            config.routes.get("/api/keys/{id}/webhook", keyWebhookRoutes::show);
            config.routes.put("/api/keys/{id}/webhook", keyWebhookRoutes::set);
            config.routes.delete("/api/keys/{id}/webhook", keyWebhookRoutes::clear);
            config.routes.get("/api/session", sessionRoutes::show);
            config.routes.post("/api/session", sessionRoutes::signIn);
            config.routes.delete("/api/session", sessionRoutes::signOut);
            config.routes.get("/api/providers", ctx -> {
                Caller.writer(ctx);
                ctx.contentType("application/json").result(Json.write(providers.listing()));
            });
            config.routes.get("/api/formats", ctx -> {
                Caller.writer(ctx);
                ctx.contentType("application/json").result(Json.write(formats.listing()));
            });
            config.routes.get("/healthz", ctx -> ctx.contentType("application/json")
                    .result(Json.write(Map.of("status", "ok", "node", nodeId, "provider", providers.defaultProvider().name(), "openStreams", hub.openStreams()))));
            config.routes.get("/readyz", readiness::handle);
            // This API's own document; every route here is in it too (OpenApiTest fails on one that is not).
            config.routes.get(OpenApiRoute.PATH, OpenApiRoute::serve);
            config.routes.get("/metrics", ctx -> {
                // What the node does for every owner: an admin's (or the local owner's) business only.
                if (!Caller.writer(ctx).mayManageKeys()) {
                    throw new ApiException(ErrorCode.FORBIDDEN, "/metrics needs an admin key.");
                }
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
            });
            config.routes.get(NpmAssets.ROUTE, NpmAssets::serve);
            config.routes.get("/jobs/{id}", ctx -> {
                InputStream page = HttpServer.class.getResourceAsStream("/public/index.html");
                ctx.contentType("text/html; charset=utf-8").result(page);
            });
            config.routes.exception(ApiException.class, (e, ctx) -> {
                if (e.code().httpStatus() == 401) {
                    ctx.header("WWW-Authenticate", "Bearer realm=\"contentgen\"");
                }
                Problems.send(ctx, e.code(), e.getMessage());
            });
            config.routes.exception(IdempotencyConflictException.class,
                    (e, ctx) -> Problems.send(ctx, ErrorCode.IDEMPOTENCY_KEY_REUSED, e.getMessage()));
            config.routes.exception(LimitExceededException.class, (e, ctx) -> {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
                Problems.send(ctx, e.code(), e.getMessage());
            });
            config.routes.exception(StoreException.class, (e, ctx) -> {
                if (EventsRoute.isEventsPath(ctx.path())) {
                    events.storeUnavailable(ctx, e);
                    return;
                }
                if (ctx.path().equals(MultiplexRoute.PATH)) {
                    multiplexed.storeUnavailable(ctx, e);
                    return;
                }
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

    /** Every route as "METHOD /path" (e.g. "GET /api/jobs/{id}"), as registered: for the test that holds the API document to them. */
    public List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(route -> route.endpoint.method.isHttpMethod())
                .map(route -> route.endpoint.method.name() + " " + route.endpoint.path)
                .toList();
    }

    public void start(String host, int port) {
        this.host = host;
        this.listenPort = port;
        app.start(host, port);
        HttpMetrics.countConnections(jetty, metrics.registry());
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        try {
            responder.awaitCompleted(RESPONSES_ENDING);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            app.stop();
        } finally {
            clientWatch.close();
        }
    }
}
