package dev.contentgen.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.server.config.StoreLocation;
import dev.contentgen.server.store.ClaimedJob;
import dev.contentgen.server.store.Database;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoredEvent;
import dev.contentgen.server.notify.LocalNotifier;
import dev.contentgen.server.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The rescuer re-queues jobs whose lease expired, up to a limit, and only one rescuer wins each job. */
@ParameterizedClass
@EnumSource(TestStore.class)
class RescuerTest {
    @Parameter
    TestStore kind;
    @TempDir
    Path dir;
    Database database;
    Store store;

    @BeforeEach
    void open() {
        database = switch (StoreLocation.parse(kind.config(dir).db(), dir)) {
            case StoreLocation.Sqlite s -> Database.openSqlite(s.file(), 4, UnaryOperator.identity());
            case StoreLocation.Postgres p -> Database.openPostgres(p.jdbcUrl(), p.user(), p.password(), 4, UnaryOperator.identity());
        };
        store = new Store(database.jdbi(), database.dialect(), Clock.systemUTC(), new SimpleMeterRegistry(), new LocalNotifier());
    }

    @AfterEach
    void close() {
        database.close();
    }

    /** Claims with a lease that is already over: the worker is as good as dead. */
    private ClaimedJob claimExpired(String owner) {
        return store.claimNext(owner, -1_000).orElseThrow();
    }

    @Test
    void aLiveLeaseIsNotRescued() {
        store.createJob(JobRequest.of("Alive and well"), null);
        ClaimedJob job = store.claimNext("worker", 60_000).orElseThrow();
        Rescuer rescuer = new Rescuer("rescuer", store, 3, java.time.Duration.ofSeconds(1));
        assertThat(rescuer.rescue(false)).isZero();
        assertThat(store.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void anExpiredLeaseIsRequeuedWithTheNextAttemptThenFailsWithWorkerLostAtTheLimit() {
        String id = store.createJob(JobRequest.of("Unlucky job"), null).job().id();
        Rescuer rescuer = new Rescuer("rescuer", store, 3, java.time.Duration.ofSeconds(1));
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThat(claimExpired("worker-" + attempt).attempt()).isEqualTo(attempt);
            assertThat(rescuer.rescue(false)).isEqualTo(1);
            var job = store.findJob(id).orElseThrow();
            assertThat(job.status()).isEqualTo(JobStatus.RETRYING);
            assertThat(job.attempt()).isEqualTo(attempt + 1);
        }
        claimExpired("worker-3");
        assertThat(rescuer.rescue(false)).isEqualTo(1);
        var failed = store.findJob(id).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo(ErrorCode.WORKER_LOST);
        List<StoredEvent> log = store.readEvents(id, 0, 100);
        assertThat(Json.readEvent(log.getLast().data()).event()).isInstanceOfSatisfying(JobEvent.Status.class,
                s -> assertThat(s.error().code()).isEqualTo(ErrorCode.WORKER_LOST));
    }

    @Test
    void onlyOneOfManyConcurrentRescuersTakesAJob() throws Exception {
        String id = store.createJob(JobRequest.of("Contested job"), null).job().id();
        claimExpired("dead-worker");
        List<Future<List<StoredEvent>>> attempts = new ArrayList<>();
        try (ExecutorService rescuers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                String name = "rescuer-" + i;
                attempts.add(rescuers.submit(() -> store.rescue(id, name, 5, false)));
            }
        }
        int winners = 0;
        for (Future<List<StoredEvent>> f : attempts) {
            winners += f.get().isEmpty() ? 0 : 1;
        }
        assertThat(winners).isEqualTo(1);
        long retrying = store.readEvents(id, 0, 100).stream()
                .filter(e -> e.data().contains("\"status\":\"retrying\"")).count();
        assertThat(retrying).isEqualTo(1);
    }
}
