package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.api.RegenerateRequest;
import dev.contentgen.api.RevisionList;
import dev.contentgen.server.auth.Principal;
import dev.contentgen.server.config.Limits;
import dev.contentgen.server.job.Regenerations;
import dev.contentgen.server.store.CreationLimits;
import dev.contentgen.server.store.Store;
import io.javalin.http.Context;

/** Regenerating one step of a completed job as a new revision, and a piece's revision history; owner-scoped like every job route. */
final class RevisionRoutes {
    private final Regenerations regenerations;
    private final int maxBodyBytes;
    private final Limits limits;

    RevisionRoutes(Regenerations regenerations, int maxBodyBytes, Limits limits) {
        this.regenerations = regenerations;
        this.maxBodyBytes = maxBodyBytes;
        this.limits = limits;
    }

    /** {@code POST /api/jobs/{id}/regenerate}: 202 with the new revision (it runs like any job), 200 for an idempotent retry. */
    void regenerate(Context ctx) {
        Principal caller = Caller.writer(ctx);
        String id = ctx.pathParam("id");
        String key = JobRoutes.idempotencyKey(ctx.header("Idempotency-Key"));
        RegenerateRequest request = RegenerateRequestParser.parse(RequestBody.read(ctx, maxBodyBytes));
        if (!JobIds.isJobId(id)) {
            throw JobRoutes.notFound(id);
        }
        CreationLimits creation = caller instanceof Principal.LocalUser ? CreationLimits.NONE : limits.creation();
        switch (regenerations.regenerate(id, request, caller.scope(), key, caller.owner(), creation)) {
            case Regenerations.Outcome.NotFound n -> throw JobRoutes.notFound(id);
            case Regenerations.Outcome.NotCompleted n -> throw new ApiException(ErrorCode.JOB_NOT_COMPLETED,
                    "Job " + id + " is " + n.status().wireName() + "; only a completed job can have a step regenerated.");
            case Regenerations.Outcome.UnknownStep u -> throw new ApiException(ErrorCode.UNKNOWN_STEP,
                    "Job " + id + " has no step '" + JobIds.shown(request.step()) + "'. Its steps: " + String.join(", ", u.steps()) + ".");
            case Regenerations.Outcome.FormatGone g -> throw new ApiException(ErrorCode.UNKNOWN_FORMAT,
                    "Job " + id + " has format '" + g.format() + "', which this server no longer loads (see GET /api/formats).");
            case Regenerations.Outcome.Made made -> {
                Store.Created revision = made.revision();
                ctx.status(revision.created() ? 202 : 200).header("Location", "/api/jobs/" + revision.job().id());
                ctx.contentType("application/json").result(Json.write(revision.job()));
            }
        }
    }

    /** {@code GET /api/jobs/{id}/revisions}: the piece's first job and every revision, in order, from any of them. */
    void list(Context ctx) {
        String id = ctx.pathParam("id");
        if (!JobIds.isJobId(id)) {
            throw JobRoutes.notFound(id);
        }
        Store.RevisionHistory history = regenerations.history(id, Caller.writer(ctx).scope()).orElseThrow(() -> JobRoutes.notFound(id));
        ctx.contentType("application/json").result(Json.write(new RevisionList(history.root(), history.jobs())));
    }
}
