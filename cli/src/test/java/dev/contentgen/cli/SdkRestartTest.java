package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.client.ClientListener;
import dev.contentgen.client.ContentGenClient;
import dev.contentgen.client.EventStream;
import dev.contentgen.client.Failure;
import dev.contentgen.client.RetryPolicy;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.SseEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's stream survives a deploy: the node drains on SIGTERM, comes back on the same port, and the iteration just goes on. */
class SdkRestartTest {
    @TempDir
    Path dir;

    @Test
    void anIterationOutlivesANodeRestartOnTheSamePortAndSeesEveryEventOnce() throws Exception {
        int port = NodeProcess.freePort();
        List<Failure> retryCauses = new CopyOnWriteArrayList<>();
        List<Failure.ErrorEvent> errorEvents = new CopyOnWriteArrayList<>();
        ClientListener listener = new ClientListener() {
            @Override
            public void onRetrying(Retrying retrying) {
                retryCauses.add(retrying.cause());
            }

            @Override
            public void onErrorEvent(String jobId, Failure.ErrorEvent error) {
                errorEvents.add(error);
            }
        };
        AtomicReference<NodeProcess> node = new AtomicReference<>(NodeProcess.startOnPort(dir, port, "--tokens-per-second", "100"));
        Thread restarter = null;
        List<LoggedEvent> received = new ArrayList<>();
        // While the node is down the client meets refused connections: allow enough attempts for a JVM to start.
        try (ContentGenClient client = ContentGenClient.builder().baseUrl(node.get().uri())
                .retry(new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(500), 100))
                .idleTimeout(Duration.ofSeconds(5)).listener(listener).build()) {
            Job job = client.jobs().create(JobRequest.of("Deploys without tears"));
            try (EventStream events = client.jobs().events(job.id())) {
                for (LoggedEvent event : events) {
                    received.add(event);
                    if (restarter == null && event.event() instanceof JobEvent.ArtifactCreated c && c.kind().equals("section")) {
                        // A virtual thread: blocking a common-pool thread here would starve java.net.http's own async stages.
                        restarter = Thread.ofVirtual().start(() -> {
                            try {
                                node.get().terminate();
                                // Back only once the client has found the node gone, so the test sees both causes every time.
                                awaitUntil(() -> retryCauses.stream().anyMatch(f -> f instanceof Failure.ServerUnreachable));
                                node.set(NodeProcess.startOnPort(dir, port, "--tokens-per-second", "0"));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                    }
                }
            }
            restarter.join();

            Api api = new Api(node.get().uri());
            List<SseEvent> full = api.fullLog(job.id());
            assertThat(received).as("one log, each event once, in order")
                    .containsExactlyElementsOf(full.stream().map(SseEvent::logged).toList());
            var log = JobLogAssertions.assertConsistent(full);
            assertThat(log.terminal().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(errorEvents).isNotEmpty().allMatch(e -> e.code() == ErrorCode.SERVER_SHUTTING_DOWN && e.retryable());
            assertThat(retryCauses.getFirst()).as("the draining node's goodbye is the first reason to reconnect")
                    .isEqualTo(errorEvents.getFirst());
            assertThat(retryCauses).as("then it found the node down for a while").anyMatch(f -> f instanceof Failure.ServerUnreachable);
            assertThat(Json.write(client.jobs().get(job.id()).status())).isEqualTo("\"completed\"");
        } finally {
            node.get().close();
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out waiting for the client to find the node down");
            }
            Thread.sleep(20);
        }
    }
}
