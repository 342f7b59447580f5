package dev.contentgen.server;

import dev.contentgen.server.config.Config;
import dev.contentgen.server.http.HttpServer;
import dev.contentgen.server.job.JobRunner;
import dev.contentgen.server.job.JobService;
import dev.contentgen.server.job.LeaseKeeper;
import dev.contentgen.server.job.Rescuer;
import dev.contentgen.server.job.RunningJobs;
import dev.contentgen.server.job.StoreRetry;
import dev.contentgen.server.job.Workers;
import dev.contentgen.server.pipeline.OfflineProvider;
import dev.contentgen.server.pipeline.Pipeline;
import dev.contentgen.server.pipeline.Provider;
import dev.contentgen.server.store.DataDirLock;
import dev.contentgen.server.store.Database;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.stream.LocalNotifier;
import dev.contentgen.server.stream.Notifier;
import dev.contentgen.server.stream.StreamHub;
import dev.contentgen.server.stream.StreamSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One contentgen node: builds the store, notifier, stream hub, workers and HTTP server by hand,
 * starts them in order and stops them in reverse.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final Config config;
    private final String nodeId = "node-" + UUID.randomUUID().toString().substring(0, 8);
    private Provider provider;
    private UnaryOperator<DataSource> dataSourceWrapper = UnaryOperator.identity();

    private DataDirLock lock;
    private Database database;
    private Store store;
    private Notifier notifier;
    private StreamHub hub;
    private Workers workers;
    private LeaseKeeper leaseKeeper;
    private Rescuer rescuer;
    private HttpServer http;

    public Node(Config config) {
        this.config = config.validated();
    }

    /** Replaces the offline generator (tests use slow or failing providers). */
    public Node provider(Provider provider) {
        this.provider = provider;
        return this;
    }

    /** Puts a wrapper between the store and its pool (tests inject store faults this way). */
    public Node dataSourceWrapper(UnaryOperator<DataSource> wrapper) {
        this.dataSourceWrapper = wrapper;
        return this;
    }

    public Node start() {
        Clock clock = Clock.systemUTC();
        lock = DataDirLock.acquire(config.sqliteFile());
        database = Database.openSqlite(config.sqliteFile(), Math.max(4, config.workers() + 2), dataSourceWrapper);
        store = new Store(database.jdbi(), clock);
        notifier = new LocalNotifier();
        hub = new StreamHub(store, config.eventCache());
        notifier.subscribe(hub);

        Provider chosen = provider != null ? provider : new OfflineProvider(config.tokensPerSecond());
        RunningJobs running = new RunningJobs();
        StoreRetry retry = new StoreRetry(config.lease());
        JobRunner runner = new JobRunner(nodeId, store, notifier, new Pipeline(chosen, clock), running, retry);
        workers = new Workers(nodeId, store, notifier, runner, running, config.workers(), config.lease(), Duration.ofSeconds(2));
        notifier.subscribe(workers);
        leaseKeeper = new LeaseKeeper(nodeId, store, running, config.lease());
        rescuer = new Rescuer(nodeId, store, notifier, config.maxAttempts(), config.lease().dividedBy(2));

        // This node holds the SQLite lock, so every job still marked running lost its worker.
        int orphans = rescuer.rescue(true);
        if (orphans > 0) {
            log.info("resuming {} job(s) interrupted when the previous server stopped", orphans);
        }
        StreamSettings settings = new StreamSettings(config.heartbeat(), config.clientRetry(),
                Duration.ofMillis(250), Duration.ofSeconds(5));
        http = new HttpServer(nodeId, new JobService(store, notifier, running), store, hub, settings, config.maxBodyBytes());
        http.start(config.host(), config.port());
        workers.start();
        leaseKeeper.start();
        rescuer.start();
        log.info("contentgen {} listening on http://{}:{} (SQLite {}, provider {})",
                nodeId, config.host(), http.port(), config.sqliteFile().toAbsolutePath(), chosen.name());
        return this;
    }

    public int port() {
        return http.port();
    }

    public String id() {
        return nodeId;
    }

    public Database database() {
        return database;
    }

    public StreamHub hub() {
        return hub;
    }

    private void awaitStreamsEnded() {
        try {
            if (!hub.awaitNoOpenStreams(Duration.ofSeconds(2))) {
                log.warn("{} stream(s) still open after 2 s of shutdown (clients not reading); closing them", hub.openStreams());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drains: hands running jobs back, tells streams to reconnect, then closes everything. */
    @Override
    public void close() {
        log.info("node {} stopping", nodeId);
        if (workers != null) {
            workers.drain(config.drainGrace());
        }
        if (leaseKeeper != null) {
            leaseKeeper.stop();
        }
        if (rescuer != null) {
            rescuer.stop();
        }
        if (hub != null) {
            hub.shutdown();
            awaitStreamsEnded();
        }
        if (http != null) {
            http.stop();
        }
        if (notifier != null) {
            notifier.close();
        }
        if (database != null) {
            database.close();
        }
        if (lock != null) {
            lock.close();
        }
        log.info("node {} stopped", nodeId);
    }
}
