package dev.contentgen.server.pipeline;

/** The stop signal of one running job, checked between tokens so cancel is quick. */
public final class RunControl {
    private volatile StepInterrupted.Reason stopReason;

    public void stop(StepInterrupted.Reason reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** Throws if the job must stop now. */
    public void check() {
        StepInterrupted.Reason reason = stopReason;
        if (reason != null) {
            throw new StepInterrupted(reason);
        }
    }
}
