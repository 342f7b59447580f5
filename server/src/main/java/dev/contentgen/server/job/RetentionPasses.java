package dev.contentgen.server.job;

import dev.contentgen.server.config.RetentionPolicy;
import dev.contentgen.server.store.Retention;
import dev.contentgen.server.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a retention pass every {@code policy.interval()} in the background of a node (any node; on
 * PostgreSQL one at a time), counts what it did in the node's metrics, and logs one line per pass.
 */
public final class RetentionPasses {
    private static final Logger log = LoggerFactory.getLogger(RetentionPasses.class);

    private final Retention retention;
    private final RetentionPolicy policy;
    private final Counter compacted;
    private final Counter eventsDropped;
    private final Counter deleted;
    private final Counter keysExpired;
    private final Counter skipped;
    private final Counter failed;
    private final Timer duration;
    private Thread loop;

    public RetentionPasses(Retention retention, RetentionPolicy policy, MeterRegistry meters) {
        this.retention = retention;
        this.policy = policy;
        this.compacted = Counter.builder("contentgen.retention.jobs.compacted").description("finished jobs whose deltas were dropped").register(meters);
        this.eventsDropped = Counter.builder("contentgen.retention.events.dropped").description("artifact.delta events dropped by compaction").register(meters);
        this.deleted = Counter.builder("contentgen.retention.jobs.deleted").description("finished jobs deleted by retention").register(meters);
        this.keysExpired = Counter.builder("contentgen.retention.idempotency.keys.expired").description("idempotency keys cleared").register(meters);
        this.skipped = Counter.builder("contentgen.retention.passes").tag("outcome", "skipped")
                .description("retention passes; skipped: another node held the pass").register(meters);
        this.failed = Counter.builder("contentgen.retention.passes").tag("outcome", "failed").register(meters);
        this.duration = Timer.builder("contentgen.retention.pass").description("retention passes that ran").register(meters);
    }

    /** Runs one pass now (tests, and each tick of the loop); never throws for a store outage. */
    public Retention.Pass runOnce() {
        long started = System.nanoTime();
        try {
            Retention.Pass pass = retention.run(policy);
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (!pass.ran()) {
                skipped.increment();
                log.info("retention pass skipped: another node is running one");
                return pass;
            }
            duration.record(java.time.Duration.ofMillis(millis));
            compacted.increment(pass.compacted());
            eventsDropped.increment(pass.eventsDropped());
            deleted.increment(pass.deleted());
            keysExpired.increment(pass.keysExpired());
            log.info("retention pass: compacted={} eventsDropped={} deleted={} idempotencyKeysExpired={} durationMs={}",
                    pass.compacted(), pass.eventsDropped(), pass.deleted(), pass.keysExpired(), millis);
            return pass;
        } catch (StoreException e) {
            // Safe to skip: nothing was half done (each job is its own transaction), and the next pass picks up the rest.
            failed.increment();
            log.warn("retention pass stopped, store unavailable: {}", e.getMessage());
            return new Retention.Pass(false, 0, 0, 0, 0);
        }
    }

    public void start() {
        if (!policy.compacts() && !policy.deletes() && !policy.expiresKeys()) {
            log.info("retention is off (no compaction, deletion or idempotency-key expiry)");
            return;
        }
        loop = Thread.ofVirtual().name("retention").start(() -> {
            try {
                while (true) {
                    Thread.sleep(policy.interval());
                    runOnce();
                }
            } catch (InterruptedException e) {
                // stop() interrupts: the node is stopping.
            }
        });
    }

    public void stop() {
        if (loop != null) {
            loop.interrupt();
        }
    }
}
