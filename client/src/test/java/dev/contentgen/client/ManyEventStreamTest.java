package dev.contentgen.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.client.testing.FaultyProxy;
import dev.contentgen.client.testing.RecordingListener;
import dev.contentgen.client.testing.TestClients;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several jobs on one connection through the SDK ({@code jobs().followAll}): each job's log once, in order, through cuts. */
class ManyEventStreamTest {
    @TempDir
    Path dir;

    @Test
    void everyJobsWholeLogOnceInOrderOnOneStreamThatEndsAfterTheLastTerminalStatus() throws Exception {
        try (Node node = new Node(TestNodes.config(dir)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            Api api = new Api(TestNodes.uri(node));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(client.jobs().create(JobRequest.of("Followed together " + i)).id());
            }
            Map<String, List<LoggedEvent>> received = new LinkedHashMap<>();
            try (ManyEventStream events = client.jobs().followAll(ids)) {
                events.forEach(e -> received.computeIfAbsent(e.jobId(), k -> new ArrayList<>()).add(e));
                assertThat(events.jobFailures()).isEmpty();
                for (String id : ids) {
                    assertThat(events.lastSeqs().get(id)).isEqualTo(received.get(id).getLast().seq());
                }
            }
            for (String id : ids) {
                assertThat(TestClients.asSse(received.get(id))).containsExactlyElementsOf(api.fullLog(id));
                assertThat(JobLogAssertions.assertConsistent(TestClients.asSse(received.get(id))).terminal().status())
                        .isEqualTo(JobStatus.COMPLETED);
            }
        }
    }

    @Test
    void anUnknownJobLeavesWithItsOwnFailureAndTheOthersGoOn() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (Node node = new Node(TestNodes.config(dir)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node), listener, 5)) {
            Api api = new Api(TestNodes.uri(node));
            Job job = client.jobs().create(JobRequest.of("Next to a stranger"));
            String unknown = UUID.randomUUID().toString();
            List<LoggedEvent> received = new ArrayList<>();
            try (ManyEventStream events = client.jobs().followAll(List.of(unknown, job.id()))) {
                events.forEach(received::add);
                assertThat(events.jobFailures()).containsOnlyKeys(unknown);
                assertThat(events.jobFailures().get(unknown).code()).isEqualTo(ErrorCode.JOB_NOT_FOUND);
            }
            assertThat(TestClients.asSse(received)).containsExactlyElementsOf(api.fullLog(job.id()));
        }
    }

    @Test
    void resumingFromLastSeqsYieldsExactlyTheRest() throws Exception {
        try (Node node = new Node(TestNodes.config(dir)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            Api api = new Api(TestNodes.uri(node));
            Job a = client.jobs().create(JobRequest.of("Resumed A"));
            Job b = client.jobs().create(JobRequest.of("Resumed B"));
            var fullA = api.fullLog(a.id());
            var fullB = api.fullLog(b.id());
            Map<String, Long> after = new LinkedHashMap<>();
            after.put(a.id(), 4L);
            after.put(b.id(), (long) fullB.size());
            List<LoggedEvent> rest = new ArrayList<>();
            try (ManyEventStream events = client.jobs().followAll(after)) {
                events.forEach(rest::add);
            }
            assertThat(TestClients.asSse(rest)).as("B had ended at its point, so only A's rest")
                    .containsExactlyElementsOf(fullA.subList(4, fullA.size()));
        }
    }

    @Test
    void everyJobsEventsExactlyOnceThroughRandomCuts() throws Exception {
        ScriptedProvider provider = new ScriptedProvider().pace(Duration.ofMillis(1));
        try (Node node = new Node(TestClients.quickRetryConfig(dir).withWorkers(4)).provider(provider).start();
             FaultyProxy proxy = new FaultyProxy(node.port());
             ContentGenClient client = ContentGenClient.builder().baseUrl(proxy.uri())
                     .retry(new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(40), 5)).build()) {
            Api api = new Api(TestNodes.uri(node));
            proxy.cutResponsesRandomly(new Random(18), 1, 3_000);
            for (int round = 0; round < 10 && proxy.cuts() < 60; round++) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    ids.add(api.createJob(Map.of("topic", "Cut together " + round + "." + i, "length", "short")).id());
                }
                Map<String, List<LoggedEvent>> received = new LinkedHashMap<>();
                try (ManyEventStream events = client.jobs().followAll(ids)) {
                    events.forEach(e -> received.computeIfAbsent(e.jobId(), k -> new ArrayList<>()).add(e));
                }
                for (String id : ids) {
                    assertThat(TestClients.asSse(received.get(id))).as("job %s, round %d", id, round)
                            .containsExactlyElementsOf(api.fullLog(id));
                }
            }
            assertThat(proxy.cuts()).as("connections cut over %d connections", proxy.connections()).isGreaterThanOrEqualTo(60);
        }
    }
}
