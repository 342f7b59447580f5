package dev.contentgen.server.job;

import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.store.StoredEvent;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-queues jobs whose worker is gone (lease expired), retracting the interrupted step's partial
 * artifact, up to {@code maxAttempts}; then fails them with WORKER_LOST.
 */
public final class Rescuer {
    private static final Logger log = LoggerFactory.getLogger(Rescuer.class);

    private final String nodeId;
    private final Store store;
    private final int maxAttempts;
    private final Duration interval;
    private Thread loop;

    public Rescuer(String nodeId, Store store, int maxAttempts, Duration interval) {
        this.nodeId = nodeId;
        this.store = store;
        this.maxAttempts = maxAttempts;
        this.interval = interval;
    }

    /**
     * Rescues now. With {@code ignoreLease}, every running job is taken: right only when this node
     * alone can run jobs (SQLite, with the data directory locked), so any running job is orphaned.
     */
    public int rescue(boolean ignoreLease) {
        int rescued = 0;
        for (String jobId : store.findRescuable(ignoreLease)) {
            List<StoredEvent> events = store.rescue(jobId, nodeId, maxAttempts, ignoreLease);
            if (!events.isEmpty()) {
                rescued++;
                log.info("job={} rescued: its worker was lost ({} events appended)", jobId, events.size());
            }
        }
        return rescued;
    }

    public void start() {
        loop = Thread.ofVirtual().name("rescuer").start(() -> {
            try {
                while (true) {
                    Thread.sleep(interval);
                    try {
                        rescue(false);
                    } catch (StoreException e) {
                        log.warn("rescue skipped, store unavailable: {}", e.getMessage());
                    }
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
