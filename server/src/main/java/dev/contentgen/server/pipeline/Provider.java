package dev.contentgen.server.pipeline;

/** A text generator the pipeline streams from: the offline generator, or a real LLM. */
public interface Provider {
    String name();

    /** Streams the step's text into {@code sink}; returns when the text is complete. */
    void generate(StepPrompt prompt, TokenSink sink) throws InterruptedException;
}
