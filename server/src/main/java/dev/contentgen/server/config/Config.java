package dev.contentgen.server.config;

import dev.contentgen.server.auth.AccessMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a node is configured with. Defaults suit a first run on a laptop; the CLI maps
 * flags and environment variables onto it.
 */
public record Config(
        String host,
        int port,
        Path dataDir,
        double tokensPerSecond,
        Duration heartbeat,
        Duration clientRetry,
        int workers,
        Duration lease,
        int maxAttempts,
        int maxBodyBytes,
        int eventCache,
        Duration drainGrace,
        String db,
        Duration deltaWindow,
        LlmConfig llm,
        Duration headCheck,
        AccessMode.Setting auth,
        List<String> corsOrigins,
        Duration streamTokenTtl,
        Limits limits,
        RetentionPolicy retention,
        Duration writeTimeout,
        Path formatsDir,
        Path pricesFile,
        TlsFiles tls,
        Duration commitWindow,
        int dbPool) {

    public static Config defaults() {
        return new Config("127.0.0.1", 8080, Path.of("data"), 40, Duration.ofSeconds(15), Duration.ofSeconds(2),
                8, Duration.ofSeconds(30), 5, 64 * 1024, 1024, Duration.ofSeconds(10), null, Duration.ofMillis(100), LlmConfig.offline(),
                Duration.ofSeconds(5), AccessMode.Setting.AUTO, List.of(), Duration.ofMinutes(15), Limits.defaults(),
                RetentionPolicy.defaults(), Duration.ofSeconds(30), null, null, null, Duration.ofMillis(10), 0);
    }

    /** PostgreSQL connections a node opens at most when {@code dbPool} is 0 (automatic): see {@link #poolSize}. */
    public static final int AUTOMATIC_POSTGRESQL_POOL_CAP = 24;

    /**
     * The node's connection pool size: {@code dbPool} when set; else for PostgreSQL twice the workers and a few
     * more, at most {@value #AUTOMATIC_POSTGRESQL_POOL_CAP} (appends share a few connections through group commit,
     * so workers do not each need one, and a database serves a handful of connections per core best: several nodes
     * with uncapped pools of twice their workers took more than a default PostgreSQL's 100); SQLite's single writer needs few.
     */
    public int poolSize() {
        if (dbPool > 0) {
            return dbPool;
        }
        return store() instanceof StoreLocation.Postgres
                ? Math.min(AUTOMATIC_POSTGRESQL_POOL_CAP, Math.max(10, workers * 2 + 4))
                : Math.max(4, workers + 2);
    }

    public Config withDbPool(int dbPool) {
        return toBuilder().dbPool(dbPool).build();
    }

    /** The store this node uses: {@code db} when set, else SQLite under {@code dataDir}. */
    public StoreLocation store() {
        return StoreLocation.parse(db, dataDir);
    }

    public Config withClientRetry(Duration clientRetry) {
        return toBuilder().clientRetry(clientRetry).build();
    }

    public Config withDeltaWindow(Duration deltaWindow) {
        return toBuilder().deltaWindow(deltaWindow).build();
    }

    public Config withWriteTimeout(Duration writeTimeout) {
        return toBuilder().writeTimeout(writeTimeout).build();
    }

    public Config withDb(String db) {
        return toBuilder().db(db).build();
    }

    public Config withPort(int port) {
        return toBuilder().port(port).build();
    }

    public Config withDataDir(Path dataDir) {
        return toBuilder().dataDir(dataDir).build();
    }

    public Config withTokensPerSecond(double tokensPerSecond) {
        return toBuilder().tokensPerSecond(tokensPerSecond).build();
    }

    public Config withHeartbeat(Duration heartbeat) {
        return toBuilder().heartbeat(heartbeat).build();
    }

    public Config withWorkers(int workers) {
        return toBuilder().workers(workers).build();
    }

    public Config withLease(Duration lease) {
        return toBuilder().lease(lease).build();
    }

    public Config withLlm(LlmConfig llm) {
        return toBuilder().llm(llm).build();
    }

    public Config withHeadCheck(Duration headCheck) {
        return toBuilder().headCheck(headCheck).build();
    }

    public Config withAuth(AccessMode.Setting auth) {
        return toBuilder().auth(auth).build();
    }

    public Config withCorsOrigins(List<String> corsOrigins) {
        return toBuilder().corsOrigins(corsOrigins).build();
    }

    public Config withStreamTokenTtl(Duration ttl) {
        return toBuilder().streamTokenTtl(ttl).build();
    }

    public Config withLimits(Limits limits) {
        return toBuilder().limits(limits).build();
    }

    public Config withRetention(RetentionPolicy retention) {
        return toBuilder().retention(retention).build();
    }

    /** A folder of format files added to the shipped ones; null for the shipped formats only. */
    public Config withFormatsDir(Path formatsDir) {
        return toBuilder().formatsDir(formatsDir).build();
    }

    /** A price table file (USD per million tokens, per model); null for no costs. */
    public Config withPricesFile(Path pricesFile) {
        return toBuilder().pricesFile(pricesFile).build();
    }

    /** TLS with HTTP/2 on the node's port; null for plain HTTP/1.1. */
    public Config withTls(TlsFiles tls) {
        return toBuilder().tls(tls).build();
    }

    /** Whether the node serves https (TLS with HTTP/2 and HTTP/1.1) rather than plain http. */
    public boolean secure() {
        return tls != null;
    }

    public Config withHost(String host) {
        return toBuilder().host(host).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some settings of a config and keeps the rest, so adding a setting touches one place here. */
    public static final class Builder {
        private String host;
        private int port;
        private Path dataDir;
        private double tokensPerSecond;
        private Duration heartbeat;
        private Duration clientRetry;
        private int workers;
        private Duration lease;
        private int maxAttempts;
        private int maxBodyBytes;
        private int eventCache;
        private Duration drainGrace;
        private String db;
        private Duration deltaWindow;
        private LlmConfig llm;
        private AccessMode.Setting auth;
        private List<String> corsOrigins;
        private Duration streamTokenTtl;
        private Limits limits;
        private Duration headCheck;
        private RetentionPolicy retention;
        private Duration writeTimeout;
        private Path formatsDir;
        private Path pricesFile;
        private TlsFiles tls;
        private Duration commitWindow;
        private int dbPool;

        private Builder(Config c) {
            host = c.host;
            port = c.port;
            dataDir = c.dataDir;
            tokensPerSecond = c.tokensPerSecond;
            heartbeat = c.heartbeat;
            clientRetry = c.clientRetry;
            workers = c.workers;
            lease = c.lease;
            maxAttempts = c.maxAttempts;
            maxBodyBytes = c.maxBodyBytes;
            eventCache = c.eventCache;
            drainGrace = c.drainGrace;
            db = c.db;
            deltaWindow = c.deltaWindow;
            llm = c.llm;
            auth = c.auth;
            corsOrigins = c.corsOrigins;
            streamTokenTtl = c.streamTokenTtl;
            limits = c.limits;
            headCheck = c.headCheck;
            retention = c.retention;
            writeTimeout = c.writeTimeout;
            formatsDir = c.formatsDir;
            pricesFile = c.pricesFile;
            tls = c.tls;
            commitWindow = c.commitWindow;
            dbPool = c.dbPool;
        }

        public Builder host(String host) { this.host = host; return this; }
        public Builder port(int port) { this.port = port; return this; }
        public Builder dataDir(Path dataDir) { this.dataDir = dataDir; return this; }
        public Builder tokensPerSecond(double tokensPerSecond) { this.tokensPerSecond = tokensPerSecond; return this; }
        public Builder heartbeat(Duration heartbeat) { this.heartbeat = heartbeat; return this; }
        public Builder clientRetry(Duration clientRetry) { this.clientRetry = clientRetry; return this; }
        public Builder workers(int workers) { this.workers = workers; return this; }
        public Builder lease(Duration lease) { this.lease = lease; return this; }
        public Builder maxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; return this; }
        public Builder eventCache(int eventCache) { this.eventCache = eventCache; return this; }
        public Builder db(String db) { this.db = db; return this; }
        public Builder deltaWindow(Duration deltaWindow) { this.deltaWindow = deltaWindow; return this; }
        public Builder llm(LlmConfig llm) { this.llm = llm; return this; }
        public Builder auth(AccessMode.Setting auth) { this.auth = auth; return this; }
        public Builder corsOrigins(List<String> corsOrigins) { this.corsOrigins = List.copyOf(corsOrigins); return this; }
        public Builder streamTokenTtl(Duration streamTokenTtl) { this.streamTokenTtl = streamTokenTtl; return this; }
        public Builder limits(Limits limits) { this.limits = limits; return this; }
        public Builder headCheck(Duration headCheck) { this.headCheck = headCheck; return this; }
        public Builder retention(RetentionPolicy retention) { this.retention = retention; return this; }
        public Builder writeTimeout(Duration writeTimeout) { this.writeTimeout = writeTimeout; return this; }
        public Builder formatsDir(Path formatsDir) { this.formatsDir = formatsDir; return this; }
        public Builder pricesFile(Path pricesFile) { this.pricesFile = pricesFile; return this; }
        public Builder tls(TlsFiles tls) { this.tls = tls; return this; }
        public Builder commitWindow(Duration commitWindow) { this.commitWindow = commitWindow; return this; }
        public Builder dbPool(int dbPool) { this.dbPool = dbPool; return this; }

        public Config build() {
            return new Config(host, port, dataDir, tokensPerSecond, heartbeat, clientRetry, workers, lease, maxAttempts,
                    maxBodyBytes, eventCache, drainGrace, db, deltaWindow, llm, headCheck, auth, corsOrigins, streamTokenTtl, limits,
                    retention, writeTimeout, formatsDir, pricesFile, tls, commitWindow, dbPool);
        }
    }

    /** Fails fast with a message a user can act on. */
    public Config validated() {
        require(port >= 0 && port <= 65535, "port must be 0-65535 (0 picks a free port), not " + port);
        require(tokensPerSecond >= 0, "tokens per second must be >= 0 (0 = as fast as possible)");
        require(!heartbeat.isNegative() && heartbeat.toMillis() >= 100, "heartbeat must be at least 100ms");
        require(workers >= 0, "workers must be >= 0");
        require(dbPool >= 0 && dbPool <= 1000, "database pool must be 1-1000 connections, or 0 for automatic");
        require(lease.toMillis() >= 1000, "lease must be at least 1s");
        require(maxAttempts >= 1, "max attempts must be >= 1");
        require(deltaWindow.toMillis() >= 1 && deltaWindow.toMillis() <= 1000, "delta window must be 1ms-1s");
        require(!commitWindow.isNegative() && commitWindow.toMillis() <= 100, "commit window must be 0-100ms (0: never wait for other writes)");
        require(!streamTokenTtl.isNegative() && streamTokenTtl.toSeconds() >= 1 && streamTokenTtl.toHours() <= 24,
                "stream token lifetime must be 1s-24h");
        for (String origin : corsOrigins) {
            require(origin.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?"),
                    "a CORS origin is scheme://host[:port] with no path or trailing slash, e.g. https://app.example.com, not '" + origin + "'");
        }
        limits.validated();
        require(headCheck.toMillis() >= 100, "head check must be at least 100ms");
        require(!retention.compactAfter().isNegative() && !retention.deleteAfter().isNegative()
                && !retention.idempotencyTtl().isNegative(), "retention times must be durations or off");
        require(!retention.deletes() || !retention.compacts() || retention.deleteAfter().compareTo(retention.compactAfter()) >= 0,
                "--delete-after must not be shorter than --compact-after");
        require(retention.interval().toMillis() >= 100, "retention interval must be at least 100ms");
        // A stream writes at least once per heartbeat, so only a client that stops reading reaches the write timeout.
        require(writeTimeout.compareTo(heartbeat) > 0, "write timeout (" + writeTimeout.toMillis() + "ms) must be longer than the heartbeat ("
                + heartbeat.toMillis() + "ms)");
        store();
        llm.validated();
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
