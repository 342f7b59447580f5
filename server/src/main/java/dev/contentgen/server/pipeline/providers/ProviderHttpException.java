package dev.contentgen.server.pipeline.providers;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;

/**
 * A non-2xx answer, with the Retry-After that LangChain4j's own {@link HttpException} drops.
 * The provider's body is left out on purpose: providers echo (parts of) keys in their errors.
 */
final class ProviderHttpException extends HttpException {
    private final transient Duration retryAfter;

    ProviderHttpException(int statusCode, Duration retryAfter) {
        super(statusCode, "HTTP " + statusCode);
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
