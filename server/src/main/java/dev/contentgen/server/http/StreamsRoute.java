package dev.contentgen.server.http;

import dev.contentgen.api.Json;
import dev.contentgen.server.store.JobScope;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.stream.StreamTracker;
import io.javalin.http.Context;

/**
 * {@code GET /api/jobs/{id}/streams}: the job's open streams on this node and its last ends with their reasons,
 * for the job's owner (another owner's job is 404, as on every job route). Holds no token or key: only positions,
 * counts, times and reasons.
 */
final class StreamsRoute {
    private final Store store;
    private final StreamTracker tracker;
    private final String nodeId;

    StreamsRoute(Store store, StreamTracker tracker, String nodeId) {
        this.store = store;
        this.tracker = tracker;
        this.nodeId = nodeId;
    }

    void handle(Context ctx) {
        JobScope scope = Caller.writer(ctx).scope();
        String jobId = ctx.pathParam("id");
        if (!JobIds.isJobId(jobId) || store.findHead(jobId, scope).isEmpty()) {
            throw JobRoutes.notFound(jobId);
        }
        ctx.contentType("application/json").result(Json.write(tracker.report(jobId).withNode(nodeId)));
    }
}
