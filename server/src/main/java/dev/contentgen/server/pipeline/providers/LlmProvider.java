package dev.contentgen.server.pipeline.providers;

import dev.contentgen.server.pipeline.Prompts;
import dev.contentgen.server.pipeline.Provider;
import dev.contentgen.server.pipeline.RunControl;
import dev.contentgen.server.pipeline.StepPrompt;
import dev.contentgen.server.pipeline.TokenSink;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real LLM behind LangChain4j's streaming chat model: OpenAI-compatible, Ollama or Anthropic.
 * Each call gets its own model and HTTP client, so a stop closes exactly that call's connection.
 */
public final class LlmProvider implements Provider, AutoCloseable {
    private final String name;
    private final ModelFactory models;
    private final StreamTimeouts timeouts;
    private final Prompts prompts;
    private final Clock clock;
    private final java.net.http.HttpClient http;
    private final ExecutorService streams = Executors.newVirtualThreadPerTaskExecutor();
    private final Integer maxOutputTokens;

    /** {@code maxOutputTokens} caps every call (max_tokens), so no topic can ask for endless text; 0 leaves the provider's own limit. */
    LlmProvider(String name, ModelFactory models, StreamTimeouts timeouts, Prompts prompts, Clock clock, int maxOutputTokens) {
        this.maxOutputTokens = maxOutputTokens > 0 ? maxOutputTokens : null;
        this.name = name;
        this.models = models;
        this.timeouts = timeouts;
        this.prompts = prompts;
        this.clock = clock;
        // HTTP/1.1: a plain-http local server gets no h2c upgrade dance, and closing the body closes the connection.
        this.http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(streams)
                .build();
    }

    public static LlmProvider openAi(String baseUrl, ApiKey key, StreamTimeouts timeouts, Prompts prompts, Clock clock, int maxOutputTokens) {
        return new LlmProvider("openai", new OpenAiModels(baseUrl, key), timeouts, prompts, clock, maxOutputTokens);
    }

    public static LlmProvider ollama(String baseUrl, StreamTimeouts timeouts, Prompts prompts, Clock clock, int maxOutputTokens) {
        return new LlmProvider("ollama", new OllamaModels(baseUrl), timeouts, prompts, clock, maxOutputTokens);
    }

    public static LlmProvider anthropic(String baseUrl, ApiKey key, StreamTimeouts timeouts, Prompts prompts, Clock clock, int maxOutputTokens) {
        return new LlmProvider("anthropic", new AnthropicModels(baseUrl, key), timeouts, prompts, clock, maxOutputTokens);
    }

    /** Closes the HTTP client and ends any stream still being read (the node stops after its workers). */
    @Override
    public void close() {
        http.close();
        streams.shutdownNow();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void generate(StepPrompt prompt, TokenSink sink, RunControl control) throws InterruptedException {
        String model = prompt.model();
        Prompts.Rendered text = prompts.render(prompt);
        StreamWatchdog watchdog = new StreamWatchdog(timeouts, models.nullFinishMeansTruncated());
        CallHttpClient call = new CallHttpClient(http, streams, clock, watchdog::bodyEnded);
        StreamingChatModel chat = models.create(model, call.builder());
        try (RunControl.Registration stop = control.onStop(() -> {
            watchdog.cancel();
            call.abort();
        })) {
            chat.chat(ChatRequest.builder()
                    .messages(SystemMessage.from(text.system()), UserMessage.from(text.user()))
                    .maxOutputTokens(maxOutputTokens)
                    .build(), watchdog);
            watchdog.deliver(sink, control, failure -> new ProviderException(name, failure),
                    error -> FailureClassifier.classify(error, model));
        } finally {
            // Whatever ended the call (done, failure, timeout, stop), its connection is closed now.
            watchdog.cancel();
            call.abort();
        }
    }
}
