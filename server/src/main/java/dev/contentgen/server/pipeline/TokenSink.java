package dev.contentgen.server.pipeline;

/** Receives a step's output token by token; throws {@link StepInterrupted} when the job must stop. */
@FunctionalInterface
public interface TokenSink {
    void accept(String token);

    /**
     * Nanoseconds until text held back for coalescing should go out even if no token follows,
     * or -1 when nothing is held. A provider that waits for tokens wakes up then and calls
     * {@link #flushHeld()}, so a model that pauses does not keep its last words off the page.
     */
    default long heldTextDueInNanos() {
        return -1;
    }

    default void flushHeld() {}

    /**
     * The tokens the call used, as its provider counted them ({@code input}: the prompt; {@code output}:
     * the text), told once the text is complete. A provider that reports nothing does not call it.
     */
    default void usage(long inputTokens, long outputTokens) {}
}
