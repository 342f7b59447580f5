package dev.contentgen.server.pipeline.providers;

/** A provider call failed; {@link #failure()} says how. The message is safe to log and show. */
public final class ProviderException extends RuntimeException {
    private final transient ProviderFailure failure;

    public ProviderException(String provider, ProviderFailure failure) {
        super("provider " + provider + ": " + failure.describe(), null, false, false);
        this.failure = failure;
    }

    public ProviderFailure failure() {
        return failure;
    }
}
