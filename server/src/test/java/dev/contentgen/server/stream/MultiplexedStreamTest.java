package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Job;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.RetentionPolicy;
import dev.contentgen.server.store.Retention;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.ApiContract;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import dev.contentgen.server.testing.Vector;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** docs/PROTOCOL.md, "Many jobs on one stream": what one connection carries for several jobs, and how it answers bad requests. */
@ParameterizedClass
@EnumSource(TestStore.class)
class MultiplexedStreamTest {
    @Parameter
    TestStore store;
    @TempDir
    Path dir;
    Node node;
    Api api;

    @BeforeEach
    void start() {
        node = new Node(store.config(dir)).start();
        api = new Api(TestNodes.uri(node));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void everyJobArrivesWholeAndInOrderTaggedWithTheVectorThenTheStreamEnds() throws Exception {
        Job a = api.createJob(Map.of("topic", "First of two"));
        Job b = api.createJob(Map.of("topic", "Second of two"));
        List<SseEvent> received;
        try (SseStream stream = api.multiplexed("job=" + a.id() + "&job=" + b.id(), null)) {
            assertThat(stream.status()).isEqualTo(200);
            received = stream.readAllWithin(Duration.ofSeconds(60));
            assertThat(stream.retryMillis()).isEqualTo(2000L);
        }
        Map<String, List<SseEvent>> byJob = Vector.byJob(received);
        assertThat(byJob.get(a.id())).containsExactlyElementsOf(api.fullLog(a.id()));
        assertThat(byJob.get(b.id())).containsExactlyElementsOf(api.fullLog(b.id()));
        JobLogAssertions.assertConsistent(byJob.get(a.id()));
        // Each id is the vector of what was written so far: the event's own job at its seq, the other as before.
        long[] last = {0, 0};
        for (SseEvent e : received) {
            long[] vector = Vector.parse(e.id());
            int own = e.logged().jobId().equals(a.id()) ? 0 : 1;
            assertThat(vector[own]).isEqualTo(e.logged().seq());
            assertThat(vector[1 - own]).isEqualTo(last[1 - own]);
            last = vector;
        }
        assertThat(last).as("the last vector holds both jobs' last seq").containsExactly(api.job(a.id()).lastSeq(), api.job(b.id()).lastSeq());
    }

    @Test
    void theVectorInLastEventIdWinsOverTheUrlsResumePoints() throws Exception {
        Job a = api.createJob(Map.of("topic", "Resumed by vector"));
        Job b = api.createJob(Map.of("topic", "Resumed by vector, too"));
        List<SseEvent> fullA = api.fullLog(a.id());
        List<SseEvent> fullB = api.fullLog(b.id());
        try (SseStream stream = api.multiplexed("job=" + a.id() + ":1&job=" + b.id() + ":1", "3,5")) {
            Map<String, List<SseEvent>> byJob = Vector.byJob(stream.readAllWithin(Duration.ofSeconds(30)));
            assertThat(byJob.get(a.id())).containsExactlyElementsOf(fullA.subList(3, fullA.size()));
            assertThat(byJob.get(b.id())).containsExactlyElementsOf(fullB.subList(5, fullB.size()));
        }
        try (SseStream stream = api.multiplexed("job=" + a.id() + ":4&job=" + b.id(), null)) {
            Map<String, List<SseEvent>> byJob = Vector.byJob(stream.readAllWithin(Duration.ofSeconds(30)));
            assertThat(byJob.get(a.id())).as("job=ID:AFTER").containsExactlyElementsOf(fullA.subList(4, fullA.size()));
            assertThat(byJob.get(b.id())).as("job=ID from the start").containsExactlyElementsOf(fullB);
        }
    }

    @Test
    void anUnknownJobIsAnErrorEventOfItsOwnAndTheOtherJobsGoOn() throws Exception {
        Job a = api.createJob(Map.of("topic", "Next to a stranger"));
        String unknown = UUID.randomUUID().toString();
        List<SseEvent> received;
        try (SseStream stream = api.multiplexed("job=" + unknown + "&job=" + a.id(), null)) {
            assertThat(stream.status()).isEqualTo(200);
            received = stream.readAllWithin(Duration.ofSeconds(60));
        }
        List<SseEvent> errors = received.stream().filter(SseEvent::isError).toList();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.id()).as("an error moves no resume point").isNull();
            assertThat(Vector.jobOf(e)).isEqualTo(unknown);
            assertThat(e.data()).contains("\"code\":\"JOB_NOT_FOUND\"").contains("\"retryable\":false");
            assertThat(ApiContract.validate("JobStreamError", Json.read(e.data(), JsonNode.class))).as("as openapi.json says").isEmpty();
        });
        assertThat(Vector.byJob(received).get(a.id())).containsExactlyElementsOf(api.fullLog(a.id()));
        assertThat(Vector.parse(received.getLast().id())[0]).as("the unknown job stays at its point").isZero();
    }

    @Test
    void whenEveryJobHasEndedAtItsResumePointTheAnswerIsNoContent() throws Exception {
        Job a = api.createJob(Map.of("topic", "Done already"));
        Job b = api.createJob(Map.of("topic", "Done as well"));
        long lastA = api.fullLog(a.id()).getLast().seq();
        long lastB = api.fullLog(b.id()).getLast().seq();
        try (SseStream stream = api.multiplexed("job=" + a.id() + "&job=" + b.id(), lastA + "," + lastB)) {
            assertThat(stream.status()).isEqualTo(204);
        }
        try (SseStream stream = api.multiplexed("job=" + a.id() + ":" + lastA + "&job=" + b.id(), null)) {
            Map<String, List<SseEvent>> byJob = Vector.byJob(stream.readAllWithin(Duration.ofSeconds(30)));
            assertThat(byJob).as("a job at its terminal event contributes nothing").containsOnlyKeys(b.id());
        }
        try (SseStream stream = api.multiplexed("job=" + a.id() + ":" + (lastA + 1) + "&job=" + b.id() + ":" + lastB, null)) {
            List<SseEvent> received = stream.readAllWithin(Duration.ofSeconds(30));
            assertThat(received).singleElement().satisfies(e -> {
                assertThat(e.isError()).isTrue();
                assertThat(Vector.jobOf(e)).isEqualTo(a.id());
                assertThat(e.data()).contains("INVALID_LAST_EVENT_ID");
            });
        }
    }

    @Test
    void snapshotsApplyToEveryJobOfTheStreamAsOnThePerJobStream() throws Exception {
        Job a = api.createJob(Map.of("topic", "Compacted A", "length", "short"));
        Job b = api.createJob(Map.of("topic", "Compacted B", "length", "short"));
        api.fullLog(a.id());
        api.fullLog(b.id());
        // Retention as it will run two hours from now: both finished jobs are past --compact-after and lose their deltas.
        new Retention(node.database().jdbi(), node.database().dialect(), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)), node.store())
                .run(RetentionPolicy.defaults());
        for (boolean snapshots : List.of(true, false)) {
            String query = "job=" + a.id() + ":3&job=" + b.id() + ":2" + (snapshots ? "&snapshots=1" : "");
            Map<String, List<SseEvent>> byJob;
            try (SseStream stream = api.multiplexed(query, null)) {
                byJob = Vector.byJob(stream.readAllWithin(Duration.ofSeconds(30)));
            }
            try (SseStream perJob = api.events(a.id(), 3L, snapshots)) {
                assertThat(byJob.get(a.id())).as("job A, snapshots=%s", snapshots).containsExactlyElementsOf(perJob.readAll());
            }
            try (SseStream perJob = api.events(b.id(), 2L, snapshots)) {
                assertThat(byJob.get(b.id())).as("job B, snapshots=%s", snapshots).containsExactlyElementsOf(perJob.readAll());
            }
            if (snapshots) {
                assertThat(byJob.get(a.id()).getFirst().event()).as("a resume point inside the compacted range").isEqualTo("snapshot");
            } else {
                assertThat(byJob.get(a.id())).as("the deltas rebuilt").anyMatch(e -> e.event().equals("artifact.delta"));
            }
        }
    }

    @Test
    void malformedRequestsAreRefusedWithAProblem() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        assertRefused("job=" + a + "&job=" + b, "1", "INVALID_LAST_EVENT_ID");
        assertRefused("job=" + a + "&job=" + b, "1,2,3", "INVALID_LAST_EVENT_ID");
        assertRefused("job=" + a + "&job=" + b, "1,x", "INVALID_LAST_EVENT_ID");
        assertRefused("job=" + a + ":-1", null, "INVALID_LAST_EVENT_ID");
        assertRefused("job=" + a + ":1234567890123456789", null, "INVALID_LAST_EVENT_ID");
        assertRefused("job=not-a-job", null, "INVALID_JOB_ID");
        assertRefused("", null, "INVALID_JOB_ID");
        assertRefused("job=" + a + "&job=" + a + ":3", null, "TOO_MANY_JOBS");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : "&").append("job=").append(UUID.randomUUID());
        }
        assertRefused(many.toString(), null, "TOO_MANY_JOBS");
    }

    private void assertRefused(String query, String lastEventId, String code) {
        String[] headers = lastEventId == null ? new String[0] : new String[] {"Last-Event-ID", lastEventId};
        Api.Response answer = api.get("/api/events?" + query, headers);
        assertThat(answer.status()).as(query).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body()).contains(code);
    }
}
