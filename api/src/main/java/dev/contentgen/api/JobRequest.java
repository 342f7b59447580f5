package dev.contentgen.api;

/**
 * What a client asks for: a validated job request (see the server's JobRequestParser for the rules).
 * {@code audience} is optional free text ("engineering managers"); {@code provider} and {@code model}
 * are null when the server's defaults apply.
 */
public record JobRequest(String topic, Format format, Tone tone, Length length, String audience, String provider, String model) {
    public static final int MAX_TOPIC_LENGTH = 500;
    public static final int MAX_AUDIENCE_LENGTH = 200;

    public JobRequest(String topic, Format format, Tone tone, Length length) {
        this(topic, format, tone, length, null, null, null);
    }

    public JobRequest(String topic, Format format, Tone tone, Length length, String audience) {
        this(topic, format, tone, length, audience, null, null);
    }

    public JobRequest(String topic, Format format, Tone tone, Length length, String provider, String model) {
        this(topic, format, tone, length, null, provider, model);
    }

    public static JobRequest of(String topic) {
        return new JobRequest(topic, Format.ARTICLE, Tone.NEUTRAL, Length.MEDIUM);
    }

    public JobRequest withProvider(String provider, String model) {
        return new JobRequest(topic, format, tone, length, audience, provider, model);
    }
}
