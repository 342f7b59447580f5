package dev.contentgen.server.config;

import dev.contentgen.server.pipeline.providers.ApiKey;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Which LLM provider a node uses by default and how it treats a slow or failing one. Keys come
 * from the environment ({@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}) and print as {@code ***}.
 */
public record LlmConfig(
        String provider,
        String model,
        List<String> models,
        String baseUrl,
        ApiKey openAiKey,
        ApiKey anthropicKey,
        Duration firstTokenTimeout,
        Duration tokenGapTimeout,
        int attempts) {

    public static final List<String> PROVIDERS = List.of("offline", "openai", "ollama", "anthropic");

    public static LlmConfig offline() {
        return new LlmConfig("offline", null, List.of(), null, null, null,
                Duration.ofSeconds(60), Duration.ofSeconds(30), 5);
    }

    public LlmConfig {
        provider = provider == null || provider.isBlank() ? "offline" : provider.strip().toLowerCase(Locale.ROOT);
        model = model == null || model.isBlank() ? null : model.strip();
        models = models == null ? List.of() : models.stream().map(String::strip).filter(m -> !m.isEmpty()).distinct().toList();
        baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.strip();
    }

    /** The model jobs get when they name none. */
    public String defaultModel() {
        if (model != null) {
            return model;
        }
        if (!models.isEmpty()) {
            return models.getFirst();
        }
        return switch (provider) {
            case "openai" -> "gpt-4o-mini";
            case "ollama" -> "llama3.2";
            case "anthropic" -> "claude-3-5-haiku-latest";
            default -> "offline";
        };
    }

    /** The models a job may ask for: {@code models}, plus the default. */
    public List<String> offeredModels() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(defaultModel()), models.stream()).distinct().toList();
    }

    public LlmConfig withProvider(String provider, String model, String baseUrl) {
        return new LlmConfig(provider, model, models, baseUrl, openAiKey, anthropicKey, firstTokenTimeout, tokenGapTimeout, attempts);
    }

    public LlmConfig withKeys(ApiKey openAiKey, ApiKey anthropicKey) {
        return new LlmConfig(provider, model, models, baseUrl, openAiKey, anthropicKey, firstTokenTimeout, tokenGapTimeout, attempts);
    }

    public LlmConfig withTimeouts(Duration firstToken, Duration gap, int attempts) {
        return new LlmConfig(provider, model, models, baseUrl, openAiKey, anthropicKey, firstToken, gap, attempts);
    }

    public LlmConfig withModels(List<String> models) {
        return new LlmConfig(provider, model, models, baseUrl, openAiKey, anthropicKey, firstTokenTimeout, tokenGapTimeout, attempts);
    }

    /** Fails fast with a message a user can act on. */
    public LlmConfig validated() {
        require(PROVIDERS.contains(provider), "unknown provider '" + provider + "'; use one of: " + String.join(", ", PROVIDERS));
        require(!(provider.equals("openai") && openAiKey == null && baseUrl == null),
                "provider openai needs OPENAI_API_KEY (or --base-url pointing at a local OpenAI-compatible server)");
        require(!(provider.equals("anthropic") && anthropicKey == null && baseUrl == null),
                "provider anthropic needs ANTHROPIC_API_KEY");
        require(!(provider.equals("offline") && (model != null && !model.equals("offline") || baseUrl != null)),
                "--model and --base-url need a real provider: add --provider openai, ollama or anthropic");
        if (baseUrl != null) {
            URI uri;
            try {
                uri = URI.create(baseUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--base-url '" + baseUrl + "' is not a URL");
            }
            require(("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null,
                    "--base-url must be an http:// or https:// URL such as http://localhost:8000/v1, not '" + baseUrl + "'");
        }
        require(firstTokenTimeout.toMillis() >= 10, "the first-token timeout must be at least 10ms");
        require(tokenGapTimeout.toMillis() >= 10, "the token-gap timeout must be at least 10ms");
        require(attempts >= 1, "provider attempts must be >= 1");
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
