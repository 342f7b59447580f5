package dev.contentgen.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.server.testing.SettableClock;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The cluster's workers: every live node's count, a stopped node's gone at once, a dead node's once its word is stale. */
@ParameterizedClass
@EnumSource(TestStore.class)
class WorkerCensusTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    @Test
    void liveNodesCountAStoppedOneNotAndADeadOneOnlyUntilItsWordIsStale() {
        SettableClock clock = new SettableClock();
        try (Database db = store.open(dir, UnaryOperator.identity())) {
            WorkerCensus a = new WorkerCensus(db.jdbi(), clock, "node-a");
            WorkerCensus b = new WorkerCensus(db.jdbi(), clock, "node-b");
            WorkerCensus c = new WorkerCensus(db.jdbi(), clock, "node-c");
            a.announce(4);
            b.announce(2);
            c.announce(1);
            assertThat(a.workers()).isEqualTo(7);

            c.leave();
            assertThat(b.workers()).isEqualTo(6);

            // b dies without a word; a renews. Just before the cut-off b still counts, just after it does not.
            clock.advance(WorkerCensus.FORGET_AFTER.minus(Duration.ofMillis(1)));
            a.announce(4);
            assertThat(a.workers()).isEqualTo(6);
            clock.advance(Duration.ofMillis(2));
            assertThat(a.workers()).isEqualTo(4);

            // A node that holds the store alone forgets the rows of the runs before it.
            b.announce(2);
            a.forgetOthers();
            assertThat(a.workers()).isEqualTo(4);
        }
    }
}
