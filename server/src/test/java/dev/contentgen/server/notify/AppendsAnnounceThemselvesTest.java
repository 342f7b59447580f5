package dev.contentgen.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** DESIGN.md, notifier: the store's append path is the one publisher, and a node hears each of its commits once. */
@ParameterizedClass
@EnumSource(TestStore.class)
class AppendsAnnounceThemselvesTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    @Test
    void aNodeHearsEachOfItsOwnAppendsExactlyOnce() throws Exception {
        try (Node node = new Node(store.config(dir).withWorkers(0)).start()) {
            List<String> heard = new CopyOnWriteArrayList<>();
            node.notifier().subscribe(new Notifier.Listener() {
                @Override
                public void onAppended(String jobId, long lastSeq) {
                    heard.add(jobId + ":" + lastSeq);
                }

                @Override
                public void onQueued(String jobId) {
                    heard.add(jobId + " queued");
                }
            });
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob("Said once");
            assertThat(api.post("/api/jobs/" + job.id() + "/cancel", "").status()).isEqualTo(200);
            // A later commit as a barrier: notifications arrive in commit order, so once it is heard, all of the above are.
            Job barrier = api.createJob("Barrier");
            awaitUntil(() -> heard.contains(barrier.id() + ":1"));

            assertThat(heard.stream().filter(n -> n.startsWith(job.id())))
                    .containsExactly(job.id() + ":1", job.id() + " queued", job.id() + ":2");
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not heard within 30 s");
            }
            Thread.sleep(10);
        }
    }
}
