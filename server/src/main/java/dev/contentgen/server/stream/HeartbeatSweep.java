package dev.contentgen.server.stream;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One timer for the heartbeats of every stream on the node, instead of a timed wait per stream:
 * every tick (an eighth of the interval) it wakes the cursors that wrote nothing for the interval
 * less a tick, so each keepalive goes out within the interval, never after it.
 */
final class HeartbeatSweep {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatSweep.class);
    private final Duration interval;
    private final Consumer<Consumer<Heartbeating>> everyCursor;
    private ScheduledFuture<?> task;

    /** {@code everyCursor}: calls its argument with each open cursor (and each stream of the live job list). */
    HeartbeatSweep(Duration interval, Consumer<Consumer<Heartbeating>> everyCursor) {
        this.interval = interval;
        this.everyCursor = everyCursor;
    }

    void start(ScheduledExecutorService timer) {
        long tick = Math.max(1, interval.toNanos() / 8);
        long dueAfter = interval.toNanos() - tick;
        task = timer.scheduleAtFixedRate(() -> {
            try {
                long now = System.nanoTime();
                everyCursor.accept(each -> each.heartbeatIfDue(now, dueAfter));
            } catch (RuntimeException e) {
                // A failed sweep must not end the timer (the next tick tries again); it is a defect, so loudly.
                log.error("heartbeat sweep failed", e);
            }
        }, tick, tick, TimeUnit.NANOSECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
