package dev.contentgen.server.config;

import java.nio.file.Path;
import java.time.Duration;

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
        LlmConfig llm) {

    public static Config defaults() {
        return new Config("127.0.0.1", 8080, Path.of("data"), 40, Duration.ofSeconds(15), Duration.ofSeconds(2),
                8, Duration.ofSeconds(30), 5, 64 * 1024, 1024, Duration.ofSeconds(10), null, Duration.ofMillis(100), LlmConfig.offline());
    }

    /** The store this node uses: {@code db} when set, else SQLite under {@code dataDir}. */
    public StoreLocation store() {
        return StoreLocation.parse(db, dataDir);
    }

    public Config withClientRetry(Duration clientRetry) {
        return new Config(host, port, dataDir, tokensPerSecond, heartbeat, clientRetry, workers, lease, maxAttempts, maxBodyBytes, eventCache, drainGrace, db, deltaWindow, llm);
    }

    public Config withDeltaWindow(Duration deltaWindow) {
        return new Config(host, port, dataDir, tokensPerSecond, heartbeat, clientRetry, workers, lease, maxAttempts, maxBodyBytes, eventCache, drainGrace, db, deltaWindow, llm);
    }

    public Config withDb(String db) {
        return new Config(host, port, dataDir, tokensPerSecond, heartbeat, clientRetry, workers, lease, maxAttempts, maxBodyBytes, eventCache, drainGrace, db, deltaWindow, llm);
    }

    public Config withPort(int port) {
        return new Config(host, port, dataDir, tokensPerSecond, heartbeat, clientRetry, workers, lease, maxAttempts, maxBodyBytes, eventCache, drainGrace, db, deltaWindow, llm);
    }

    public Config withDataDir(Path dataDir) {
        return new Config(host, port, dataDir, tokensPerSecond, heartbeat, clientRetry, workers, lease, maxAttempts, maxBodyBytes, eventCache, drainGrace, db, deltaWindow, llm);
    }

    public Config withTokensPerSecond(double tokensPerSecond) {
        return new Config(host, port, dataDir, tokensPerSecond, heartbeat, clientRetry, workers, lease, maxAttempts, maxBodyBytes, eventCache, drainGrace, db, deltaWindow, llm);
    }

    public Config withHeartbeat(Duration heartbeat) {
        return new Config(host, port, dataDir, tokensPerSecond, heartbeat, clientRetry, workers, lease, maxAttempts, maxBodyBytes, eventCache, drainGrace, db, deltaWindow, llm);
    }

    public Config withWorkers(int workers) {
        return new Config(host, port, dataDir, tokensPerSecond, heartbeat, clientRetry, workers, lease, maxAttempts, maxBodyBytes, eventCache, drainGrace, db, deltaWindow, llm);
    }

    public Config withLease(Duration lease) {
        return new Config(host, port, dataDir, tokensPerSecond, heartbeat, clientRetry, workers, lease, maxAttempts, maxBodyBytes, eventCache, drainGrace, db, deltaWindow, llm);
    }

    public Config withLlm(LlmConfig llm) {
        return new Config(host, port, dataDir, tokensPerSecond, heartbeat, clientRetry, workers, lease, maxAttempts, maxBodyBytes, eventCache, drainGrace, db, deltaWindow, llm);
    }

    /** Fails fast with a message a user can act on. */
    public Config validated() {
        require(port >= 0 && port <= 65535, "port must be 0-65535 (0 picks a free port), not " + port);
        require(tokensPerSecond >= 0, "tokens per second must be >= 0 (0 = as fast as possible)");
        require(!heartbeat.isNegative() && heartbeat.toMillis() >= 100, "heartbeat must be at least 100ms");
        require(workers >= 0, "workers must be >= 0");
        require(lease.toMillis() >= 1000, "lease must be at least 1s");
        require(maxAttempts >= 1, "max attempts must be >= 1");
        require(deltaWindow.toMillis() >= 1 && deltaWindow.toMillis() <= 1000, "delta window must be 1ms-1s");
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
