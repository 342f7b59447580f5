package dev.contentgen.server.pipeline.providers;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;

/** A local or remote Ollama server (newline-delimited JSON, not SSE). */
record OllamaModels(String baseUrl) implements ModelFactory {
    @Override
    public StreamingChatModel create(String model, HttpClientBuilder http) {
        return OllamaStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(baseUrl)
                .modelName(model)
                .build();
    }

    /** Ollama completes only on {@code "done": true}; an early end shows as the body ending first. */
    @Override
    public boolean nullFinishMeansTruncated() {
        return false;
    }
}
