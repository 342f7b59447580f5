package dev.contentgen.api;

/** What a client asks for: a validated job request (see the server's RequestParser for the rules). */
public record JobRequest(String topic, Format format, Tone tone, Length length) {
    public static final int MAX_TOPIC_LENGTH = 500;

    public static JobRequest of(String topic) {
        return new JobRequest(topic, Format.ARTICLE, Tone.NEUTRAL, Length.MEDIUM);
    }
}
