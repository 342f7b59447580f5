package dev.contentgen.server.pipeline;

/** A text generator the pipeline streams from: the offline generator, or a real LLM. */
public interface Provider {
    String name();

    /**
     * Streams the step's text into {@code sink}; returns when the text is complete. A provider that
     * waits on the network stops its call when {@code control} says stop. Real providers throw
     * {@link dev.contentgen.server.pipeline.providers.ProviderException} when the call fails.
     */
    void generate(StepPrompt prompt, TokenSink sink, RunControl control) throws InterruptedException;
}
