package dev.contentgen.server.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a committed transaction tells every node: a job's log grew, or a job waits to be claimed.
 * Pointers, never content. On PostgreSQL a transaction sends one NOTIFY per channel carrying all
 * its pointers, comma-separated (more only past {@link #MAX_PAYLOAD} bytes, far above a usual group).
 */
public sealed interface Notification {
    /** PostgreSQL channel of {@link Appended}; payload {@code jobId:lastSeq[,jobId:lastSeq…]}. */
    String EVENTS_CHANNEL = "contentgen_events";
    /** PostgreSQL channel of {@link Queued}; payload {@code jobId[,jobId…]}. */
    String QUEUE_CHANNEL = "contentgen_queue";
    /**
     * PostgreSQL channel of {@link StatusChanged}; payload {@code jobId[,jobId…]}. A channel of its own, so a node
     * that does not know it ignores it, and the pointers of the events channel stay as they were.
     */
    String JOBS_CHANNEL = "contentgen_jobs";
    /** Well inside PostgreSQL's 8,000-byte limit on a NOTIFY payload. */
    int MAX_PAYLOAD = 4000;

    /** One NOTIFY: a channel and its payload. */
    record Message(String channel, String payload) {}

    /** Job {@code jobId}'s log now reaches {@code lastSeq}. */
    record Appended(String jobId, long lastSeq) implements Notification {}

    /** Job {@code jobId} waits to be claimed (new, handed back or rescued). */
    record Queued(String jobId) implements Notification {}

    /** Job {@code jobId} was created or changed status: the live job lists of its owner's streams show it. */
    record StatusChanged(String jobId) implements Notification {}

    default String channel() {
        return switch (this) {
            case Appended a -> EVENTS_CHANNEL;
            case Queued q -> QUEUE_CHANNEL;
            case StatusChanged c -> JOBS_CHANNEL;
        };
    }

    default String payload() {
        return switch (this) {
            case Appended a -> a.jobId() + ":" + a.lastSeq();
            case Queued q -> q.jobId();
            case StatusChanged c -> c.jobId();
        };
    }

    /** The NOTIFYs that carry {@code notifications}: one per channel, split only past {@link #MAX_PAYLOAD}. */
    static List<Message> pack(List<Notification> notifications) {
        Map<String, List<StringBuilder>> byChannel = new LinkedHashMap<>();
        for (Notification n : notifications) {
            List<StringBuilder> payloads = byChannel.computeIfAbsent(n.channel(), c -> new ArrayList<>());
            String pointer = n.payload();
            if (payloads.isEmpty() || payloads.getLast().length() + 1 + pointer.length() > MAX_PAYLOAD) {
                payloads.add(new StringBuilder(pointer));
            } else {
                payloads.getLast().append(',').append(pointer);
            }
        }
        List<Message> messages = new ArrayList<>();
        byChannel.forEach((channel, payloads) -> payloads.forEach(p -> messages.add(new Message(channel, p.toString()))));
        return messages;
    }

    /**
     * Reads a NOTIFY as it arrived. Empty when it is not (wholly) one of ours: any database login
     * can NOTIFY on these channels, so nothing about the payload is trusted.
     */
    static Optional<List<Notification>> parse(String channel, String payload) {
        if (payload == null || payload.isEmpty() || payload.length() > 8000) {
            return Optional.empty();
        }
        List<Notification> out = new ArrayList<>();
        for (String pointer : payload.split(",", -1)) {
            Optional<Notification> one = parseOne(channel, pointer);
            if (one.isEmpty()) {
                return Optional.empty();
            }
            out.add(one.get());
        }
        return Optional.of(out);
    }

    private static Optional<Notification> parseOne(String channel, String payload) {
        if (QUEUE_CHANNEL.equals(channel)) {
            return Format.JOB_ID.matcher(payload).matches() ? Optional.of(new Queued(payload)) : Optional.empty();
        }
        if (JOBS_CHANNEL.equals(channel)) {
            return Format.JOB_ID.matcher(payload).matches() ? Optional.of(new StatusChanged(payload)) : Optional.empty();
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
