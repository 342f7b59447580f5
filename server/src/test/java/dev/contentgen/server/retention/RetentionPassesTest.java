package dev.contentgen.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.server.Node;
import dev.contentgen.server.config.RetentionPolicy;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.LogCapture;
import dev.contentgen.server.testing.SettableClock;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A node's retention passes are observable: one log line per pass and counters in /metrics. */
@ParameterizedClass
@EnumSource(TestStore.class)
class RetentionPassesTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    @Test
    void eachPassLogsOneLineAndCountsWhatItDid() throws Exception {
        // The loop itself too slow to run during the test: the test runs the passes.
        RetentionPolicy policy = RetentionPolicy.defaults().withInterval(Duration.ofHours(1));
        SettableClock clock = new SettableClock();
        try (Node node = new Node(store.config(dir).withRetention(policy)).clock(clock).start(); LogCapture logs = new LogCapture()) {
            Api api = new Api(TestNodes.uri(node));
            var job = api.createJob(Map.of("topic", "Counted", "length", "short"));
            long deltas = api.fullLog(job.id()).stream().filter(e -> e.event().equals("artifact.delta")).count();
            clock.advance(Duration.ofHours(2));

            assertThat(node.retention().runOnce().compacted()).isEqualTo(1);
            assertThat(node.retention().runOnce().compacted()).isZero();

            assertThat(logs.lines().stream().filter(l -> l.contains("retention pass: ")))
                    .hasSize(2)
                    .first().asString().contains("compacted=1", "eventsDropped=" + deltas);
            String metrics = api.get("/metrics").body();
            assertThat(metrics).contains("contentgen_retention_jobs_compacted_total 1.0",
                    "contentgen_retention_events_dropped_total " + deltas + ".0", "contentgen_retention_pass_seconds_count 2");
        }
    }
}
