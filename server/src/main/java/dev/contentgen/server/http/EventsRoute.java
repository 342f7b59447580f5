package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.StreamError;
import dev.contentgen.server.auth.Principal;
import dev.contentgen.server.auth.StreamTokens;
import dev.contentgen.server.store.JobScope;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.stream.Cursor;
import dev.contentgen.server.stream.SseWriter;
import dev.contentgen.server.stream.StreamHub;
import dev.contentgen.server.stream.StreamSettings;
import io.javalin.http.Context;
import dev.contentgen.server.stream.StreamQuota;
import java.io.IOException;
import java.time.Duration;
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
    private static final Duration TOO_MANY_RETRY = Duration.ofSeconds(15);

    private final Store store;
    private final StreamHub hub;
    private final StreamSettings settings;
    private final StreamTokens tokens;
    private final StreamQuota quota;

    EventsRoute(Store store, StreamHub hub, StreamSettings settings, StreamTokens tokens, StreamQuota quota) {
        this.store = store;
        this.hub = hub;
        this.settings = settings;
        this.tokens = tokens;
        this.quota = quota;
    }

    void handle(Context ctx) throws IOException {
        String jobId = ctx.pathParam("id");
        if (!JobIds.isJobId(jobId)) {
            throw JobRoutes.notFound(jobId);
        }
        Principal reader = reader(ctx, jobId);
        JobScope scope = reader.scope();
        long after = ResumePoint.parse(ctx.header("Last-Event-ID"), ctx.queryParam("after"));
        if (hub.isShuttingDown()) {
            transientError(ctx, jobId, new StreamError(ErrorCode.SERVER_SHUTTING_DOWN,
                    "This server is restarting. Reconnect to continue; nothing is lost.", true));
            return;
        }
        try (StreamHub.Subscription subscription = hub.subscribe(jobId)) {
            Optional<Store.JobHead> head;
            try {
                head = store.findHead(jobId, scope);
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
            Optional<StreamQuota.Slot> slot = reader instanceof Principal.LocalUser ? Optional.of(() -> { }) : takeSlot(ctx, jobId, reader);
            if (slot.isEmpty()) {
                return;
            }
            try (StreamQuota.Slot held = slot.get()) {
                subscription.announce(lastSeq);
                startEventStream(ctx);
                new Cursor(jobId, after, lastSeq, hub, subscription, new SseWriter(ctx.res().getOutputStream()), settings).run();
            }
        }
    }

    /**
     * Over the owner's open-streams limit: transient (the owner may close a tab), so 200 with a
     * retryable error and a long {@code retry:}, which keeps an EventSource from looping hot.
     */
    private Optional<StreamQuota.Slot> takeSlot(Context ctx, String jobId, Principal reader) throws IOException {
        Optional<StreamQuota.Slot> slot;
        try {
            slot = quota.take(reader.owner());
        } catch (StoreException e) {
            log.warn("[STREAM_ERROR] job={} cannot open stream, store unavailable: {}", jobId, e.getMessage());
            transientError(ctx, jobId, new StreamError(ErrorCode.STORE_UNAVAILABLE,
                    "The database is unavailable; reconnecting will resume the stream.", true), settings.clientRetry());
            return Optional.empty();
        }
        if (slot.isEmpty()) {
            transientError(ctx, jobId, new StreamError(ErrorCode.TOO_MANY_STREAMS, "This key already holds " + quota.limit()
                    + " open streams (every node counts). Close a tab or stream; this one retries by itself.", true), TOO_MANY_RETRY);
        }
        return slot;
    }

    /** Who reads this stream: the caller, or a stream token's bearer (for its single job). */
    private Principal reader(Context ctx, String jobId) {
        Principal caller = Caller.optional(ctx);
        if (caller != null) {
            return caller;
        }
        String token = ctx.queryParam("token");
        if (token == null) {
            throw Caller.unauthorized();
        }
        StreamTokens.Check check = tokens.check(token, jobId);
        if (check instanceof StreamTokens.Check.Valid valid) {
            return valid.reader();
        }
        // Never the token itself: it is a credential.
        log.info("[STREAM_END] job={} reason=stream_token_{} sent=0", jobId, switch (check) {
            case StreamTokens.Check.OtherJob other -> "for_another_job";
            case StreamTokens.Check.Expired expired -> "expired";
            default -> "invalid";
        });
        throw switch (check) {
            case StreamTokens.Check.OtherJob other -> JobRoutes.notFound(jobId);
            case StreamTokens.Check.Expired expired -> new ApiException(ErrorCode.STREAM_TOKEN_EXPIRED,
                    "The stream token expired at " + expired.at() + ". Get a new one (POST /api/jobs/" + jobId
                            + "/stream-token) and reconnect with ?after=<the last id you received>; nothing is lost.");
            default -> new ApiException(ErrorCode.UNAUTHORIZED, "The stream token is not one this server issued (or it was altered).");
        };
    }

    private void transientError(Context ctx, String jobId, StreamError error) throws IOException {
        transientError(ctx, jobId, error, settings.clientRetry());
    }

    private void transientError(Context ctx, String jobId, StreamError error, Duration retry) throws IOException {
        startEventStream(ctx);
        SseWriter writer = new SseWriter(ctx.res().getOutputStream());
        writer.retry(retry.toMillis());
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
