package dev.contentgen.server.pipeline;

/** Thrown between tokens when the job was cancelled, its lease lost, or the node is draining. */
public final class StepInterrupted extends RuntimeException {
    /** Why the job stopped. */
    public enum Reason { CANCELLED, LEASE_LOST, SHUTDOWN }

    private final Reason reason;

    public StepInterrupted(Reason reason) {
        super("step interrupted: " + reason, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
