package dev.contentgen.api;

/**
 * What a client asks for: a validated job request (see the server's RequestParser for the rules).
 * {@code provider} and {@code model} are null when the server's defaults apply.
 */
public record JobRequest(String topic, Format format, Tone tone, Length length, String provider, String model) {
    public static final int MAX_TOPIC_LENGTH = 500;

    public JobRequest(String topic, Format format, Tone tone, Length length) {
        this(topic, format, tone, length, null, null);
    }

    public static JobRequest of(String topic) {
        return new JobRequest(topic, Format.ARTICLE, Tone.NEUTRAL, Length.MEDIUM);
    }

    public JobRequest withProvider(String provider, String model) {
        return new JobRequest(topic, format, tone, length, provider, model);
    }
}
