package dev.contentgen.server.pipeline.providers;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.StreamingChatModel;

/** Builds one provider's LangChain4j streaming model for a call, on that call's HTTP client. */
interface ModelFactory {
    StreamingChatModel create(String model, HttpClientBuilder http);

    /**
     * Whether a completion without a finish reason means the stream was cut: true for the
     * OpenAI wire format, whose client completes on a clean close even without {@code [DONE]}.
     */
    default boolean nullFinishMeansTruncated() {
        return true;
    }
}
