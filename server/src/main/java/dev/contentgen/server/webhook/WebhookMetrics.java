package dev.contentgen.server.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The meters of webhook delivery: attempts by outcome and their duration, and deliveries by how
 * they ended (delivered, failed, stopped) with the time from the event to its successful delivery.
 */
final class WebhookMetrics {
    private final MeterRegistry registry;
    private final Timer attemptDuration;
    private final Timer deliveryTime;

    WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.attemptDuration = Timer.builder("contentgen.webhooks.latency").description("duration of one delivery attempt").register(registry);
        this.deliveryTime = Timer.builder("contentgen.webhooks.delivery").description("from the event to its delivery's 2xx, retries included")
                .register(registry);
        // Present from the start, so a dashboard sees zeros rather than no series.
        for (String outcome : new String[] {"delivered", "failed", "stopped"}) {
            deliveries(outcome);
        }
    }

    /** One attempt: {@code outcome} is delivered, retry, failed, stopped or refused. */
    void attempt(String outcome, Duration took) {
        attemptDuration.record(took);
        Counter.builder("contentgen.webhooks.attempts").description("webhook delivery attempts by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    /** A delivery answered 2xx, {@code sinceEvent} after its event was logged. */
    void delivered(Duration sinceEvent) {
        deliveryTime.record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
        deliveries("delivered").increment();
    }

    /** {@code count} deliveries ended without success: {@code failed} (retries exhausted, refused) or {@code stopped} (410 Gone). */
    void ended(String state, int count) {
        deliveries(state).increment(count);
    }

    private Counter deliveries(String outcome) {
        return Counter.builder("contentgen.webhooks.deliveries").description("webhook deliveries by how they ended")
                .tag("outcome", outcome).register(registry);
    }
}
