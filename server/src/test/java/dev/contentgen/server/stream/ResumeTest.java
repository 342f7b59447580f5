package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Guarantee 1: a subscriber that reconnects with the last id it saw receives every later event exactly once, in order. */
@ParameterizedClass
@EnumSource(TestStore.class)
class ResumeTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;
    Node node;
    Api api;

    @BeforeEach
    void start() {
        // Slow enough that the job is still running while the client cuts and reconnects.
        node = new Node(store.config(dir).withTokensPerSecond(1500)).start();
        api = new Api(TestNodes.uri(node));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void reconnectingWithLastIdYieldsExactlyTheRestWhileTheJobRuns() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 3; round++) {
            Job job = api.createJob(Map.of("topic", "Resuming streams, round " + round));
            List<SseEvent> received = new ArrayList<>();
            Long lastId = null;
            int connections = 0;
            boolean ended = false;
            while (!ended) {
                connections++;
                try (SseStream stream = api.events(job.id(), lastId)) {
                    int cutAfter = 1 + random.nextInt(12);
                    int read = 0;
                    SseEvent e;
                    while (read < cutAfter && (e = stream.next()) != null) {
                        received.add(e);
                        lastId = e.seq();
                        read++;
                    }
                    // Fewer events than asked for means the server ended the stream after the terminal status.
                    ended = read < cutAfter;
                }
            }
            List<SseEvent> full = api.fullLog(job.id());
            assertThat(received).as("round %d over %d connections", round, connections).containsExactlyElementsOf(full);
            JobLogAssertions.assertConsistent(received);
            assertThat(connections).isGreaterThan(5);
        }
    }

    @Test
    void reconnectingAtAnyPointOfAFinishedJobYieldsExactlyTheRest() throws Exception {
        Job job = api.createJob(Map.of("topic", "Replay after the end", "length", "long"));
        List<SseEvent> full = api.fullLog(job.id());
        JobLogAssertions.assertConsistent(full);
        Random random = new Random(7);
        for (int i = 0; i < 25; i++) {
            int k = random.nextInt(full.size());
            try (SseStream stream = api.events(job.id(), (long) k)) {
                assertThat(stream.readAll()).as("resume after %d", k).containsExactlyElementsOf(full.subList(k, full.size()));
            }
        }
    }

    @Test
    void afterTheTerminalEventTheServerAnswersNoContent() throws Exception {
        Job job = api.createJob(Map.of("topic", "Nothing more to say"));
        List<SseEvent> full = api.fullLog(job.id());
        long last = full.getLast().seq();
        try (SseStream stream = api.events(job.id(), last)) {
            assertThat(stream.status()).as("204 stops a browser's EventSource").isEqualTo(204);
        }
        try (SseStream stream = api.events(job.id(), last + 1)) {
            assertThat(stream.status()).as("an id beyond a finished log").isEqualTo(400);
        }
    }

    @Test
    void afterQueryParameterWorksAndTheHeaderWinsOverIt() throws Exception {
        Job job = api.createJob(Map.of("topic", "Header or query"));
        List<SseEvent> full = api.fullLog(job.id());
        var viaQuery = java.net.http.HttpRequest.newBuilder(api.base().resolve("/api/jobs/" + job.id() + "/events?after=3")).build();
        try (SseStream stream = api.open(viaQuery)) {
            assertThat(stream.readAll()).containsExactlyElementsOf(full.subList(3, full.size()));
        }
        var both = java.net.http.HttpRequest.newBuilder(api.base().resolve("/api/jobs/" + job.id() + "/events?after=3"))
                .header("Last-Event-ID", "5").build();
        try (SseStream stream = api.open(both)) {
            assertThat(stream.readAll()).containsExactlyElementsOf(full.subList(5, full.size()));
        }
    }
}
