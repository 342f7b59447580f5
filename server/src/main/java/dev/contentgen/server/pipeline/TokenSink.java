package dev.contentgen.server.pipeline;

/** Receives a step's output token by token; throws {@link StepInterrupted} when the job must stop. */
@FunctionalInterface
public interface TokenSink {
    void accept(String token);
}
