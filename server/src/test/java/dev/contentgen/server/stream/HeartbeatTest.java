package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Guarantee 3: a stream that stays open without events still receives a heartbeat every interval. */
@ParameterizedClass
@EnumSource(TestStore.class)
class HeartbeatTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    @Test
    void aSilentStepLongerThanTheIntervalYieldsKeepalives() throws Exception {
        var provider = new ScriptedProvider().silentBefore("outline", Duration.ofMillis(2500));
        try (Node node = new Node(store.config(dir).withHeartbeat(Duration.ofMillis(300))).provider(provider).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Quiet models", "length", "short"));
            try (SseStream stream = api.events(job.id(), null)) {
                List<SseEvent> events = new ArrayList<>(stream.readUntil(e -> e.event().equals("artifact.delta")));
                int keepalivesDuringSilence = stream.comments().size();
                events.addAll(stream.readAll());

                // 2.5 s of silence at a 300 ms interval: about 8 keepalives; a stream without heartbeats has none.
                assertThat(keepalivesDuringSilence).isGreaterThanOrEqualTo(4);
                assertThat(stream.comments()).allMatch(c -> c.equals("keepalive"));
                assertThat(JobLogAssertions.assertConsistent(events).terminal().status()).isEqualTo(JobStatus.COMPLETED);
            }
        }
    }
}
