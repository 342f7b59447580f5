package dev.contentgen.server.job;

import dev.contentgen.server.store.StoreException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Retries a store operation through a passing outage, with capped exponential backoff and jitter. */
public final class StoreRetry {
    private static final Logger log = LoggerFactory.getLogger(StoreRetry.class);

    private final Duration giveUpAfter;

    public StoreRetry(Duration giveUpAfter) {
        this.giveUpAfter = giveUpAfter;
    }

    <T> T call(String what, Supplier<T> operation) throws InterruptedException {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        long delay = 100;
        int failures = 0;
        while (true) {
            try {
                return operation.get();
            } catch (StoreException e) {
                failures++;
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                log.warn("store unavailable while {} (failure {}), retrying in ~{} ms: {}", what, failures, delay, e.getMessage());
                Thread.sleep(delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1));
                delay = Math.min(delay * 2, 5_000);
            }
        }
    }
}
