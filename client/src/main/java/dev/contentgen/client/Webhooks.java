package dev.contentgen.client;

import dev.contentgen.api.Json;
import dev.contentgen.api.WebhookDeliveries;
import java.net.http.HttpRequest;
import java.util.Objects;

/** A job's webhook deliveries: list them with every attempt, and ask for one to be delivered again. */
public final class Webhooks {
    private final Http http;
    private final Calls calls;

    Webhooks(Http http, Calls calls) {
        this.http = http;
        this.calls = calls;
    }

    /** The job's deliveries, oldest first; an unknown job is a {@link Failure.JobNotFound}. */
    public WebhookDeliveries deliveries(String jobId) {
        Objects.requireNonNull(jobId, "jobId");
        HttpRequest get = http.request("api/jobs/" + Http.segment(jobId) + "/webhooks").GET().build();
        return calls.send("webhook deliveries of job " + jobId, get, jobId, r -> Json.read(r.body(), WebhookDeliveries.class));
    }

    /**
     * Makes the delivery due now with a fresh retry period, under the same {@code webhook-id}, and
     * enables a job's endpoint a 410 had stopped. An unknown delivery is a {@link Failure.Rejected}
     * with code WEBHOOK_DELIVERY_NOT_FOUND.
     */
    public void redeliver(String jobId, String deliveryId) {
        Objects.requireNonNull(deliveryId, "deliveryId");
        HttpRequest post = http.request("api/jobs/" + Http.segment(jobId) + "/webhooks/" + Http.segment(deliveryId) + "/redeliver")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        calls.send("redeliver " + deliveryId + " of job " + jobId, post, null, r -> null);
    }
}
