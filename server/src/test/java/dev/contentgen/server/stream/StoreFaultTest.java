package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.api.StreamError;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.FaultyDataSource;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.Scrape;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Guarantee 4: a database outage during a stream yields error events, and the stream resumes with nothing lost. */
@ParameterizedClass
@EnumSource(TestStore.class)
class StoreFaultTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    private Node start(ScriptedProvider provider, AtomicReference<FaultyDataSource> faults) {
        return new Node(store.config(dir)).provider(provider)
                .dataSourceWrapper(real -> {
                    faults.set(new FaultyDataSource(real));
                    return faults.get();
                })
                .start();
    }

    @Test
    void unreadableLogYieldsErrorEventsThenTheStreamCatchesUpAndCompletes() throws Exception {
        AtomicReference<FaultyDataSource> faults = new AtomicReference<>();
        ScriptedProvider provider = new ScriptedProvider().pace(Duration.ofMillis(2));
        try (Node node = start(provider, faults)) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Databases that blink"));
            // Failing before the stream opens: the node that writes the job's events hands them to its
            // feed without a read, so only a stream that must read the log (from its start) meets the fault.
            faults.get().failStatementsContaining("FROM job_events");
            try (SseStream stream = api.events(job.id(), null)) {
                List<SseEvent> received = new ArrayList<>();
                List<SseEvent> errors = new ArrayList<>();
                while (errors.size() < 2) {
                    SseEvent e = stream.next();
                    received.add(e);
                    if (e.isError()) {
                        errors.add(e);
                    }
                }
                faults.get().failStatementsContaining(null);
                received.addAll(stream.readAll());

                for (SseEvent error : errors) {
                    assertThat(error.id()).as("error events do not move the resume point").isNull();
                    StreamError body = Json.read(error.data(), StreamError.class);
                    assertThat(body.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
                    assertThat(body.retryable()).isTrue();
                }
                List<SseEvent> jobEvents = received.stream().filter(e -> !e.isError()).toList();
                assertThat(jobEvents).containsExactlyElementsOf(api.fullLog(job.id()));
                assertThat(JobLogAssertions.assertConsistent(jobEvents).terminal().status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(Scrape.of(api).sum("contentgen_streams_store_errors_total", "phase=\"streaming\""))
                        .as("each failed read of the open stream is counted").isGreaterThanOrEqualTo(errors.size());
            }
        }
    }

    @Test
    void databaseDownMidJobPausesWorkerAndStreamsThenEverythingCarriesOn() throws Exception {
        AtomicReference<FaultyDataSource> faults = new AtomicReference<>();
        ScriptedProvider provider = new ScriptedProvider();
        CountDownLatch gate = provider.gateAt("section", 5);
        try (Node node = start(provider, faults)) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Outages mid-article"));
            try (SseStream stream = api.events(job.id(), null)) {
                List<SseEvent> received = new ArrayList<>(stream.readUntil(e -> e.event().equals("artifact.created")
                        && e.data().contains("\"section\"")));
                faults.get().down(true);
                gate.countDown();
                // Within a second of the first stream's opening, a new one may be served the head that opening read,
                // without the store (JobFeed.head): it would open live and wait out the outage. Past that it must read.
                Thread.sleep(Duration.ofNanos(JobFeed.HEAD_REUSE_NANOS).plusMillis(100));
                try (SseStream opened = api.events(job.id(), received.getLast().seq())) {
                    List<SseEvent> answer = opened.readAll();
                    assertThat(opened.status()).as("transient trouble keeps EventSource alive").isEqualTo(200);
                    assertThat(answer).singleElement().satisfies(e -> {
                        assertThat(e.isError()).isTrue();
                        assertThat(Json.read(e.data(), StreamError.class).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
                    });
                }
                Thread.sleep(1500);
                faults.get().down(false);
                Scrape scrape = Scrape.of(api);
                assertThat(scrape.sum("contentgen_streams_store_errors_total", "phase=\"opening\"")).isGreaterThanOrEqualTo(1);
                assertThat(scrape.sum("contentgen_streams_not_opened_total", "reason=\"store_unavailable\"")).isGreaterThanOrEqualTo(1);
                received.addAll(stream.readAll());

                // The open stream may have been told STORE_UNAVAILABLE (if it tried to read during the outage);
                // its job events are the whole log, once each.
                assertThat(received).filteredOn(SseEvent::isError).allSatisfy(e ->
                        assertThat(Json.read(e.data(), StreamError.class).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
                List<SseEvent> jobEvents = received.stream().filter(e -> !e.isError()).toList();
                assertThat(jobEvents).containsExactlyElementsOf(api.fullLog(job.id()));
                assertThat(JobLogAssertions.assertConsistent(jobEvents).terminal().status()).isEqualTo(JobStatus.COMPLETED);
            }
        }
    }
}
