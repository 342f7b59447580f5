package dev.contentgen.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.FaultyDataSource;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checking who calls needs the store too; while it is away that must not turn into answers a
 * browser cannot recover from (DESIGN.md: transient trouble on a stream is 200 + a retryable error).
 */
class AccessDuringOutageTest {
    @TempDir
    Path dir;

    @Test
    void aStreamOpenedWithAKeyWhileTheStoreIsDownGetsARetryableErrorNot503() throws Exception {
        AtomicReference<FaultyDataSource> faults = new AtomicReference<>();
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0).withAuth(AccessMode.Setting.KEYS))
                .dataSourceWrapper(real -> {
                    faults.set(new FaultyDataSource(real));
                    return faults.get();
                }).start()) {
            Api alice = new Api(TestNodes.uri(node)).withKey(Keys.create(node, "alice", false));
            Job job = alice.createJob("Through the outage");
            faults.get().down(true);
            try (SseStream stream = alice.events(job.id(), null)) {
                assertThat(stream.status()).isEqualTo(200);
                List<SseEvent> answer = stream.readAll();
                assertThat(answer).singleElement().satisfies(e -> {
                    assertThat(e.isError()).isTrue();
                    assertThat(e.data()).contains("STORE_UNAVAILABLE").contains("\"retryable\":true");
                });
                assertThat(stream.retryMillis()).isNotNull();
            }
            assertThat(alice.get("/api/jobs").status()).as("an API call says 503, retry shortly").isEqualTo(503);
            faults.get().down(false);
            try (SseStream stream = alice.events(job.id(), null)) {
                assertThat(stream.next().id()).isEqualTo("1");
            }
        }
    }

    @Test
    void localModeKeepsServingWhileTheStoreIsDown() {
        AtomicReference<FaultyDataSource> faults = new AtomicReference<>();
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0))
                .dataSourceWrapper(real -> {
                    faults.set(new FaultyDataSource(real));
                    return faults.get();
                }).start()) {
            Api api = new Api(TestNodes.uri(node));
            api.createJob("Before the outage");
            faults.get().down(true);
            assertThat(api.get("/").status()).as("the page").isEqualTo(200);
            assertThat(api.get("/healthz").status()).isEqualTo(200);
            assertThat(api.get("/metrics").status()).as("metrics need no store").isEqualTo(200);
        }
    }
}
