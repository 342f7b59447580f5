package dev.contentgen.server.pipeline.providers;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;

/** Anthropic's Messages API. */
record AnthropicModels(String baseUrl, ApiKey key) implements ModelFactory {
    private static final int MAX_TOKENS = 4096;

    @Override
    public StreamingChatModel create(String model, HttpClientBuilder http) {
        return AnthropicStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(baseUrl)
                // The client insists on a key; a keyless compatible server behind --base-url ignores it.
                .apiKey(key == null ? "none" : key.value())
                .modelName(model)
                .maxTokens(MAX_TOKENS)
                .build();
    }
}
