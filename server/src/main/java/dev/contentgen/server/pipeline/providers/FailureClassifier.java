package dev.contentgen.server.pipeline.providers;

import dev.contentgen.server.pipeline.providers.ProviderFailure.StreamBroken;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.model.anthropic.internal.api.AnthropicStreamingException;
import dev.langchain4j.model.ollama.OllamaStreamingException;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/** Turns what LangChain4j reports through {@code onError} into a {@link ProviderFailure}. */
final class FailureClassifier {
    private FailureClassifier() {}

    static ProviderFailure classify(Throwable error, String model) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            switch (t) {
                case ProviderHttpException h -> {
                    return byStatus(h.statusCode(), h.retryAfter(), model);
                }
                case HttpException h -> {
                    return byStatus(h.statusCode(), null, model);
                }
                // Anthropic reports trouble after the 200 as an SSE "error" event with a type.
                case AnthropicStreamingException a -> {
                    return byAnthropicType(a.type(), model);
                }
                case OllamaStreamingException o -> {
                    return new StreamBroken(StreamBroken.Why.STREAM_ERROR, null);
                }
                case ConnectException c -> {
                    return new ProviderFailure.Unavailable(0, null);
                }
                case UnresolvedAddressException u -> {
                    return new ProviderFailure.Unavailable(0, null);
                }
                case UnresolvedModelServerException u -> {
                    return new ProviderFailure.Unavailable(0, null);
                }
                default -> { }
            }
        }
        return new StreamBroken(StreamBroken.Why.HUNG_UP, null);
    }

    static ProviderFailure byStatus(int status, Duration retryAfter, String model) {
        return switch (status) {
            case 429 -> new ProviderFailure.RateLimited(retryAfter);
            case 401, 403 -> new ProviderFailure.AuthRejected(status);
            case 404 -> new ProviderFailure.ModelNotFound(model);
            case 408 -> new ProviderFailure.Unavailable(status, retryAfter);
            default -> status >= 500 ? new ProviderFailure.Unavailable(status, retryAfter) : new ProviderFailure.Refused(status);
        };
    }

    private static ProviderFailure byAnthropicType(String type, String model) {
        return switch (type == null ? "" : type) {
            case "rate_limit_error" -> new ProviderFailure.RateLimited(null);
            case "overloaded_error" -> new ProviderFailure.Unavailable(529, null);
            case "api_error" -> new ProviderFailure.Unavailable(500, null);
            case "authentication_error" -> new ProviderFailure.AuthRejected(401);
            case "permission_error" -> new ProviderFailure.AuthRejected(403);
            case "not_found_error" -> new ProviderFailure.ModelNotFound(model);
            default -> new StreamBroken(StreamBroken.Why.STREAM_ERROR, null);
        };
    }
}
