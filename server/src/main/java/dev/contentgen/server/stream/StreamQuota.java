package dev.contentgen.server.stream;

import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.store.StreamSlots;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The open-streams limit per owner ({@code 0}: unlimited), held across the cluster through {@link StreamSlots}. */
public final class StreamQuota implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamQuota.class);
    private static final Duration RENEW_EVERY = StreamSlots.TTL.dividedBy(4);

    private final StreamSlots slots;
    private final int limit;
    private final ScheduledExecutorService renewer;

    public StreamQuota(StreamSlots slots, int limit) {
        this.slots = slots;
        this.limit = limit;
        this.renewer = limit > 0 ? Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("stream-slots").factory()) : null;
        if (renewer != null) {
            renewer.scheduleWithFixedDelay(this::renew, RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A held slot; closing it gives the slot back. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** The slot of a stream that counts against no limit. */
    public static final Slot UNLIMITED = () -> { };

    public int limit() {
        return limit;
    }

    /** A slot for one more stream of {@code owner}, or empty when it holds its limit already. */
    public Optional<Slot> take(String owner) {
        if (limit == 0) {
            return Optional.of(UNLIMITED);
        }
        return slots.take(owner, limit).map(id -> () -> {
            try {
                slots.release(id);
            } catch (StoreException e) {
                log.warn("stream slot {} of owner {} not released ({}); it expires by itself", id, owner, e.getMessage());
            }
        });
    }

    private void renew() {
        try {
            slots.renew();
        } catch (StoreException e) {
            log.warn("stream slots not renewed ({}); retrying in {}s", e.getMessage(), RENEW_EVERY.toSeconds());
        }
    }

    @Override
    public void close() {
        if (renewer != null) {
            renewer.shutdownNow();
        }
    }
}
