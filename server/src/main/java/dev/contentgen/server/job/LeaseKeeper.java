package dev.contentgen.server.job;

import dev.contentgen.server.pipeline.StepInterrupted;
import dev.contentgen.server.store.JobRun;
import dev.contentgen.server.store.LeaseState;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoreException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the leases of this node's running jobs every third of the lease, and passes on what
 * renewal finds: a cancel asked through another node, or a lease lost to the rescuer.
 */
public final class LeaseKeeper {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    /** Renewals per transaction: short enough not to hold the node's writes up for long. */
    private static final int RENEWALS_PER_WRITE = 250;

    private final Store store;
    private final RunningJobs running;
    private final Duration lease;
    private Thread loop;

    public LeaseKeeper(Store store, RunningJobs running, Duration lease) {
        this.store = store;
        this.running = running;
        this.lease = lease;
    }

    public void start() {
        loop = Thread.ofVirtual().name("lease-keeper").start(() -> {
            try {
                while (true) {
                    Thread.sleep(lease.dividedBy(3));
                    renewAll();
                }
            } catch (InterruptedException e) {
                // stop() interrupts: the node is stopping.
            }
        });
    }

    void renewAll() {
        List<JobRun> runs = List.copyOf(running.runs());
        for (int from = 0; from < runs.size(); from += RENEWALS_PER_WRITE) {
            List<JobRun> chunk = runs.subList(from, Math.min(runs.size(), from + RENEWALS_PER_WRITE));
            try {
                store.renewLeases(chunk, lease.toMillis()).forEach((run, state) -> {
                    switch (state) {
                        case HELD -> { }
                        case CANCEL_REQUESTED -> running.stop(run, StepInterrupted.Reason.CANCELLED);
                        case LOST -> running.stop(run, StepInterrupted.Reason.LEASE_LOST);
                    }
                });
            } catch (StoreException e) {
                log.warn("{} leases not renewed, store unavailable (they run out in at most {}): {}", chunk.size(), lease, e.getMessage());
            }
        }
    }

    public void stop() {
        if (loop != null) {
            loop.interrupt();
        }
    }
}
