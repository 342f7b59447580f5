package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Job;
import dev.contentgen.api.Json;
import dev.contentgen.api.StreamError;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** PROTOCOL.md, opening a stream, rule 5: a resume point beyond a running job's log waits, but never beyond the job's end. */
@ParameterizedClass
@EnumSource(TestStore.class)
class BeyondTheEndTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    @Test
    void aStreamOpenedBeyondTheEndOfARunningJobEndsWhenTheJobFinishesBelowIt() throws Exception {
        // No workers: the job stays pending (not finished) until the test cancels it.
        try (Node node = new Node(store.config(dir).withWorkers(0)).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob("Never that far");
            try (SseStream stream = api.events(job.id(), 1000L)) {
                assertThat(stream.status()).as("the job is not finished: the stream waits").isEqualTo(200);
                assertThat(api.post("/api/jobs/" + job.id() + "/cancel", "").status()).isEqualTo(200);

                List<SseEvent> rest = stream.readAllWithin(Duration.ofSeconds(60));

                assertThat(rest).as("one stream-level error, then the end").singleElement().satisfies(e -> {
                    assertThat(e.isError()).isTrue();
                    assertThat(e.id()).as("stream-level: no id").isNull();
                    StreamError error = Json.read(e.data(), StreamError.class);
                    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_LAST_EVENT_ID);
                    assertThat(error.retryable()).isFalse();
                    assertThat(error.message()).contains("1000", "ends at 2");
                });
            }
            try (SseStream again = api.events(job.id(), 1000L)) {
                assertThat(again.status()).as("a finished job answers 400, as before").isEqualTo(400);
            }
        }
    }
}
