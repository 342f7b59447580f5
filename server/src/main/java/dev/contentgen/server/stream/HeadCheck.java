package dev.contentgen.server.stream;

import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoreException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net under the notifier: every {@code period}, one query reads the last seq of every
 * job watched on this node and wakes the feeds whose log grew. A lost notification (a dropped
 * connection, a listener that failed) then delays a stream by one period at most, never forever.
 */
final class HeadCheck {
    private static final Logger log = LoggerFactory.getLogger(HeadCheck.class);

    private final Store store;
    private final Duration period;
    private final Supplier<Set<String>> watched;
    private final BiConsumer<String, Long> announce;
    private final Consumer<String> gone;
    private final Semaphore soon = new Semaphore(0);
    private final AtomicLong checks = new AtomicLong();
    private volatile boolean failing;
    private Thread loop;

    HeadCheck(Store store, Duration period, Supplier<Set<String>> watched, BiConsumer<String, Long> announce, Consumer<String> gone) {
        this.gone = gone;
        this.store = store;
        this.period = period;
        this.watched = watched;
        this.announce = announce;
    }

    void start() {
        loop = Thread.ofVirtual().name("stream-head-check").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    // Woken early by soon(); several requests in a row make one check.
                    soon.tryAcquire(period.toNanos(), TimeUnit.NANOSECONDS);
                    soon.drainPermits();
                    check();
                }
            } catch (InterruptedException e) {
                // stop() interrupts: the node is stopping.
            }
        });
    }

    /** Checks now rather than at the end of the period (notifications may have been lost). */
    void soon() {
        if (soon.availablePermits() == 0) {
            soon.release();
        }
    }

    /** Checks done so far (a test signal). */
    long checks() {
        return checks.get();
    }

    void check() {
        Set<String> jobs = watched.get();
        if (jobs.isEmpty()) {
            return;
        }
        try {
            Map<String, Long> heads = store.findLastSeqs(jobs);
            heads.forEach(announce);
            // A watched job without a row was deleted (on any node): its streams end.
            jobs.stream().filter(id -> !heads.containsKey(id)).forEach(gone);
            checks.incrementAndGet();
            if (failing) {
                failing = false;
                log.info("head check of watched jobs works again ({} job(s))", jobs.size());
            }
        } catch (StoreException e) {
            // Safe to skip: the streams report the outage themselves, and the next period checks again.
            if (!failing) {
                failing = true;
                log.warn("head check of {} watched job(s) skipped, store unavailable: {}", jobs.size(), e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("head check of {} watched job(s) failed: {}", jobs.size(), e.toString(), e);
        }
    }

    void stop() {
        if (loop != null) {
            loop.interrupt();
        }
    }
}
