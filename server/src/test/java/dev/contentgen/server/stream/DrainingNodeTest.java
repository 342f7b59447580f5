package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A node that stops says SERVER_SHUTTING_DOWN on every stream and ends each response cleanly before its HTTP server
 * stops: a client reads the end of the body, never a connection cut under it.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class DrainingNodeTest {
    private static final int JOBS = 30;

    @Parameter
    TestStore store;
    @TempDir
    Path dir;

    @Test
    void everyStreamOfAStoppingNodeEndsWithItsMessageAndAWholeResponse() throws Exception {
        List<SseStream> streams = new ArrayList<>();
        try (Node node = new Node(store.config(dir).withWorkers(0)).start()) {
            Api api = new Api(TestNodes.uri(node));
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                jobs.add(api.createJob("Waits for the node to stop, " + i));
            }
            for (Job job : jobs) {
                SseStream stream = api.events(job.id(), null);
                assertThat(stream.status()).isEqualTo(200);
                stream.next(); // the job's first event: the stream is live
                streams.add(stream);
            }
            SseStream multiplexed = api.multiplexed("job=" + jobs.get(0).id() + "&job=" + jobs.get(1).id(), null);
            multiplexed.next();
            multiplexed.next();
            streams.add(multiplexed);
        }
        // Each stream is read on a thread of its own, all at once, as the clients of a stopping node would.
        List<CompletableFuture<List<SseEvent>>> rests = streams.stream().map(s -> CompletableFuture.supplyAsync(() -> {
            try (s) {
                return s.readAll();
            } catch (IOException e) {
                throw new AssertionError("the response was cut instead of ended: " + e, e);
            }
        })).toList();
        for (CompletableFuture<List<SseEvent>> rest : rests) {
            assertThat(rest.join()).last().satisfies(e -> {
                assertThat(e.isError()).isTrue();
                assertThat(e.data()).contains("SERVER_SHUTTING_DOWN");
            });
        }
    }
}
