package dev.contentgen.server;

import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.auth.ApiKeys;
import dev.contentgen.server.auth.Sessions;
import dev.contentgen.server.auth.Signer;
import dev.contentgen.server.auth.StreamTokens;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.config.LlmConfig;
import dev.contentgen.server.config.StoreLocation;
import dev.contentgen.server.http.HttpServer;
import dev.contentgen.server.http.PemKeyStore;
import dev.contentgen.server.metrics.NodeMetrics;
import dev.contentgen.server.job.CensusKeeper;
import dev.contentgen.server.job.JobRunner;
import dev.contentgen.server.job.JobService;
import dev.contentgen.server.job.LeaseKeeper;
import dev.contentgen.server.job.Rescuer;
import dev.contentgen.server.job.RetentionPasses;
import dev.contentgen.server.store.Retention;
import dev.contentgen.server.job.RunningJobs;
import dev.contentgen.server.job.StoreRetry;
import dev.contentgen.server.job.Workers;
import dev.contentgen.server.pipeline.OfflineProvider;
import dev.contentgen.server.pipeline.Pipeline;
import dev.contentgen.server.pipeline.format.Formats;
import dev.contentgen.server.pipeline.Prompts;
import dev.contentgen.server.pipeline.Provider;
import dev.contentgen.server.pipeline.Providers;
import dev.contentgen.server.pipeline.Sleeper;
import dev.contentgen.server.pipeline.providers.LlmProvider;
import dev.contentgen.server.pipeline.providers.RetryPolicy;
import dev.contentgen.server.pipeline.providers.StreamTimeouts;
import dev.contentgen.server.store.DataDirLock;
import dev.contentgen.server.store.Database;
import dev.contentgen.server.store.KeyStore;
import dev.contentgen.server.store.StreamSlots;
import dev.contentgen.server.store.JobQueue;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.UsageLedger;
import dev.contentgen.server.store.WorkerCensus;
import dev.contentgen.server.usage.PriceTable;
import dev.contentgen.server.usage.UsageMeters;
import dev.contentgen.server.notify.LocalNotifier;
import dev.contentgen.server.notify.Notifier;
import dev.contentgen.server.notify.PgNotifier;
import dev.contentgen.server.stream.StreamHub;
import dev.contentgen.server.stream.StreamQuota;
import dev.contentgen.server.stream.StreamSettings;
import dev.contentgen.server.stream.StreamTracker;
import dev.contentgen.server.time.Pause;
import dev.contentgen.server.store.WebhookStore;
import dev.contentgen.server.webhook.WebhookDeliverer;
import dev.contentgen.server.webhook.WebhookSettings;
import java.time.Clock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
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
    private Sleeper sleeper = Sleeper.REAL;
    private Clock clock = Clock.systemUTC();
    private UnaryOperator<DataSource> dataSourceWrapper = UnaryOperator.identity();
    private UnaryOperator<Notifier> notifierWrapper = UnaryOperator.identity();
    private WebhookSettings webhookSettings = WebhookSettings.defaults();
    private volatile boolean draining;

    private DataDirLock lock;
    private Database database;
    private Store store;
    private Notifier notifier;
    private StreamHub hub;
    private Workers workers;
    private CensusKeeper censusKeeper;
    private Providers providers;
    private LeaseKeeper leaseKeeper;
    private Rescuer rescuer;
    private RetentionPasses retention;
    private HttpServer http;
    private StreamQuota streamQuota;
    private NodeMetrics metrics;
    private WebhookDeliverer webhookDeliverer;

    public Node(Config config) {
        this.config = config.validated();
    }

    /** Replaces the offline generator (tests use slow or failing providers). */
    public Node provider(Provider provider) {
        this.provider = provider;
        return this;
    }

    /** Replaces the real waits between provider retries (tests record them instead). */
    public Node sleeper(Sleeper sleeper) {
        this.sleeper = sleeper;
        return this;
    }

    /** Replaces the system clock of leases, the rescuer and store retries (tests move time instead of waiting). */
    public Node clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** How webhooks are delivered (the CLI's --webhook-* flags; tests allow loopback and shorten the waits). */
    public Node webhooks(WebhookSettings settings) {
        this.webhookSettings = settings;
        return this;
    }

    /** Puts a wrapper between the store and its pool (tests inject store faults this way). */
    public Node dataSourceWrapper(UnaryOperator<DataSource> wrapper) {
        this.dataSourceWrapper = wrapper;
        return this;
    }

    /** Puts a wrapper around the notifier (tests lose notifications this way). */
    public Node notifierWrapper(UnaryOperator<Notifier> wrapper) {
        this.notifierWrapper = wrapper;
        return this;
    }

    /** Starts every part in order; a part that fails to start stops the ones before it (locks, pools) again. */
    public Node start() {
        try {
            return startParts();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Node startParts() {
        // Format files are checked before anything opens, so a broken one stops the start with its file and line.
        Formats formats = Formats.load(config.formatsDir(), OfflineProvider.WRITERS);
        // So are the TLS files: a missing, unreadable or mismatched one is named before the store opens.
        PemKeyStore.Loaded tls = config.secure() ? PemKeyStore.load(config.tls()) : null;
        PriceTable prices = PriceTable.load(config.pricesFile());
        if (!prices.isEmpty()) {
            log.info("price table {}: {} model(s) priced", config.pricesFile(), prices.size());
        }
        StoreLocation location = config.store();
        int poolSize = config.poolSize();
        boolean singleNode = location instanceof StoreLocation.Sqlite;
        switch (location) {
            case StoreLocation.Sqlite sqlite -> {
                lock = DataDirLock.acquire(sqlite.file());
                database = Database.openSqlite(sqlite.file(), poolSize, dataSourceWrapper);
                notifier = notifierWrapper.apply(new LocalNotifier());
            }
            case StoreLocation.Postgres pg -> {
                database = Database.openPostgres(pg.jdbcUrl(), pg.user(), pg.password(), poolSize, dataSourceWrapper);
                notifier = notifierWrapper.apply(new PgNotifier(pg.jdbcUrl(), pg.user(), pg.password()).start());
            }
        }
        metrics = new NodeMetrics();
        database.publishMetrics(metrics.registry());
        store = new Store(database.jdbi(), database.dialect(), clock, metrics.registry(), notifier, config.commitWindow());
        HttpServer.Access access = access(clock);
        hub = new StreamHub(store, config.eventCache(), config.headCheck(), config.heartbeat(), metrics.registry());
        notifier.subscribe(hub);

        providers = providers(clock);
        Provider chosen = providers.defaultProvider();
        RunningJobs running = new RunningJobs();
        StoreRetry retry = new StoreRetry(config.lease(), clock, Pause.REAL);
        Pipeline pipeline = new Pipeline(providers, formats, RetryPolicy.standard(config.llm().attempts()), sleeper, clock, config.deltaWindow(),
                prices, new UsageMeters(metrics.registry()));
        UsageLedger usage = new UsageLedger(database.jdbi());
        WorkerCensus census = new WorkerCensus(database.jdbi(), clock, nodeId);
        if (singleNode) {
            census.forgetOthers();
        }
        censusKeeper = new CensusKeeper(census, config.workers());
        JobRunner runner = new JobRunner(store, pipeline, running, retry, metrics.registry(), usage);
        workers = new Workers(nodeId, store, runner, running, config.workers(), config.lease(), Duration.ofSeconds(2));
        notifier.subscribe(workers);
        leaseKeeper = new LeaseKeeper(store, running, config.lease());
        rescuer = new Rescuer(nodeId, store, config.maxAttempts(), config.lease().dividedBy(2));
        retention = new RetentionPasses(new Retention(database.jdbi(), database.dialect(), clock, store), config.retention(),
                metrics.registry());

        // With SQLite this node holds the lock, so every job still marked running lost its worker;
        // with PostgreSQL only expired leases are orphans (other nodes may be running the rest).
        int orphans = rescuer.rescue(singleNode);
        if (orphans > 0) {
            log.info("resuming {} job(s) interrupted when the previous server stopped", orphans);
        }
        WebhookStore webhookStore = new WebhookStore(database.jdbi(), database.dialect());
        webhookDeliverer = new WebhookDeliverer(webhookStore, store, webhookSettings, clock, metrics.registry());
        store.onDeliveriesQueued(webhookDeliverer::wake);
        if (singleNode && webhookStore.releaseInFlight(clock.millis()) > 0) {
            log.info("retrying webhook deliveries interrupted when the previous server stopped");
        }
        StreamSettings settings = new StreamSettings(config.heartbeat(), config.clientRetry(),
                Duration.ofMillis(250), Duration.ofSeconds(5), config.writeTimeout());
        http = new HttpServer(nodeId, new JobService(store, running, new JobQueue(database.jdbi()), census, usage), providers, formats, store, hub, settings,
                config.maxBodyBytes(), metrics, notifier, () -> draining, access, new StreamTracker(metrics.registry(), clock),
                new HttpServer.Webhooks(webhookStore, webhookDeliverer::wake, clock), tls);
        http.start(config.host(), config.port());
        hub.start();
        workers.start();
        censusKeeper.start();
        leaseKeeper.start();
        rescuer.start();
        retention.start();
        webhookDeliverer.start();
        if (tls != null && tls.leaf().getNotAfter().toInstant().isBefore(clock.instant())) {
            log.warn("TLS: the certificate in {} expired at {}: browsers refuse it; renew it and restart", config.tls().certificateChain(),
                    tls.leaf().getNotAfter().toInstant());
        } else if (tls != null) {
            log.info("TLS: certificate {} (valid until {}); HTTP/2 and HTTP/1.1 on one port", tls.leaf().getSubjectX500Principal().getName(),
                    tls.leaf().getNotAfter().toInstant());
        }
        log.info("contentgen {} listening on {}://{}:{} ({}, provider {}, model {})",
                nodeId, config.secure() ? "https" : "http", config.host(), http.port(), location.describe(), chosen.name(),
                providers.offer(chosen.name()).orElseThrow().defaultModel());
        return this;
    }

    /**
     * Keys, tokens and the access mode. A node that listens beyond loopback without any key refuses
     * to start, unless told loudly to serve anyone ({@code --auth none}).
     */
    private HttpServer.Access access(Clock clock) {
        KeyStore keyStore = new KeyStore(database.jdbi(), clock);
        ApiKeys keys = new ApiKeys(keyStore, clock);
        boolean loopback = isLoopback(config.host());
        AccessMode mode = new AccessMode(config.auth(), loopback, keys, clock);
        switch (config.auth()) {
            case NONE -> log.warn("AUTHENTICATION IS OFF (--auth none): anyone who can reach {}:{} can read, create and cancel "
                    + "every job and spend the provider's money. Create a key (contentgen keys create --name NAME --admin) "
                    + "and drop --auth none.", config.host(), config.port());
            case AUTO, KEYS -> {
                if (!loopback && !keys.anyActive()) {
                    throw new IllegalStateException("listening on " + config.host() + " (beyond this machine) needs an API key, "
                            + "and this store has none. Create one first: contentgen keys create --name ops --admin "
                            + "(with the same --db or --data-dir), or listen on 127.0.0.1.");
                }
            }
        }
        Signer signer = new Signer(keyStore.sharedSecret("signing-key-v1", Signer.newSecret()));
        streamQuota = new StreamQuota(new StreamSlots(database.jdbi(), database.dialect(), clock, nodeId), config.limits().openStreams());
        log.info("access: {} mode{}", mode.local() ? "local (no keys; loopback names only)" : "key",
                config.corsOrigins().isEmpty() ? "" : ", CORS for " + String.join(", ", config.corsOrigins()));
        return new HttpServer.Access(mode, keys, new Sessions(signer, clock, Duration.ofHours(12)),
                new StreamTokens(signer, clock, config.streamTokenTtl()), new LinkedHashSet<>(config.corsOrigins()), config.limits(),
                streamQuota);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve --host " + host + ": " + e.getMessage());
        }
    }

    /** The configured provider as the default, and the offline generator always beside it. */
    private Providers providers(Clock clock) {
        Provider offline = new OfflineProvider(config.tokensPerSecond());
        if (provider != null) {
            return new Providers(provider, List.of(provider.name())).add(offline, List.of("offline"));
        }
        LlmConfig llm = config.llm();
        StreamTimeouts timeouts = new StreamTimeouts(llm.firstTokenTimeout(), llm.tokenGapTimeout());
        Prompts prompts = new Prompts();
        int maxTokens = config.limits().maxOutputTokens();
        Provider real = switch (llm.provider()) {
            case "openai" -> LlmProvider.openAi(llm.baseUrl() == null ? "https://api.openai.com/v1" : llm.baseUrl(),
                    llm.openAiKey(), timeouts, prompts, clock, maxTokens);
            case "ollama" -> LlmProvider.ollama(llm.baseUrl() == null ? "http://localhost:11434" : llm.baseUrl(), timeouts, prompts, clock, maxTokens);
            case "anthropic" -> LlmProvider.anthropic(llm.baseUrl() == null ? "https://api.anthropic.com/v1/" : llm.baseUrl(),
                    llm.anthropicKey(), timeouts, prompts, clock, maxTokens);
            default -> null;
        };
        if (real == null) {
            return new Providers(offline, List.of("offline"));
        }
        return new Providers(real, llm.offeredModels()).add(offline, List.of("offline"));
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

    /** The HTTP routes this node serves, as "METHOD /path". */
    public List<String> routes() {
        return http.routes();
    }

    public StreamHub hub() {
        return hub;
    }

    public Notifier notifier() {
        return notifier;
    }

    /** The node's retention passes (tests run one now instead of waiting for the interval). */
    public RetentionPasses retention() {
        return retention;
    }

    public Store store() {
        return store;
    }

    /** Drains: hands running jobs back, tells streams to reconnect, then closes everything. */
    @Override
    public void close() {
        log.info("node {} stopping", nodeId);
        // First, so load balancers stop sending it streams while it drains (/readyz answers 503).
        draining = true;
        if (workers != null) {
            workers.drain(config.drainGrace());
        }
        if (leaseKeeper != null) {
            leaseKeeper.stop();
        }
        if (censusKeeper != null) {
            censusKeeper.stop();
        }
        if (providers != null) {
            providers.close();
        }
        if (rescuer != null) {
            rescuer.stop();
        }
        if (retention != null) {
            retention.stop();
        }
        if (webhookDeliverer != null) {
            // An attempt cut short here stays due in the outbox: this node or another makes it again.
            webhookDeliverer.stop();
        }
        if (hub != null) {
            // Each stream writes SERVER_SHUTTING_DOWN before the HTTP server closes its socket.
            hub.shutdown(Duration.ofSeconds(3));
        }
        if (http != null) {
            http.stop();
        }
        if (streamQuota != null) {
            streamQuota.close();
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
        if (metrics != null) {
            metrics.close();
        }
        log.info("node {} stopped", nodeId);
    }
}
