package dev.contentgen.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Format;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Length;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.api.Tone;
import dev.contentgen.client.testing.FaultyProxy;
import dev.contentgen.client.testing.RecordingListener;
import dev.contentgen.client.testing.TestClients;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.FaultyDataSource;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's resume guarantee under faults between it and the server: connections cut at random
 * points, a connection that goes silent without closing, and error events from the server.
 * Whatever happens on the way, the caller sees the server's log exactly once, in order.
 */
class ResumeThroughFaultsTest {
    @TempDir
    Path dir;

    @Test
    void everyEventExactlyOnceInOrderOverHundredsOfRandomCuts() throws Exception {
        // The generator paces tokens, so the first passes cut live streams and later ones cut replays.
        ScriptedProvider provider = new ScriptedProvider().pace(Duration.ofMillis(1));
        try (Node node = new Node(TestClients.quickRetryConfig(dir)).provider(provider).start();
             FaultyProxy proxy = new FaultyProxy(node.port());
             ContentGenClient client = ContentGenClient.builder().baseUrl(proxy.uri())
                     .retry(new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(40), 5)).build()) {
            Api api = new Api(TestNodes.uri(node));
            proxy.cutResponsesRandomly(new Random(42), 1, 3_000);
            // Rounds of concurrent jobs until the proxy has cut enough connections; each job checked on its own.
            for (int round = 0; round < 30 && proxy.cuts() < 250; round++) {
                List<Job> jobs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    jobs.add(api.createJob(java.util.Map.of("topic", "Cut " + round + "." + i, "length", "short")));
                }
                List<Future<List<LoggedEvent>>> reads = new ArrayList<>();
                try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (Job job : jobs) {
                        reads.add(threads.submit(() -> {
                            List<LoggedEvent> received = new ArrayList<>();
                            try (EventStream events = client.jobs().events(job.id())) {
                                events.forEach(received::add);
                            }
                            return received;
                        }));
                    }
                }
                for (int i = 0; i < jobs.size(); i++) {
                    List<LoggedEvent> received = reads.get(i).get();
                    assertThat(TestClients.asSse(received)).as("job %s", jobs.get(i).topic())
                            .containsExactlyElementsOf(api.fullLog(jobs.get(i).id()));
                    assertThat(JobLogAssertions.assertConsistent(TestClients.asSse(received)).terminal().status())
                            .isEqualTo(JobStatus.COMPLETED);
                }
            }
            assertThat(proxy.cuts()).as("connections cut over %d connections", proxy.connections()).isGreaterThanOrEqualTo(250);
        }
    }

    @Test
    void aConnectionThatGoesSilentWithoutClosingIsDetectedAndReplaced() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch gate = provider.gateAt("section", 5);
        RecordingListener listener = new RecordingListener();
        try (Node node = new Node(TestClients.quickRetryConfig(dir)).provider(provider).start();
             FaultyProxy proxy = new FaultyProxy(node.port());
             ContentGenClient client = ContentGenClient.builder().baseUrl(proxy.uri())
                     .retry(new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(200), 5))
                     .idleTimeout(Duration.ofMillis(2_500)) // the node's heartbeat is 1 s
                     .listener(listener).build()) {
            Job job = client.jobs().create(JobRequest.of("Silence"));
            List<LoggedEvent> received = new CopyOnWriteArrayList<>();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (EventStream events = client.jobs().events(job.id())) {
                    events.forEach(received::add);
                } catch (Throwable e) {
                    failed.set(e);
                }
            });
            RecordingListener.await(() -> received.stream().anyMatch(e -> e.event() instanceof dev.contentgen.api.JobEvent.ArtifactDelta),
                    Duration.ofSeconds(20), "the first delta");
            proxy.freezeOpenConnections();
            listener.awaitRetry(f -> f instanceof Failure.TimedOut, Duration.ofSeconds(20));
            gate.countDown();
            reader.join(30_000);

            assertThat(failed.get()).isNull();
            assertThat(TestClients.asSse(received)).containsExactlyElementsOf(new Api(TestNodes.uri(node)).fullLog(job.id()));
            assertThat(listener.connections).as("the replacement resumed where the frozen one stopped").hasSizeGreaterThanOrEqualTo(2);
            assertThat(listener.connections.get(1)).isGreaterThan(0L);
        }
    }

    @Test
    void errorEventsFromTheServerReachTheListenerAndTheStreamCarriesOn() throws Exception {
        AtomicReference<FaultyDataSource> faults = new AtomicReference<>();
        List<Failure.ErrorEvent> errorEvents = new CopyOnWriteArrayList<>();
        // The database comes back after the second error event the client has seen.
        ClientListener listener = new ClientListener() {
            @Override
            public void onErrorEvent(String jobId, Failure.ErrorEvent error) {
                if (errorEvents.add(error) && errorEvents.size() == 2) {
                    faults.get().failStatementsContaining(null);
                }
            }
        };
        ScriptedProvider provider = new ScriptedProvider().pace(Duration.ofMillis(2));
        try (Node node = new Node(TestClients.quickRetryConfig(dir)).provider(provider).dataSourceWrapper(real -> {
                    faults.set(new FaultyDataSource(real));
                    return faults.get();
                }).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node), listener, 5)) {
            Job job = client.jobs().create(new JobRequest("Blinking database", Format.ARTICLE, Tone.NEUTRAL, Length.SHORT));
            List<LoggedEvent> received = new ArrayList<>();
            // Failing before the stream opens: the node that writes the job's events hands them to its
            // feed without a read, so only a stream that must read the log (from its start) meets the fault.
            faults.get().failStatementsContaining("FROM job_events");
            try (EventStream events = client.jobs().events(job.id())) {
                for (LoggedEvent event : events) {
                    received.add(event);
                }
            }
            assertThat(errorEvents).hasSizeGreaterThanOrEqualTo(2).allSatisfy(e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
                assertThat(e.retryable()).isTrue();
            });
            assertThat(TestClients.asSse(received)).containsExactlyElementsOf(new Api(TestNodes.uri(node)).fullLog(job.id()));
        }
    }
}
