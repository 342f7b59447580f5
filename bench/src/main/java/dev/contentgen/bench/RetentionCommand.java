package dev.contentgen.bench;

import dev.contentgen.api.Format;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.config.RetentionPolicy;
import dev.contentgen.server.store.Dialect;
import dev.contentgen.server.store.Retention;
import dev.contentgen.server.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What a finished job costs the database before and after compaction, and how fast compaction goes:
 * runs N long articles through the offline generator in a node of its own (its deltas shaped as at the
 * default pace: about four tokens each), measures the job's rows, compacts them all, measures again.
 */
@Command(name = "retention", mixinStandardHelpOptions = true, description = "Database size per finished job before and after compaction; compaction rate.")
final class RetentionCommand implements Callable<Integer> {
    @Option(names = "--db", description = "As contentgen serve --db; empty for SQLite under --data-dir.")
    String db;

    @Option(names = "--data-dir", defaultValue = "data")
    Path dataDir;

    @Option(names = "--jobs", defaultValue = "40")
    int jobs;

    @Override
    public Integer call() throws Exception {
        // Ten times the default pace with a tenth of the delta window: deltas as at 40 tokens/s, ten times sooner.
        Config config = Config.defaults().toBuilder().port(0).dataDir(dataDir).db(db).tokensPerSecond(400)
                .deltaWindow(Duration.ofMillis(10)).workers(8).build();
        try (Node node = new Node(config).start()) {
            Store store = node.store();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                ids.add(store.createJob(new JobRequest("Retention benchmark article " + i, Format.ARTICLE, Tone.NEUTRAL, Length.LONG,
                        null, null, null), null).job().id());
            }
            for (String id : ids) {
                while (!store.findHead(id).orElseThrow().status().isTerminal()) {
                    Thread.sleep(200);
                }
            }
            Jdbi jdbi = node.database().jdbi();
            Dialect dialect = node.database().dialect();
            long words = jdbi.withHandle(h -> h.createQuery("SELECT content FROM artifacts WHERE kind = 'article' AND status = 'completed'")
                    .mapTo(String.class).list()).stream().mapToLong(t -> t.split("\\s+").length).sum();
            Sizes before = sizes(jdbi, dialect);

            Retention retention = new Retention(jdbi, dialect, Clock.offset(Clock.systemUTC(), Duration.ofHours(2)), store);
            long started = System.nanoTime();
            Retention.Pass pass = retention.run(RetentionPolicy.defaults());
            double seconds = (System.nanoTime() - started) / 1e9;
            Sizes after = sizes(jdbi, dialect);

            double perThousandWords = 1000.0 / ((double) words / jobs);
            System.out.printf(Locale.ROOT, "store=%s jobs=%d words/job=%d events/job before=%.0f after=%.0f%n",
                    dialect.name().toLowerCase(Locale.ROOT), jobs, words / jobs, before.events / (double) jobs, after.events / (double) jobs);
            System.out.printf(Locale.ROOT, "rows' bytes per 1,000-word article: before=%.0f after=%.0f (%.0f%% less)%n",
                    before.rowBytes / (double) jobs * perThousandWords, after.rowBytes / (double) jobs * perThousandWords,
                    100.0 * (before.rowBytes - after.rowBytes) / before.rowBytes);
            System.out.printf(Locale.ROOT, "database bytes per job (%s): before=%.0f after=%.0f%n", after.physicalWhat,
                    before.physical / (double) jobs, after.physical / (double) jobs);
            System.out.printf(Locale.ROOT, "compaction: %d jobs, %d events dropped in %.2f s = %.0f jobs/s%n",
                    pass.compacted(), pass.eventsDropped(), seconds, pass.compacted() / seconds);
        }
        return 0;
    }

    private record Sizes(long events, long rowBytes, long physical, String physicalWhat) {}

    /** The bytes of the rows themselves (event data, artifact text, compaction record), and what the database files hold. */
    private static Sizes sizes(Jdbi jdbi, Dialect dialect) {
        return jdbi.withHandle(h -> {
            long events = h.createQuery("SELECT COUNT(*) FROM job_events").mapTo(Long.class).one();
            long rowBytes = h.createQuery("""
                    SELECT COALESCE((SELECT SUM(LENGTH(data)) FROM job_events), 0)
                         + COALESCE((SELECT SUM(LENGTH(content)) FROM artifacts), 0)
                         + COALESCE((SELECT SUM(LENGTH(compacted_deltas)) FROM jobs), 0)""").mapTo(Long.class).one();
            if (dialect == Dialect.POSTGRESQL) {
                // VACUUM FULL rewrites the tables, so the figure is what the rows need, not dead space autovacuum reuses later.
                h.execute("VACUUM FULL job_events");
                h.execute("VACUUM FULL artifacts");
                long physical = h.createQuery("SELECT pg_total_relation_size('job_events') + pg_total_relation_size('artifacts')")
                        .mapTo(Long.class).one();
                return new Sizes(events, rowBytes, physical, "job_events + artifacts with indexes and TOAST, after VACUUM FULL");
            }
            h.execute("VACUUM");
            long pageSize = h.createQuery("PRAGMA page_size").mapTo(Long.class).one();
            long pages = h.createQuery("PRAGMA page_count").mapTo(Long.class).one();
            return new Sizes(events, rowBytes, pageSize * pages, "the whole SQLite file after VACUUM");
        });
    }
}
