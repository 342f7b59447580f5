package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.server.stream.SseWriter;
import dev.contentgen.server.stream.StreamOpener;
import dev.contentgen.server.stream.StreamOpening;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * {@code GET /api/jobs/{id}/events}: parses the request, asks the stream opener how to answer, and
 * maps its outcome to HTTP. Permanent answers get a status (404, 400, 204); everything with a body
 * of events gets 200, because a browser's EventSource gives up on any other status.
 */
final class EventsRoute {
    private final StreamOpener opener;

    EventsRoute(StreamOpener opener) {
        this.opener = opener;
    }

    void handle(Context ctx) throws IOException {
        String jobId = ctx.pathParam("id");
        if (!JobIds.isJobId(jobId)) {
            throw JobRoutes.notFound(jobId);
        }
        long after = ResumePoint.parse(ctx.header("Last-Event-ID"), ctx.queryParam("after"));
        switch (opener.open(jobId, after)) {
            case StreamOpening.NotFound n -> throw JobRoutes.notFound(jobId);
            case StreamOpening.NoContent n -> ctx.status(204);
            case StreamOpening.BeyondEnd beyond -> throw new ApiException(ErrorCode.INVALID_LAST_EVENT_ID, beyond.message());
            case StreamOpening.Streamed streamed -> {
                try (streamed) {
                    startEventStream(ctx);
                    streamed.run(new SseWriter(ctx.res().getOutputStream()));
                }
            }
        }
    }

    private static void startEventStream(Context ctx) {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache, no-transform");
        // Tells nginx (and proxies that honour it) not to buffer the stream.
        ctx.res().setHeader("X-Accel-Buffering", "no");
    }
}
