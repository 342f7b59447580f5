package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.contentgen.api.Job;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --log-format json} (README, "Logs"): one JSON object per line, the stream fields as fields. */
class LogFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void jsonLinesParseAndCarryTheStreamEndsFields() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir, "--log-format", "json", "--tokens-per-second", "0")) {
            Api api = new Api(node.uri());
            Job job = api.createJob("Logged as JSON");
            List<SseEvent> events;
            try (SseStream stream = api.events(job.id(), null)) {
                events = stream.readAll();
            }
            JsonNode end = awaitLine(node, job.id(), "STREAM_END");
            assertThat(end.get("reason").asText()).isEqualTo("job_completed");
            assertThat(end.get("sent").isNumber()).isTrue();
            assertThat(end.get("sent").asLong()).isEqualTo(events.size());
            assertThat(end.get("replayed").asLong()).isBetween(0L, (long) events.size());
            assertThat(end.get("after").asLong()).isZero();
            assertThat(end.get("lastSeq").asLong()).isEqualTo(events.getLast().seq());
            assertThat(end.get("durationMs").isNumber()).isTrue();
            assertThat(end.get("level").asText()).isEqualTo("INFO");
            assertThat(end.get("message").asText()).startsWith("[STREAM_END] job=" + job.id() + " reason=job_completed after=0 sent=");
            assertThat(awaitLine(node, job.id(), "STREAM_START").get("after").asLong()).isZero();

            List<String> lines = new ArrayList<>(node.output());
            assertThat(lines).isNotEmpty();
            for (String line : lines) {
                assertThat(JSON.readTree(line).isObject()).as("a JSON object: %s", line).isTrue();
            }
        }
    }

    private static JsonNode awaitLine(NodeProcess node, String jobId, String tag) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : List.copyOf(node.output())) {
                JsonNode json = JSON.readTree(line);
                if (tag.equals(json.path("tag").asText()) && jobId.equals(json.path("job").asText())) {
                    return json;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + tag + " line for " + jobId + " in:\n" + String.join("\n", node.output()));
    }
}
