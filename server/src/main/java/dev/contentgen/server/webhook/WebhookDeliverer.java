package dev.contentgen.server.webhook;

import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.store.WebhookStore;
import dev.contentgen.server.store.WebhookStore.Attempt;
import dev.contentgen.server.store.WebhookStore.Due;
import dev.contentgen.server.store.WebhookStore.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery worker of a node (every node runs one): claims due deliveries from the outbox,
 * POSTs each once, keeps the attempt, and schedules the next try with backoff and jitter (or the
 * receiver's longer Retry-After) until 2xx, 410 Gone, or the end of the retry period.
 */
public final class WebhookDeliverer {
    private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);
    private static final int BATCH = 16;

    private final WebhookStore webhooks;
    private final Store store;
    private final WebhookSettings settings;
    private final Clock clock;
    private final WebhookSender sender;
    private final WebhookMetrics metrics;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    public WebhookDeliverer(WebhookStore webhooks, Store store, WebhookSettings settings, Clock clock, MeterRegistry meters) {
        this.webhooks = webhooks;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.sender = new WebhookSender(settings, new AddressPolicy(settings.allowPrivate()), clock);
        this.metrics = new WebhookMetrics(meters);
    }

    public void start() {
        running = true;
        thread = Thread.ofVirtual().name("webhook-deliverer").start(this::loop);
    }

    /** Looks for due deliveries now instead of at the next poll (a redelivery asks for it). */
    public void wake() {
        wake.release();
    }

    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sender.close();
    }

    private void loop() {
        while (running) {
            try {
                if (deliverDue() == 0) {
                    wake.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (StoreException e) {
                // The outbox keeps every delivery: the next poll tries again.
                log.warn("webhook deliveries paused: {}", e.getMessage());
                sleepQuietly();
            } catch (RuntimeException e) {
                log.error("webhook delivery failed unexpectedly; the next poll tries again", e);
                sleepQuietly();
            }
        }
    }

    /** Claims and attempts what is due; the number claimed. */
    int deliverDue() {
        long now = clock.millis();
        // The lease outlasts one attempt, so no other node takes the delivery while it is in flight.
        long leaseMillis = settings.connectTimeout().plus(settings.readTimeout()).multipliedBy(2).toMillis();
        List<Due> due = webhooks.claimDue(now, now + leaseMillis, BATCH);
        Set<String> stoppedJobs = new HashSet<>();
        for (Due claimed : due) {
            // An endpoint that answered 410 earlier in this batch gets nothing more: that answer's transaction stopped (and counted) it.
            if (stoppedJobs.contains(claimed.jobId())) {
                continue;
            }
            Optional<Due> owned = stillOurs(claimed, leaseMillis);
            if (owned.isEmpty()) {
                log.info("job={} webhook {}: its lease lapsed during earlier attempts and it was taken over (another node or a redelivery)",
                        claimed.jobId(), claimed.id());
                continue;
            }
            Due d = owned.get();
            if (d.endpointDisabled()) {
                webhooks.stop(d, clock.millis());
                metrics.ended("stopped", 1);
            } else if (attempt(d) instanceof Outcome.Ended e && e.state().equals("stopped")) {
                stoppedJobs.add(d.jobId());
            }
        }
        return due.size();
    }

    /** The claim, renewed when slow attempts earlier in the batch used up half of its lease; empty when it is no longer ours. */
    private Optional<Due> stillOurs(Due due, long leaseMillis) {
        long now = clock.millis();
        return now + leaseMillis / 2 > due.leaseUntil() ? webhooks.renewClaim(due, now + leaseMillis, now) : Optional.of(due);
    }

    private Outcome attempt(Due due) {
        int number = due.attempts() + 1;
        long started = clock.millis();
        long startedNanos = System.nanoTime();
        URI url = URI.create(due.endpoint().url());
        String body = webhooks.eventData(due.jobId(), due.seq())
                .map(data -> WebhookPayload.build(due.eventType(), data, store.findJob(due.jobId())))
                .orElse(null);
        WebhookSender.Result result;
        if (body == null) {
            result = WebhookSender.Result.refused("the event is no longer in the job's log");
        } else {
            long timestamp = clock.instant().getEpochSecond();
            result = sender.send(url, due.id(), timestamp, Signature.sign(due.endpoint().secret(), due.id(), timestamp, body), body);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        Outcome outcome = result.refused() ? new Outcome.Ended("failed") : outcome(due, number, result);
        String name = switch (outcome) {
            case Outcome.Delivered d -> "delivered";
            case Outcome.RetryAt r -> "retry";
            case Outcome.Ended e -> result.refused() ? "refused" : e.state();
        };
        metrics.attempt(name, took);
        long now = clock.millis();
        WebhookStore.Recorded recorded = webhooks.recordAttempt(due,
                new Attempt(number, started, took.toMillis(), result.status(), result.error()), outcome, now);
        if (!recorded.kept()) {
            // Sent, but another node took the delivery after our lease lapsed: its attempts are the ones kept.
            log.info("job={} webhook {} attempt {} to {} was not kept: the delivery was taken over meanwhile", due.jobId(), due.id(),
                    number, url.getHost());
            return outcome;
        }
        switch (outcome) {
            case Outcome.Delivered d -> metrics.delivered(Duration.ofMillis(now - due.createdAt()));
            case Outcome.RetryAt r -> { }
            case Outcome.Ended e -> metrics.ended(e.state(), 1 + recorded.othersStopped());
        }
        log.info("job={} webhook {} attempt {} to {}: {} ({})", due.jobId(), due.id(), number, url.getHost(),
                result.status() != null ? "HTTP " + result.status() : result.error(), name);
        return outcome;
    }

    private Outcome outcome(Due due, int number, WebhookSender.Result result) {
        Integer status = result.status();
        if (status != null && status >= 200 && status < 300) {
            return new Outcome.Delivered();
        }
        if (status != null && status == 410) {
            return new Outcome.Ended("stopped");
        }
        Duration wait = settings.backoff().delay(number);
        if (result.retryAfter().isPresent() && result.retryAfter().get().compareTo(wait) > 0) {
            wait = result.retryAfter().get();
        }
        long next = clock.millis() + wait.toMillis();
        if (next > due.windowStartedAt() + settings.retryPeriod().toMillis()) {
            return new Outcome.Ended("failed");
        }
        return new Outcome.RetryAt(next);
    }

    private void sleepQuietly() {
        try {
            wake.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
