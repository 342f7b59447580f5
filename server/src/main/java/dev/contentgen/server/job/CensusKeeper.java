package dev.contentgen.server.job;

import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.store.WorkerCensus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps this node counted in the cluster's worker census while it runs, and takes it out when it stops. */
public final class CensusKeeper {
    private static final Logger log = LoggerFactory.getLogger(CensusKeeper.class);

    private final WorkerCensus census;
    private final int workers;
    private Thread loop;

    public CensusKeeper(WorkerCensus census, int workers) {
        this.census = census;
        this.workers = workers;
    }

    /** Announces at once (so the first answer already counts this node), then renews in the background. */
    public void start() {
        announce();
        loop = Thread.ofVirtual().name("census-keeper").start(() -> {
            try {
                while (true) {
                    Thread.sleep(WorkerCensus.RENEW_EVERY);
                    announce();
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
        try {
            census.leave();
        } catch (StoreException e) {
            log.warn("could not leave the worker census (this node's row is forgotten within {}): {}",
                    WorkerCensus.FORGET_AFTER, e.getMessage());
        }
    }

    private void announce() {
        try {
            census.announce(workers);
        } catch (StoreException e) {
            // Only the queue position's worker count suffers, and the next renewal heals it.
            log.warn("could not renew this node's place in the worker census: {}", e.getMessage());
        }
    }
}
