package dev.contentgen.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored and streamed form of each event: one flat object, the envelope's fields first, then the payload's. */
class EventEncodingTest {
    private static final Instant AT = Instant.parse("2026-12-03T07:00:00.123Z");

    @Test
    void everyEventTypeEncodesAsTheFlatObjectOfItsEnvelopeAndPayload() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("words", 812);
        summary.put("title", "A \"quoted\" title");
        JobEvent.Status failed = new JobEvent.Status(JobStatus.FAILED, 2, new JobError(ErrorCode.values()[0], "it broke"), summary);
        JobEvent.Progress progress = new JobEvent.Progress("section-1", 2, 5, "Writing section 1");
        List<JobEvent> events = List.of(
                new JobEvent.Status(JobStatus.RUNNING, 1, null, null),
                failed,
                progress,
                new JobEvent.ArtifactCreated("a-1", "section", "Intro", 1),
                new JobEvent.ArtifactCreated("a-1", "section", "Intro", 1, true),
                new JobEvent.ArtifactDelta("a-1", "Tokens with \\ backslash, \n newline and ünïcödé "),
                new JobEvent.ArtifactCompleted("a-1", "section", "Intro", "All of it", null,
                        new StepUsage("offline", "offline", 10, 20, 0.5)),
                new JobEvent.ArtifactDiscarded("a-1", "interrupted"),
                new JobEvent.Snapshot(failed, progress, List.of(new Artifact("a-1", "section", "Intro", 1, ArtifactStatus.values()[0], "x"))));
        for (JobEvent event : events) {
            LoggedEvent logged = new LoggedEvent(41, "01a2-job", AT, event);
            String json = Json.writeEvent(logged);
            assertThat(json).as(event.type()).isEqualTo(treeEncoding(logged));
            assertThat(json).startsWith("{\"seq\":41,\"type\":\"" + event.type() + "\",\"jobId\":\"01a2-job\",\"at\":\"" + AT + "\"");
            assertThat(Json.readEvent(json)).isEqualTo(logged);
        }
    }

    /** The encoding as a tree: the envelope, then every field of the event but its type id. */
    private static String treeEncoding(LoggedEvent logged) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("seq", logged.seq());
        node.put("type", logged.event().type());
        node.put("jobId", logged.jobId());
        node.put("at", logged.at().toString());
        ObjectNode payload = Json.MAPPER.valueToTree(logged.event());
        payload.remove("type");
        node.setAll(payload);
        return node.toString();
    }
}
