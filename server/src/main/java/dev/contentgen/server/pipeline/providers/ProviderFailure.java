package dev.contentgen.server.pipeline.providers;

import dev.contentgen.api.ErrorCode;
import java.time.Duration;

/**
 * Why a provider call failed, classified so the pipeline knows whether to wait and retry, retry
 * the step at once, or fail the job. Descriptions never quote the provider's answer: it can echo
 * a key.
 */
public sealed interface ProviderFailure {

    /** Whether the step is tried again (within the retry limit). */
    boolean retryable();

    /** The job's error code when the job fails because of this. */
    ErrorCode code();

    /** A sentence for users and logs, without secrets. */
    String describe();

    /** The wait the provider asked for (Retry-After), or null. */
    default Duration retryAfter() {
        return null;
    }

    /** 429: too many requests. */
    record RateLimited(Duration retryAfter) implements ProviderFailure {
        public boolean retryable() { return true; }
        public ErrorCode code() { return ErrorCode.PROVIDER_RATE_LIMITED; }
        public String describe() { return "the provider is rate limiting requests (HTTP 429)"; }
    }

    /** 5xx, or the provider cannot be reached at all ({@code status} 0). */
    record Unavailable(int status, Duration retryAfter) implements ProviderFailure {
        public boolean retryable() { return true; }
        public ErrorCode code() { return ErrorCode.PROVIDER_UNAVAILABLE; }
        public String describe() {
            return status == 0 ? "the provider cannot be reached" : "the provider is unavailable (HTTP " + status + ")";
        }
    }

    /** 401/403: the key is missing, wrong or not allowed. */
    record AuthRejected(int status) implements ProviderFailure {
        public boolean retryable() { return false; }
        public ErrorCode code() { return ErrorCode.PROVIDER_AUTH; }
        public String describe() { return "the provider refused the credentials (HTTP " + status + "); check the API key"; }
    }

    /** 404: the provider does not know the model. */
    record ModelNotFound(String model) implements ProviderFailure {
        public boolean retryable() { return false; }
        public ErrorCode code() { return ErrorCode.MODEL_NOT_FOUND; }
        public String describe() { return "the provider does not know the model '" + model + "' (HTTP 404)"; }
    }

    /** Any other 4xx: the provider refuses the request as it is; asking again changes nothing. */
    record Refused(int status) implements ProviderFailure {
        public boolean retryable() { return false; }
        public ErrorCode code() { return ErrorCode.GENERATION_FAILED; }
        public String describe() { return "the provider refused the request (HTTP " + status + ")"; }
    }

    /** The stream broke off: the partial text is retracted and the step runs again. */
    record StreamBroken(Why why, Duration limit) implements ProviderFailure {
        /** How it broke. */
        public enum Why { HUNG_UP, TRUNCATED, STALLED, NO_FIRST_TOKEN, STREAM_ERROR }

        public boolean retryable() { return true; }
        public ErrorCode code() { return ErrorCode.PROVIDER_UNAVAILABLE; }
        public String describe() {
            return switch (why) {
                case HUNG_UP -> "the provider hung up mid-stream";
                case TRUNCATED -> "the provider ended the stream before the text was complete";
                case STALLED -> "the provider stopped sending tokens for " + Durations.show(limit);
                case NO_FIRST_TOKEN -> "the provider sent no token within " + Durations.show(limit);
                case STREAM_ERROR -> "the provider reported an error mid-stream";
            };
        }
    }
}
