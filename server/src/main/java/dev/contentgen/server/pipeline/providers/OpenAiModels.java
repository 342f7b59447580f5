package dev.contentgen.server.pipeline.providers;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;

/** OpenAI, and any server that speaks its chat completions API (vLLM, llama.cpp, LM Studio). */
record OpenAiModels(String baseUrl, ApiKey key) implements ModelFactory {
    @Override
    public StreamingChatModel create(String model, HttpClientBuilder http) {
        return OpenAiStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(baseUrl)
                .apiKey(key == null ? null : key.value())
                .modelName(model)
                .build();
    }
}
