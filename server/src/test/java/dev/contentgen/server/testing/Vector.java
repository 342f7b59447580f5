package dev.contentgen.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading a multiplexed stream as a client: its resume vectors, and its events grouped by job. */
public final class Vector {
    private Vector() {}

    /** The resume points of an event's {@code id:} ({@code 12,0,45}), one per job of the stream, in the URL's order. */
    public static long[] parse(String id) {
        return Arrays.stream(id.split(",", -1)).mapToLong(Long::parseLong).toArray();
    }

    public static String of(long[] points) {
        return String.join(",", Arrays.stream(points).mapToObj(Long::toString).toList());
    }

    /** The job an event or per-job error is about (its data's {@code jobId}), null for a stream-level message. */
    public static String jobOf(SseEvent e) {
        JsonNode data = Json.read(e.data(), JsonNode.class);
        return data.hasNonNull("jobId") ? data.get("jobId").asText() : null;
    }

    /** The job events (those with an id) of {@code events}, per job, each as the per-job stream would carry it ({@code id} = seq). */
    public static Map<String, List<SseEvent>> byJob(List<SseEvent> events) {
        Map<String, List<SseEvent>> out = new LinkedHashMap<>();
        for (SseEvent e : events) {
            if (e.id() == null) {
                continue;
            }
            var logged = e.logged();
            out.computeIfAbsent(logged.jobId(), k -> new ArrayList<>()).add(new SseEvent(Long.toString(logged.seq()), e.event(), e.data()));
        }
        return out;
    }
}
