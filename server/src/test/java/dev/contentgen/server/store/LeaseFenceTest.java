package dev.contentgen.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.notify.LocalNotifier;
import dev.contentgen.server.testing.SettableClock;
import dev.contentgen.server.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The lease fences a run, not a node: a stalled run of a job its own node re-claimed cannot write or renew. */
@ParameterizedClass
@EnumSource(TestStore.class)
class LeaseFenceTest {
    private static final long LEASE = 5_000;
    private static final String NODE = "node-a";

    @Parameter
    TestStore kind;
    @TempDir
    Path dir;
    Database database;
    Store store;
    SettableClock clock = new SettableClock();

    @BeforeEach
    void open() {
        database = kind.open(dir, UnaryOperator.identity());
        store = new Store(database.jdbi(), database.dialect(), clock, new SimpleMeterRegistry(), new LocalNotifier());
    }

    @AfterEach
    void close() {
        database.close();
    }

    /** Run 1 stalls past its lease; the same node rescues the job and claims it again as run 2. */
    private ClaimedJob[] stalledAndReclaimed() {
        store.createJob(JobRequest.of("Stalled twice over"), null);
        ClaimedJob first = store.claimNext(NODE, LEASE).orElseThrow();
        clock.advance(Duration.ofMillis(LEASE + 1));
        assertThat(store.rescue(first.id(), NODE, 5, false)).isNotEmpty();
        ClaimedJob second = store.claimNext(NODE, LEASE).orElseThrow();
        assertThat(second.id()).isEqualTo(first.id());
        return new ClaimedJob[] {first, second};
    }

    @Test
    void aStalledRunCannotWriteAfterItsJobWasReclaimed() {
        ClaimedJob[] runs = stalledAndReclaimed();
        String jobId = runs[0].id();
        long before = store.findHead(jobId).orElseThrow().lastSeq();

        assertThatThrownBy(() -> store.append(runs[0].run(), runs[0].lastSeq(), List.of(new JobEvent.Progress("outline", 1, 7, "late"))))
                .isInstanceOf(LeaseLostException.class);
        assertThat(store.findHead(jobId).orElseThrow().lastSeq()).isEqualTo(before);

        store.append(runs[1].run(), runs[1].lastSeq(), List.of(new JobEvent.Progress("outline", 1, 7, "on time")));
        assertThat(store.findHead(jobId).orElseThrow().lastSeq()).isEqualTo(before + 1);
    }

    @Test
    void theNewRunKeepsItsLeaseWhileTheStalledRunsRenewalIsRefused() {
        ClaimedJob[] runs = stalledAndReclaimed();
        String jobId = runs[0].id();

        assertThat(store.renewLease(runs[0].run(), LEASE)).isEqualTo(LeaseState.LOST);
        assertThat(store.renewLease(runs[1].run(), LEASE)).isEqualTo(LeaseState.HELD);
        assertThat(store.findJob(jobId).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void manyLeasesRenewInOneWriteEachWithItsOwnAnswer() {
        ClaimedJob[] runs = stalledAndReclaimed();
        store.createJob(JobRequest.of("Asked to stop"), null);
        ClaimedJob cancelled = store.claimNext(NODE, LEASE).orElseThrow();
        store.createJob(JobRequest.of("Carries on"), null);
        ClaimedJob carriesOn = store.claimNext(NODE, LEASE).orElseThrow();
        store.requestCancel(cancelled.id(), JobScope.everyone());

        Map<JobRun, LeaseState> states = store.renewLeases(List.of(carriesOn.run(), runs[0].run(), cancelled.run(), runs[1].run()), LEASE);

        assertThat(states).containsOnly(entry(runs[0].run(), LeaseState.LOST), entry(runs[1].run(), LeaseState.HELD),
                entry(cancelled.run(), LeaseState.CANCEL_REQUESTED), entry(carriesOn.run(), LeaseState.HELD));
    }
}
