package dev.contentgen.api;

/**
 * What a client asks for: a validated job request (see the server's JobRequestParser for the rules).
 * {@code audience} is optional free text ("engineering managers"); null when not given.
 */
public record JobRequest(String topic, Format format, Tone tone, Length length, String audience) {
    public static final int MAX_TOPIC_LENGTH = 500;
    public static final int MAX_AUDIENCE_LENGTH = 200;

    public JobRequest(String topic, Format format, Tone tone, Length length) {
        this(topic, format, tone, length, null);
    }

    public static JobRequest of(String topic) {
        return new JobRequest(topic, Format.ARTICLE, Tone.NEUTRAL, Length.MEDIUM);
    }
}
