package dev.contentgen.server.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.contentgen.api.Artifact;
import dev.contentgen.api.Job;
import dev.contentgen.api.Json;
import java.io.UncheckedIOException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Optional;

/**
 * The JSON body of a delivery: {@code type}, {@code timestamp}, {@code jobId}, {@code seq} and the
 * logged event's fields (a status with its summary or error; a completed step without its text),
 * the job's artifacts on a terminal status, and links to read the rest. Built from the log, so
 * every attempt of a delivery sends the same body.
 */
final class WebhookPayload {
    private WebhookPayload() {}

    static String build(String eventType, String eventData, Optional<Job> job) {
        ObjectNode event;
        try {
            event = (ObjectNode) Json.MAPPER.readTree(eventData);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        String jobId = event.get("jobId").asText();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", eventType);
        body.put("timestamp", event.get("at").asText());
        body.put("jobId", jobId);
        body.put("seq", event.get("seq").asLong());
        event.remove(java.util.List.of("seq", "type", "jobId", "at", "content"));
        body.setAll(event);
        if (eventType.startsWith("job.") && job.isPresent()) {
            ArrayNode artifacts = body.putArray("artifacts");
            for (Artifact a : job.get().artifacts()) {
                artifacts.addObject().put("id", a.id()).put("kind", a.kind()).put("title", a.title())
                        .put("status", a.status().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        ObjectNode links = body.putObject("links");
        links.put("job", "/api/jobs/" + jobId);
        links.put("events", "/api/jobs/" + jobId + "/events");
        return body.toString();
    }
}
