package dev.contentgen.server.notify;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a committed transaction tells every node: a job's log grew, or a job waits to be claimed.
 * Pointers, never content; on PostgreSQL each is one NOTIFY on its channel.
 */
public sealed interface Notification {
    /** PostgreSQL channel of {@link Appended}; payload {@code jobId:lastSeq}. */
    String EVENTS_CHANNEL = "contentgen_events";
    /** PostgreSQL channel of {@link Queued}; payload {@code jobId}. */
    String QUEUE_CHANNEL = "contentgen_queue";

    /** Job {@code jobId}'s log now reaches {@code lastSeq}. */
    record Appended(String jobId, long lastSeq) implements Notification {}

    /** Job {@code jobId} waits to be claimed (new, handed back or rescued). */
    record Queued(String jobId) implements Notification {}

    default String channel() {
        return switch (this) {
            case Appended a -> EVENTS_CHANNEL;
            case Queued q -> QUEUE_CHANNEL;
        };
    }

    default String payload() {
        return switch (this) {
            case Appended a -> a.jobId() + ":" + a.lastSeq();
            case Queued q -> q.jobId();
        };
    }

    /**
     * Reads a notification as it arrived. Empty when it is not one of ours: any database login can
     * NOTIFY on these channels, so nothing about the payload is trusted.
     */
    static Optional<Notification> parse(String channel, String payload) {
        if (payload == null) {
            return Optional.empty();
        }
        if (QUEUE_CHANNEL.equals(channel)) {
            return Format.JOB_ID.matcher(payload).matches() ? Optional.of(new Queued(payload)) : Optional.empty();
        }
        if (EVENTS_CHANNEL.equals(channel)) {
            int colon = payload.lastIndexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            String jobId = payload.substring(0, colon);
            String seq = payload.substring(colon + 1);
            if (!Format.JOB_ID.matcher(jobId).matches() || !Format.SEQ.matcher(seq).matches()) {
                return Optional.empty();
            }
            return Optional.of(new Appended(jobId, Long.parseLong(seq)));
        }
        return Optional.empty();
    }

    /** The payload grammar. */
    final class Format {
        static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
        static final Pattern SEQ = Pattern.compile("[1-9][0-9]{0,17}");

        private Format() {}
    }
}
