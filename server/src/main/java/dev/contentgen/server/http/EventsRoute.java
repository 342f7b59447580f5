package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.StreamError;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.stream.Cursor;
import dev.contentgen.server.stream.SseWriter;
import dev.contentgen.server.stream.StreamHub;
import dev.contentgen.server.stream.StreamSettings;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/jobs/{id}/events}: checks the resume point against the job, then hands the
 * connection to a {@link Cursor}. Permanent problems get a status (400, 404, 204); transient ones
 * get 200 with an {@code error} event, because a browser's EventSource gives up on any other status.
 */
final class EventsRoute {
    private static final Logger log = LoggerFactory.getLogger(EventsRoute.class);

    private final Store store;
    private final StreamHub hub;
    private final StreamSettings settings;

    EventsRoute(Store store, StreamHub hub, StreamSettings settings) {
        this.store = store;
        this.hub = hub;
        this.settings = settings;
    }

    void handle(Context ctx) throws IOException {
        String jobId = ctx.pathParam("id");
        if (!JobIds.isJobId(jobId)) {
            throw JobRoutes.notFound(jobId);
        }
        long after = ResumePoint.parse(ctx.header("Last-Event-ID"), ctx.queryParam("after"));
        if (hub.isShuttingDown()) {
            transientError(ctx, jobId, new StreamError(ErrorCode.SERVER_SHUTTING_DOWN,
                    "This server is restarting. Reconnect to continue; nothing is lost.", true));
            return;
        }
        try (StreamHub.Subscription subscription = hub.subscribe(jobId)) {
            Optional<Store.JobHead> head;
            try {
                head = store.findHead(jobId);
            } catch (StoreException e) {
                log.warn("[STREAM_ERROR] job={} cannot open stream, store unavailable: {}", jobId, e.getMessage());
                transientError(ctx, jobId, new StreamError(ErrorCode.STORE_UNAVAILABLE,
                        "The database is unavailable; reconnecting will resume the stream.", true));
                return;
            }
            if (head.isEmpty()) {
                throw JobRoutes.notFound(jobId);
            }
            long lastSeq = head.get().lastSeq();
            if (head.get().status().isTerminal() && after >= lastSeq) {
                if (after > lastSeq) {
                    throw new ApiException(ErrorCode.INVALID_LAST_EVENT_ID, "Job " + jobId + " has finished and its log ends at "
                            + lastSeq + "; there is no event " + after + ".");
                }
                log.info("[STREAM_END] job={} reason=already_complete after={}", jobId, after);
                ctx.status(204);
                return;
            }
            subscription.announce(lastSeq);
            startEventStream(ctx);
            new Cursor(jobId, after, lastSeq, hub, subscription, new SseWriter(ctx.res().getOutputStream()), settings).run();
        }
    }

    private void transientError(Context ctx, String jobId, StreamError error) throws IOException {
        startEventStream(ctx);
        SseWriter writer = new SseWriter(ctx.res().getOutputStream());
        writer.retry(settings.clientRetry().toMillis());
        writer.error(error);
        writer.flush();
        log.info("[STREAM_END] job={} reason={} sent=0", jobId, error.code().name().toLowerCase());
    }

    private static void startEventStream(Context ctx) {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache, no-transform");
        // Tells nginx (and proxies that honour it) not to buffer the stream.
        ctx.res().setHeader("X-Accel-Buffering", "no");
    }
}
