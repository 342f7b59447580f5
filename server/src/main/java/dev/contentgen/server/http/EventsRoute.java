package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.server.auth.Principal;
import dev.contentgen.server.auth.StreamTokens;
import dev.contentgen.server.stream.SseWriter;
import dev.contentgen.server.stream.StreamLog;
import dev.contentgen.server.stream.StreamOpener;
import dev.contentgen.server.stream.StreamOpening;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * {@code GET /api/jobs/{id}/events}: works out who reads (the caller, or a stream token's bearer),
 * parses the request, asks the stream opener how to answer, and maps its outcome to HTTP.
 * Permanent answers get a status (401, 404, 400, 204); everything with a body of events gets 200,
 * because a browser's EventSource gives up on any other status.
 */
final class EventsRoute {
    private final StreamOpener opener;
    private final StreamTokens tokens;
    private final StreamResponder responder;

    EventsRoute(StreamOpener opener, StreamTokens tokens, StreamResponder responder) {
        this.opener = opener;
        this.tokens = tokens;
        this.responder = responder;
    }

    void handle(Context ctx) throws IOException {
        String jobId = ctx.pathParam("id");
        if (!JobIds.isJobId(jobId)) {
            throw JobRoutes.notFound(jobId);
        }
        Principal reader = reader(ctx, jobId);
        long after = ResumePoint.parse(ctx.header("Last-Event-ID"), ctx.queryParam("after"));
        // Local mode has one trusted owner and no stream limit.
        String quotaOwner = reader instanceof Principal.LocalUser ? null : reader.owner();
        // Clients that understand the snapshot event ask for it; any other gets the compacted log rebuilt (docs/PROTOCOL.md, "Snapshots").
        boolean takesSnapshots = "1".equals(ctx.queryParam("snapshots"));
        switch (opener.open(jobId, after, reader.scope(), quotaOwner, takesSnapshots)) {
            case StreamOpening.NotFound n -> throw JobRoutes.notFound(jobId);
            case StreamOpening.NoContent n -> ctx.status(204);
            case StreamOpening.BeyondEnd beyond -> throw new ApiException(ErrorCode.INVALID_LAST_EVENT_ID, beyond.message());
            case StreamOpening.Streamed streamed -> responder.respond(ctx, streamed);
        }
    }

    /**
     * The store failed before the stream could open (e.g. while checking the caller's key): still
     * 200 with a retryable error event, so a browser's EventSource reconnects instead of dying on a 503.
     */
    void storeUnavailable(Context ctx, RuntimeException cause) {
        // Path parameters are not parsed yet when a before-handler failed: read the id from the path.
        String segment = ctx.path().split("/")[3];
        String jobId = JobIds.isJobId(segment) ? segment : "unknown";
        StreamLog.error(jobId, "cannot open stream, store unavailable: " + cause.getMessage());
        try (StreamOpening.Streamed answer = opener.storeUnavailable(jobId, 0)) {
            StreamResponder.startEventStream(ctx);
            // A transient answer is written at once: its future is already complete.
            answer.start(new SseWriter(UnbufferedOutput.of(ctx.res().getOutputStream()))).join();
        } catch (IOException e) {
            StreamLog.endedWithoutStream(jobId, "client_closed", "(before the store-unavailable answer)");
        }
    }

    static boolean isEventsPath(String path) {
        return path.matches("/api/jobs/[^/]+/events");
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
        StreamLog.endedWithoutStream(jobId, "stream_token_" + switch (check) {
            case StreamTokens.Check.OtherJob other -> "for_another_job";
            case StreamTokens.Check.Expired expired -> "expired";
            default -> "invalid";
        }, null);
        throw switch (check) {
            case StreamTokens.Check.OtherJob other -> JobRoutes.notFound(jobId);
            case StreamTokens.Check.Expired expired -> new ApiException(ErrorCode.STREAM_TOKEN_EXPIRED,
                    "The stream token expired at " + expired.at() + ". Get a new one (POST /api/jobs/" + jobId
                            + "/stream-token) and reconnect with ?after=<the last id you received>; nothing is lost.");
            default -> new ApiException(ErrorCode.UNAUTHORIZED, "The stream token is not one this server issued (or it was altered).");
        };
    }
}
