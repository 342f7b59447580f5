package dev.contentgen.server.job;

import dev.contentgen.server.pipeline.StepInterrupted;
import dev.contentgen.server.store.ClaimedJob;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoreException;
import dev.contentgen.server.notify.Notifier;
import dev.contentgen.server.time.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's worker pool: one claiming loop, woken when a job is queued (with a slow poll as a
 * safety net), running up to {@code concurrency} jobs at once on virtual threads.
 */
public final class Workers implements Notifier.Listener {
    private static final Logger log = LoggerFactory.getLogger(Workers.class);
    /** Jobs claimed in one transaction at most. */
    private static final int CLAIM_BATCH = 32;
    private static final Backoff CLAIM_RETRY = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final String nodeId;
    private final Store store;
    private final JobRunner runner;
    private final RunningJobs running;
    private final Semaphore slots;
    private final int concurrency;
    private final Duration lease;
    private final Duration pollInterval;
    private final BlockingQueue<Boolean> wakeups = new ArrayBlockingQueue<>(1);
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean claiming;
    private Thread claimLoop;

    public Workers(String nodeId, Store store, JobRunner runner, RunningJobs running,
            int concurrency, Duration lease, Duration pollInterval) {
        this.nodeId = nodeId;
        this.store = store;
        this.runner = runner;
        this.running = running;
        this.concurrency = concurrency;
        this.slots = new Semaphore(concurrency);
        this.lease = lease;
        this.pollInterval = pollInterval;
    }

    public void start() {
        if (concurrency == 0) {
            log.info("workers disabled on node {}: jobs stay pending", nodeId);
            return;
        }
        claiming = true;
        claimLoop = Thread.ofVirtual().name("claimer").start(this::claimUntilStopped);
    }

    @Override
    public void onQueued(String jobId) {
        wakeups.offer(Boolean.TRUE);
    }

    @Override
    public void onResync() {
        wakeups.offer(Boolean.TRUE);
    }

    private void claimUntilStopped() {
        int storeFailures = 0;
        while (claiming) {
            try {
                slots.acquire();
                // As many free workers as there are, in one claim: jobs queued together start together.
                int free = 1;
                while (free < CLAIM_BATCH && slots.tryAcquire()) {
                    free++;
                }
                List<ClaimedJob> jobs;
                try {
                    jobs = claiming ? store.claimNext(nodeId, lease.toMillis(), free) : List.of();
                    storeFailures = 0;
                } catch (StoreException e) {
                    slots.release(free);
                    Duration backoff = CLAIM_RETRY.delay(++storeFailures);
                    log.warn("cannot claim jobs, store unavailable; retrying in {} ms: {}", backoff.toMillis(), e.getMessage());
                    Thread.sleep(backoff);
                    continue;
                }
                slots.release(free - jobs.size());
                for (ClaimedJob claimed : jobs) {
                    executor.submit(() -> {
                        try {
                            runner.run(claimed);
                        } finally {
                            slots.release();
                        }
                    });
                }
                if (jobs.isEmpty()) {
                    wakeups.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops claiming and hands every running job back; waits up to {@code grace} for that. */
    public void drain(Duration grace) {
        claiming = false;
        if (claimLoop != null) {
            claimLoop.interrupt();
        }
        running.stopAll(StepInterrupted.Reason.SHUTDOWN);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("job runs {} did not stop within {}; their leases will expire and they will be rescued", running.runs(), grace);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
