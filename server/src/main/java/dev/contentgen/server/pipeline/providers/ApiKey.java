package dev.contentgen.server.pipeline.providers;

/** A provider's API key; it prints as {@code ***} so it cannot leak through a log line or a config dump. */
public record ApiKey(String value) {
    public ApiKey {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an API key must not be blank");
        }
    }

    @Override
    public String toString() {
        return "***";
    }
}
