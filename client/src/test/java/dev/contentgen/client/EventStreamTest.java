package dev.contentgen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.client.testing.RecordingListener;
import dev.contentgen.client.testing.TestClients;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job's events through the SDK: the server's whole log, once each, in order, ending after the terminal status. */
class EventStreamTest {
    @TempDir
    Path dir;
    Node node;
    Api api;
    ContentGenClient client;

    @BeforeEach
    void start() {
        node = new Node(TestNodes.config(dir)).start();
        api = new Api(TestNodes.uri(node));
        client = TestClients.client(TestNodes.uri(node));
    }

    @AfterEach
    void stop() {
        client.close();
        node.close();
    }

    @Test
    void iterationYieldsTheServersWholeLogOnceInOrderAndEndsAfterTheTerminalStatus() throws Exception {
        Job job = client.jobs().create(JobRequest.of("Why SSE streams die"));
        List<LoggedEvent> received = new ArrayList<>();
        try (EventStream events = client.jobs().events(job.id())) {
            events.forEach(received::add);
            assertThat(events.lastSeq()).isEqualTo(received.getLast().seq());
        }
        assertThat(TestClients.asSse(received)).containsExactlyElementsOf(api.fullLog(job.id()));
        var log = JobLogAssertions.assertConsistent(TestClients.asSse(received));
        assertThat(log.terminal().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(received.getLast().isTerminal()).isTrue();
    }

    @Test
    void aStreamOpenedAfterASeqYieldsExactlyTheRest() throws Exception {
        Job job = client.jobs().create(JobRequest.of("Resuming"));
        List<LoggedEvent> all = new ArrayList<>();
        client.jobs().events(job.id()).forEach(all::add);

        List<LoggedEvent> rest = new ArrayList<>();
        try (EventStream events = client.jobs().events(job.id(), 10)) {
            events.forEach(rest::add);
        }
        assertThat(rest).containsExactlyElementsOf(all.subList(10, all.size()));
    }

    @Test
    void afterTheTerminalEventTheStreamIsEmpty() {
        Job job = client.jobs().create(JobRequest.of("Done already"));
        List<LoggedEvent> all = new ArrayList<>();
        client.jobs().events(job.id()).forEach(all::add);

        try (EventStream events = client.jobs().events(job.id(), all.getLast().seq())) {
            assertThat(events.iterator().hasNext()).as("204: nothing more").isFalse();
        }
    }

    @Test
    void theJobEventViewSwitchesOverTheSealedTypes() {
        Job job = client.jobs().create(JobRequest.of("Typed"));
        StringBuilder article = new StringBuilder();
        JobStatus last = null;
        try (EventStream events = client.jobs().events(job.id())) {
            for (JobEvent event : events.jobEvents()) {
                switch (event) {
                    case JobEvent.Status s -> last = s.status();
                    case JobEvent.ArtifactCompleted c when c.kind().equals("article") -> article.append(c.content());
                    default -> { }
                }
            }
        }
        assertThat(last).isEqualTo(JobStatus.COMPLETED);
        assertThat(article.toString()).isEqualTo(client.jobs().get(job.id()).artifacts().getLast().content());
    }

    @Test
    void thePublisherDeliversTheSameEventsOnlyAsFastAsRequested() throws Exception {
        Job job = client.jobs().create(JobRequest.of("Reactive"));
        List<LoggedEvent> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.jobs().publisher(job.id(), 0).subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(LoggedEvent event) {
                received.add(event);
                subscription.request(1);
            }

            @Override
            public void onError(Throwable e) {
                done.completeExceptionally(e);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.get();
        assertThat(TestClients.asSse(received)).containsExactlyElementsOf(api.fullLog(job.id()));
    }

    @Test
    void closingFromAnotherThreadEndsAWaitingIteration() throws Exception {
        node.close();
        node = new Node(TestNodes.config(dir).withWorkers(0)).start();
        client.close();
        client = TestClients.client(TestNodes.uri(node));
        Job job = client.jobs().create(JobRequest.of("Never runs"));
        List<LoggedEvent> received = new CopyOnWriteArrayList<>();
        try (EventStream events = client.jobs().events(job.id())) {
            Thread reader = Thread.ofVirtual().start(() -> events.forEach(received::add));
            RecordingListener.await(() -> received.size() == 1, Duration.ofSeconds(10), "the pending status");
            events.close();
            reader.join(10_000);
            assertThat(reader.isAlive()).isFalse();
        }
        assertThat(received).hasSize(1);
    }

    @Test
    void closingTheClientEndsItsOpenStreams() throws Exception {
        node.close();
        node = new Node(TestNodes.config(dir).withWorkers(0)).start();
        client.close();
        client = TestClients.client(TestNodes.uri(node));
        Job job = client.jobs().create(JobRequest.of("Never runs either"));
        List<LoggedEvent> received = new CopyOnWriteArrayList<>();
        EventStream events = client.jobs().events(job.id());
        Thread reader = Thread.ofVirtual().start(() -> events.forEach(received::add));
        RecordingListener.await(() -> received.size() == 1, Duration.ofSeconds(10), "the pending status");

        client.close();
        reader.join(10_000);
        assertThat(reader.isAlive()).isFalse();
    }

    @Test
    void anUnknownJobsStreamFailsWithJobNotFound() {
        String id = "01900000-0000-7000-8000-000000000000";
        try (EventStream events = client.jobs().events(id)) {
            ContentGenException e = catchThrowableOfType(ContentGenException.class, () -> events.iterator().hasNext());
            assertThat(e.failure()).isInstanceOf(Failure.JobNotFound.class);
            assertThat(e.getMessage()).contains(id);
        }
    }
}
