package dev.contentgen.api;

import java.time.Instant;
import java.util.List;

/**
 * A job's webhook deliveries, oldest first, each with every attempt ({@code GET /api/jobs/{id}/webhooks});
 * {@code endpoint} is null when the job has no webhook. Never a secret.
 */
public record WebhookDeliveries(Endpoint endpoint, List<Delivery> deliveries) {
    /** Where the job's webhooks go; {@code keyId} names the key whose default it is a copy of (else null). */
    public record Endpoint(String url, boolean steps, String keyId) {}

    /**
     * One logical delivery: its {@code id} is the {@code webhook-id} header of every attempt;
     * {@code state} is pending, sending, delivered, failed or stopped.
     */
    public record Delivery(String id, String type, long seq, String state, int attempts, Instant createdAt,
                           Instant nextAttemptAt, List<Attempt> attemptLog) {}

    /** One try: the HTTP status when the receiver answered, else the error. */
    public record Attempt(int number, Instant startedAt, long durationMs, Integer httpStatus, String error) {}
}
