package dev.contentgen.server.job;

import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.time.Backoff;
import dev.contentgen.server.time.Pause;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a store operation through a passing outage, with the server's backoff, for up to
 * {@code giveUpAfter} on the clock. The operations it retries must be safe to repeat: an append
 * whose commit answer was lost may have landed (the store's appends check their expected seq).
 */
public final class StoreRetry {
    private static final Logger log = LoggerFactory.getLogger(StoreRetry.class);
    private static final Backoff BACKOFF = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final Duration giveUpAfter;
    private final Clock clock;
    private final Pause pause;

    public StoreRetry(Duration giveUpAfter, Clock clock, Pause pause) {
        this.giveUpAfter = giveUpAfter;
        this.clock = clock;
        this.pause = pause;
    }

    <T> T call(String what, Supplier<T> operation) throws InterruptedException {
        long deadline = clock.millis() + giveUpAfter.toMillis();
        int failures = 0;
        while (true) {
            try {
                return operation.get();
            } catch (StoreException e) {
                failures++;
                if (clock.millis() > deadline) {
                    throw e;
                }
                Duration wait = BACKOFF.delay(failures);
                log.warn("store unavailable while {} (failure {}), retrying in {} ms: {}", what, failures, wait.toMillis(), e.getMessage());
                pause.sleep(wait);
            }
        }
    }
}
