package dev.contentgen.server.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The stop signal of one running job, checked between tokens so cancel is quick. */
public final class RunControl {
    private volatile StepInterrupted.Reason stopReason;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Runnable> onStop = new CopyOnWriteArrayList<>();

    public void stop(StepInterrupted.Reason reason) {
        synchronized (this) {
            if (stopReason != null) {
                return;
            }
            stopReason = reason;
        }
        stopped.countDown();
        onStop.forEach(Runnable::run);
    }

    /** Throws if the job must stop now. */
    public void check() {
        StepInterrupted.Reason reason = stopReason;
        if (reason != null) {
            throw new StepInterrupted(reason);
        }
    }

    /**
     * Runs {@code action} when the job is told to stop (at once if it already was), so a provider
     * call that waits on the network is cut instead of running on; close the result to stop listening.
     */
    public Registration onStop(Runnable action) {
        onStop.add(action);
        if (stopReason != null) {
            action.run();
        }
        return () -> onStop.remove(action);
    }

    /** Ends an {@link #onStop} registration. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Waits up to {@code time}, returning early (and throwing) when the job is told to stop. */
    public void await(Duration time) throws InterruptedException {
        stopped.await(time.toNanos(), TimeUnit.NANOSECONDS);
        check();
    }
}
