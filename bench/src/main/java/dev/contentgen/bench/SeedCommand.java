package dev.contentgen.bench;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.config.StoreLocation;
import dev.contentgen.server.notify.LocalNotifier;
import dev.contentgen.server.store.ClaimedJob;
import dev.contentgen.server.store.Database;
import dev.contentgen.server.store.Ids;
import dev.contentgen.server.store.Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes a finished job with a log of N events straight into a store (the catch-up storm's subject). */
@Command(name = "seed", mixinStandardHelpOptions = true, description = "Create a finished job of N events.")
final class SeedCommand implements Callable<Integer> {
    @Option(names = "--db", description = "As contentgen serve --db; empty for SQLite under --data-dir.")
    String db;

    @Option(names = "--data-dir", defaultValue = "data")
    Path dataDir;

    @Option(names = "--events", defaultValue = "2000")
    int events;

    @Override
    public Integer call() {
        Database database = switch (StoreLocation.parse(db, dataDir)) {
            case StoreLocation.Sqlite s -> Database.openSqlite(s.file(), 2, UnaryOperator.identity());
            case StoreLocation.Postgres p -> Database.openPostgres(p.jdbcUrl(), p.user(), p.password(), 2, UnaryOperator.identity());
        };
        try (database) {
            Store store = new Store(database.jdbi(), database.dialect(), Clock.systemUTC(), new SimpleMeterRegistry(), new LocalNotifier());
            String id = store.createJob(JobRequest.of("A very long log"), null).job().id();
            ClaimedJob job = store.claimNext("seeder", 600_000).orElseThrow();
            String artifact = Ids.newId(Clock.systemUTC());
            long lastSeq = store.append(job.run(), job.lastSeq(),
                    List.of(new JobEvent.ArtifactCreated(artifact, "article", "A very long log", 0))).getLast().seq();
            StringBuilder content = new StringBuilder();
            int deltas = Math.max(1, events - 6);
            List<JobEvent> batch = new ArrayList<>();
            for (int i = 0; i < deltas; i++) {
                String text = "Delta number " + i + " of a long article, about two hundred bytes of payload each. ".repeat(2);
                content.append(text);
                batch.add(new JobEvent.ArtifactDelta(artifact, text));
                if (batch.size() == 200) {
                    lastSeq = store.append(job.run(), lastSeq, batch).getLast().seq();
                    batch = new ArrayList<>();
                }
            }
            batch.add(new JobEvent.ArtifactCompleted(artifact, "article", "A very long log", content.toString()));
            batch.add(new JobEvent.Status(JobStatus.COMPLETED, job.attempt(), null, null));
            store.append(job.run(), lastSeq, batch);
            System.out.println(id);
        }
        return 0;
    }
}
