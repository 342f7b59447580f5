package dev.contentgen.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.server.job.JobService;
import dev.contentgen.server.store.JobScope;
import dev.contentgen.server.store.WebhookStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;

/** A job's webhook deliveries with every attempt, and a manual redelivery; owner-scoped like every job route. */
final class WebhookRoutes {
    private final JobService jobs;
    private final WebhookStore webhooks;
    private final Runnable wakeDeliverer;
    private final Clock clock;

    WebhookRoutes(JobService jobs, WebhookStore webhooks, Runnable wakeDeliverer, Clock clock) {
        this.jobs = jobs;
        this.webhooks = webhooks;
        this.wakeDeliverer = wakeDeliverer;
        this.clock = clock;
    }

    void list(Context ctx) {
        String id = ownJob(ctx);
        ObjectNode body = Json.MAPPER.createObjectNode();
        webhooks.endpoint(id).ifPresent(e -> {
            ObjectNode endpoint = body.putObject("endpoint").put("url", e.url()).put("steps", e.steps());
            webhooks.defaultOfKey(id).ifPresent(key -> endpoint.put("keyId", key));
        });
        ArrayNode deliveries = body.putArray("deliveries");
        for (WebhookStore.Delivery d : webhooks.list(id)) {
            ObjectNode node = deliveries.addObject().put("id", d.id()).put("type", d.eventType()).put("seq", d.seq())
                    .put("state", d.state()).put("attempts", d.attempts())
                    .put("createdAt", Instant.ofEpochMilli(d.createdAt()).toString());
            if (d.state().equals("pending") || d.state().equals("sending")) {
                node.put("nextAttemptAt", Instant.ofEpochMilli(d.nextAttemptAt()).toString());
            }
            ArrayNode attempts = node.putArray("attemptLog");
            for (WebhookStore.Attempt a : d.attemptLog()) {
                ObjectNode attempt = attempts.addObject().put("number", a.number())
                        .put("startedAt", Instant.ofEpochMilli(a.startedAt()).toString()).put("durationMs", a.durationMs());
                if (a.httpStatus() != null) {
                    attempt.put("httpStatus", a.httpStatus());
                }
                if (a.error() != null) {
                    attempt.put("error", a.error());
                }
            }
        }
        ctx.contentType("application/json").result(body.toString());
    }

    void redeliver(Context ctx) {
        String id = ownJob(ctx);
        String deliveryId = ctx.pathParam("deliveryId");
        if (deliveryId.length() > 200 || !webhooks.redeliver(id, deliveryId, clock.millis())) {
            throw new ApiException(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND, "Job " + id + " has no webhook delivery '" + JobIds.shown(deliveryId) + "'.");
        }
        wakeDeliverer.run();
        ctx.status(202).contentType("application/json")
                .result(Json.MAPPER.createObjectNode().put("id", deliveryId).put("state", "pending").toString());
    }

    private String ownJob(Context ctx) {
        String id = ctx.pathParam("id");
        JobScope scope = Caller.writer(ctx).scope();
        if (!JobIds.isJobId(id) || jobs.find(id, scope).isEmpty()) {
            throw JobRoutes.notFound(id);
        }
        return id;
    }
}
