package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Scrape;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream's life on /metrics (README, "Metrics"): opened, ended by reason, reconnects, replayed and live events, lag. */
class StreamLifeTest {
    @TempDir
    Path dir;

    @Test
    void streamsAreCountedAsTheyOpenAndEndByReason() throws Exception {
        // A paced generator, so that a stream opened right after the job's creation receives most events live.
        try (Node node = new Node(TestNodes.config(dir).withWorkers(1).withTokensPerSecond(400)).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Counted streams", "length", "short"));
            List<SseEvent> events;
            try (SseStream stream = api.events(job.id(), null)) {
                events = stream.readAll();
            }
            long lastSeq = events.getLast().seq();
            Scrape first = await(api, s -> s.sum("contentgen_streams_ended_total", "reason=\"job_completed\"") == 1);
            assertThat(first.sum("contentgen_streams_opened_total")).isEqualTo(1);
            assertThat(first.sum("contentgen_streams_reconnects_total")).isZero();
            double replayed = first.sum("contentgen_streams_events_total", "kind=\"replayed\"");
            double live = first.sum("contentgen_streams_events_total", "kind=\"live\"");
            assertThat(replayed).as("the events in the log when the stream opened").isGreaterThanOrEqualTo(1);
            assertThat(live).as("the events appended while it was open").isPositive();
            assertThat(replayed + live).isEqualTo(events.size());
            assertThat(first.sum("contentgen_streams_delivery_lag_seconds_count")).as("one lag sample per live event").isEqualTo(live);
            assertThat(first.text()).contains("contentgen_streams_delivery_lag_seconds_bucket{le=\"0.1\"}");

            // A reconnect from seq 2 replays the rest of the finished job.
            try (SseStream stream = api.events(job.id(), 2L)) {
                assertThat(stream.readAll()).hasSize((int) lastSeq - 2);
            }
            Scrape second = await(api, s -> s.sum("contentgen_streams_ended_total", "reason=\"job_completed\"") == 2);
            assertThat(second.sum("contentgen_streams_reconnects_total")).isEqualTo(1);
            assertThat(second.sum("contentgen_streams_events_total", "kind=\"replayed\"")).isEqualTo(replayed + lastSeq - 2);
            assertThat(second.sum("contentgen_streams_events_total", "kind=\"live\"")).isEqualTo(live);

            // At the terminal event there is nothing to stream: 204, counted as not opened.
            try (SseStream stream = api.events(job.id(), lastSeq)) {
                assertThat(stream.status()).isEqualTo(204);
            }
            assertThat(Scrape.of(api).sum("contentgen_streams_not_opened_total", "reason=\"already_complete\"")).isEqualTo(1);

            // A client that leaves while the job runs: seen at the next write, counted as client_closed.
            Job running = api.createJob(Map.of("topic", "Left early", "length", "long"));
            try (SseStream stream = api.events(running.id(), null)) {
                stream.next();
            }
            Scrape third = await(api, s -> s.sum("contentgen_streams_ended_total", "reason=\"client_closed\"") == 1);
            assertThat(third.sum("contentgen_streams_opened_total")).isEqualTo(3);
            assertThat(third.sum("contentgen_streams_write_timeouts_total")).isZero();
            assertThat(third.sum("contentgen_streams_open")).isZero();
        }
    }

    @Test
    void requestsAndThePoolAreMeasuredByTheirLibraries() throws Exception {
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0)).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob("Measured requests");
            api.get("/api/jobs/" + job.id());
            Scrape scrape = Scrape.of(api);
            assertThat(scrape.sum("jetty_server_requests_seconds_count", "uri=\"/api/jobs/{id}\"")).isEqualTo(1);
            assertThat(scrape.sum("jetty_server_requests_seconds_count", "status=\"201\",uri=\"/api/jobs\"")).isEqualTo(1);
            assertThat(scrape.text()).as("no job id becomes a label value").doesNotContain(job.id());
            assertThat(scrape.sum("jetty_connections_max_connections")).isPositive();
            assertThat(scrape.text()).contains("hikaricp_connections_active{pool=\"contentgen-sqlite\"}")
                    .doesNotContain("contentgen_db_connections_active");
        }
    }

    /** Scrapes until {@code done} holds: the end of a stream is counted just after its client saw it. */
    private static Scrape await(Api api, Predicate<Scrape> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Scrape scrape = Scrape.of(api);
        while (!done.test(scrape) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            scrape = Scrape.of(api);
        }
        assertThat(done).as("metrics never reached the expected state:\n%s", scrape.text()).accepts(scrape);
        return scrape;
    }
}
