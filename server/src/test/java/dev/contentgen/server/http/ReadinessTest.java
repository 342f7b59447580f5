package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.FaultyDataSource;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** README, "Health and readiness": /healthz says the process lives, /readyz says whether to send it traffic. */
@ParameterizedClass
@EnumSource(TestStore.class)
class ReadinessTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    @Test
    void aNodeThatCanWorkIsReady() {
        try (Node node = new Node(store.config(dir)).start()) {
            Api api = new Api(TestNodes.uri(node));
            Api.Response ready = awaitReadyz(api, r -> r.status() == 200);
            assertThat(ready.contentType()).startsWith("application/json");
            assertThat(ready.body()).contains("\"status\":\"ready\"", "\"store\":\"ok\"", "\"notifier\":\"ok\"");
        }
    }

    @Test
    void aNodeWhoseDatabaseIsDownIsNotReadyButAlive() {
        AtomicReference<FaultyDataSource> faults = new AtomicReference<>();
        try (Node node = new Node(store.config(dir)).dataSourceWrapper(real -> {
            faults.set(new FaultyDataSource(real));
            return faults.get();
        }).start()) {
            Api api = new Api(TestNodes.uri(node));
            awaitReadyz(api, r -> r.status() == 200);
            faults.get().down(true);

            Api.Response down = api.get("/readyz");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.body()).contains("\"status\":\"not_ready\"", "store");
            assertThat(api.get("/healthz").status()).as("liveness is not readiness").isEqualTo(200);

            faults.get().down(false);
            awaitReadyz(api, r -> r.status() == 200);
        }
    }

    @Test
    void aDrainingNodeIsNotReady() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        // The job holds the drain open: its step waits at the gate, so the node stays up while it drains.
        CountDownLatch gate = provider.gateAt("outline", 3);
        Node node = new Node(store.config(dir)).provider(provider).start();
        Thread closing = null;
        try {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob(Map.of("topic", "Drain me"));
            assertThat(provider.awaitGateReached(Duration.ofSeconds(30))).isTrue();
            awaitReadyz(api, r -> r.status() == 200);

            closing = Thread.ofVirtual().start(node::close);
            Api.Response draining = awaitReadyz(api, r -> r.status() == 503);
            assertThat(draining.body()).contains("\"status\":\"not_ready\"", "draining");
            assertThat(job.id()).isNotBlank();
        } finally {
            gate.countDown();
            if (closing == null) {
                node.close();
            } else {
                closing.join();
            }
        }
    }

    /** Polls /readyz until its answer matches; fails after a generous deadline. */
    private static Api.Response awaitReadyz(Api api, Predicate<Api.Response> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Api.Response last;
        do {
            last = api.get("/readyz");
            if (wanted.test(last)) {
                return last;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("/readyz never answered as expected; last: " + last);
    }
}
