package dev.contentgen.cli;

import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.config.Limits;
import dev.contentgen.server.config.LogFormat;
import dev.contentgen.server.config.RetentionPolicy;
import dev.contentgen.server.config.LlmConfig;
import dev.contentgen.server.config.TlsFiles;
import dev.contentgen.server.pipeline.providers.ApiKey;
import dev.contentgen.server.webhook.WebhookSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code contentgen serve}: runs a node until it is stopped (Ctrl-C or SIGTERM drains it). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the server: API, event streams, workers and the web UI.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "${env:CONTENTGEN_HOST:-127.0.0.1}",
            description = "Address to listen on (env CONTENTGEN_HOST; default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:CONTENTGEN_PORT:-8080}",
            description = "Port to listen on, 0 for any free port (env CONTENTGEN_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--tls-cert", defaultValue = "${env:CONTENTGEN_TLS_CERT}",
            description = "PEM certificate chain, the node's certificate first (e.g. Let's Encrypt's fullchain.pem): serve https "
                    + "with HTTP/2 and HTTP/1.1 on --port; needs --tls-key (env CONTENTGEN_TLS_CERT; default: plain http).")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:CONTENTGEN_TLS_KEY}",
            description = "The certificate's PEM PKCS#8 private key, unencrypted (e.g. privkey.pem; env CONTENTGEN_TLS_KEY).")
    Path tlsKey;

    @Option(names = "--data-dir", defaultValue = "${env:CONTENTGEN_DATA_DIR:-data}",
            description = "Directory of the SQLite database (env CONTENTGEN_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--formats-dir", defaultValue = "${env:CONTENTGEN_FORMATS_DIR}", paramLabel = "DIR",
            description = "A folder of format files (*.yaml, *.yml, *.json) offered besides the shipped formats; "
                    + "each is checked at start-up (env CONTENTGEN_FORMATS_DIR; default: the shipped formats only).")
    Path formatsDir;

    @Option(names = "--prices", defaultValue = "${env:CONTENTGEN_PRICES}", paramLabel = "FILE",
            description = "A price table (YAML or JSON: per model, USD per million input and output tokens) that gives "
                    + "each job a cost; checked at start-up (env CONTENTGEN_PRICES; default: no costs).")
    Path pricesFile;

    @Option(names = "--db", defaultValue = "${env:CONTENTGEN_DB}",
            description = "The store: empty for SQLite under --data-dir, sqlite:PATH, or "
                    + "postgresql://[user[:password]@]host[:port]/database for several nodes (env CONTENTGEN_DB).")
    String db;

    @Option(names = "--tokens-per-second", defaultValue = "${env:CONTENTGEN_TOKENS_PER_SECOND:-40}",
            description = "Pace of the offline generator; 0 = as fast as possible (env CONTENTGEN_TOKENS_PER_SECOND; default ${DEFAULT-VALUE}).")
    double tokensPerSecond;

    @Option(names = "--heartbeat", defaultValue = "${env:CONTENTGEN_HEARTBEAT:-15s}",
            description = "Keepalive comment interval on idle streams (env CONTENTGEN_HEARTBEAT; default ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--write-timeout", defaultValue = "${env:CONTENTGEN_WRITE_TIMEOUT:-30s}",
            description = "A stream whose client stops reading is closed after a write blocked this long; longer than the "
                    + "heartbeat (env CONTENTGEN_WRITE_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration writeTimeout;

    @Option(names = "--workers", defaultValue = "${env:CONTENTGEN_WORKERS:-8}",
            description = "Jobs this node runs at once; 0 runs none (env CONTENTGEN_WORKERS; default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--db-pool", defaultValue = "${env:CONTENTGEN_DB_POOL:-0}",
            description = "Database connections this node opens at most; 0 picks: on PostgreSQL twice the workers plus 4, "
                    + "10 to " + Config.AUTOMATIC_POSTGRESQL_POOL_CAP + " (env CONTENTGEN_DB_POOL; default ${DEFAULT-VALUE}).")
    int dbPool;

    @Option(names = "--lease", defaultValue = "${env:CONTENTGEN_LEASE:-30s}",
            description = "How long a worker's claim on a job lasts without renewal (env CONTENTGEN_LEASE; default ${DEFAULT-VALUE}).")
    Duration lease;

    @Option(names = "--max-attempts", defaultValue = "${env:CONTENTGEN_MAX_ATTEMPTS:-5}",
            description = "Runs of a job before an interrupted job fails with WORKER_LOST (env CONTENTGEN_MAX_ATTEMPTS; default ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--delta-window", defaultValue = "${env:CONTENTGEN_DELTA_WINDOW:-100ms}",
            description = "At most one artifact.delta event per job per window (env CONTENTGEN_DELTA_WINDOW; default ${DEFAULT-VALUE}).")
    Duration deltaWindow;

    @Option(names = "--commit-window", defaultValue = "${env:CONTENTGEN_COMMIT_WINDOW:-10ms}",
            description = "How long a write may wait for other jobs' writes to share its transaction, when the node expects "
                    + "more soon: fewer commits under load, a few ms more per event; off never waits (env CONTENTGEN_COMMIT_WINDOW; "
                    + "default ${DEFAULT-VALUE}).")
    Duration commitWindow;

    @Option(names = "--head-check", defaultValue = "${env:CONTENTGEN_HEAD_CHECK:-5s}",
            description = "How often the node re-reads the last event of the jobs it streams, in one query, so a lost "
                    + "notification delays a stream by this at most (env CONTENTGEN_HEAD_CHECK; default ${DEFAULT-VALUE}).")
    Duration headCheck;

    @Option(names = "--compact-after", defaultValue = "${env:CONTENTGEN_COMPACT_AFTER:-1h}",
            description = "A finished job's artifact.delta events are dropped this long after it finished; its statuses, "
                    + "progress and final text stay (env CONTENTGEN_COMPACT_AFTER; default ${DEFAULT-VALUE}; off to keep them).")
    Duration compactAfter;

    @Option(names = "--delete-after", defaultValue = "${env:CONTENTGEN_DELETE_AFTER:-off}",
            description = "Finished jobs are deleted this long after they finished (env CONTENTGEN_DELETE_AFTER; default ${DEFAULT-VALUE}).")
    Duration deleteAfter;

    @Option(names = "--idempotency-ttl", defaultValue = "${env:CONTENTGEN_IDEMPOTENCY_TTL:-24h}",
            description = "How long an Idempotency-Key names the job it created (env CONTENTGEN_IDEMPOTENCY_TTL; default ${DEFAULT-VALUE}).")
    Duration idempotencyTtl;

    @Option(names = "--retention-interval", defaultValue = "${env:CONTENTGEN_RETENTION_INTERVAL:-1m}",
            description = "How often a node runs a retention pass (env CONTENTGEN_RETENTION_INTERVAL; default ${DEFAULT-VALUE}).")
    Duration retentionInterval;

    @Option(names = "--provider", defaultValue = "${env:CONTENTGEN_PROVIDER:-offline}",
            description = "LLM provider: offline, openai (also vLLM, llama.cpp, LM Studio with --base-url), ollama, anthropic "
                    + "(env CONTENTGEN_PROVIDER; default ${DEFAULT-VALUE}). Keys: OPENAI_API_KEY, ANTHROPIC_API_KEY.")
    String provider;

    @Option(names = "--model", defaultValue = "${env:CONTENTGEN_MODEL}",
            description = "Default model, e.g. gpt-4o-mini, llama3.2, claude-3-5-haiku-latest (env CONTENTGEN_MODEL).")
    String model;

    @Option(names = "--models", defaultValue = "${env:CONTENTGEN_MODELS}", split = ",",
            description = "Other models jobs may ask for, comma-separated (env CONTENTGEN_MODELS).")
    List<String> models;

    @Option(names = "--base-url", defaultValue = "${env:CONTENTGEN_BASE_URL}",
            description = "The provider's API URL, e.g. http://gpu-box:8000/v1 for vLLM or http://localhost:11434 for Ollama (env CONTENTGEN_BASE_URL).")
    String baseUrl;

    @Option(names = "--first-token-timeout", defaultValue = "${env:CONTENTGEN_FIRST_TOKEN_TIMEOUT:-60s}",
            description = "Longest wait for a provider's first token before the step is retried (env CONTENTGEN_FIRST_TOKEN_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration firstTokenTimeout;

    @Option(names = "--token-gap-timeout", defaultValue = "${env:CONTENTGEN_TOKEN_GAP_TIMEOUT:-30s}",
            description = "Longest silence between two tokens before the step is retried (env CONTENTGEN_TOKEN_GAP_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration tokenGapTimeout;

    @Option(names = "--provider-attempts", defaultValue = "${env:CONTENTGEN_PROVIDER_ATTEMPTS:-5}",
            description = "Calls of one step to a failing provider (429, 5xx, broken stream) before the job fails (env CONTENTGEN_PROVIDER_ATTEMPTS; default ${DEFAULT-VALUE}).")
    int providerAttempts;

    @Option(names = "--auth", defaultValue = "${env:CONTENTGEN_AUTH:-auto}",
            description = "auto: local mode (no keys, loopback names only) while listening on loopback with no key in the store, "
                    + "API keys otherwise; keys: always require a key; none: serve anyone without a key (loud; never on a network) "
                    + "(env CONTENTGEN_AUTH; default ${DEFAULT-VALUE}).")
    String auth;

    @Option(names = "--cors-origin", split = ",", defaultValue = "${env:CONTENTGEN_CORS_ORIGINS}",
            description = "A web app origin (scheme://host[:port]) allowed to call the API and stream with stream tokens; "
                    + "repeatable or comma-separated (env CONTENTGEN_CORS_ORIGINS).")
    List<String> corsOrigins;

    @Option(names = "--stream-token-ttl", defaultValue = "${env:CONTENTGEN_STREAM_TOKEN_TTL:-15m}",
            description = "Lifetime of a stream token (env CONTENTGEN_STREAM_TOKEN_TTL; default ${DEFAULT-VALUE}).")
    Duration streamTokenTtl;

    @Option(names = "--limit-creations-per-minute", defaultValue = "${env:CONTENTGEN_LIMIT_CREATIONS_PER_MINUTE:-60}",
            description = "Jobs one key's owner may create per minute, cluster-wide; 0 = unlimited (env CONTENTGEN_LIMIT_CREATIONS_PER_MINUTE; default ${DEFAULT-VALUE}).")
    int creationsPerMinute;

    @Option(names = "--limit-active-jobs", defaultValue = "${env:CONTENTGEN_LIMIT_ACTIVE_JOBS:-20}",
            description = "Jobs one key's owner may have queued or running at once; 0 = unlimited (env CONTENTGEN_LIMIT_ACTIVE_JOBS; default ${DEFAULT-VALUE}).")
    int activeJobs;

    @Option(names = "--limit-open-streams", defaultValue = "${env:CONTENTGEN_LIMIT_OPEN_STREAMS:-50}",
            description = "Event streams one key's owner may hold open at once; 0 = unlimited (env CONTENTGEN_LIMIT_OPEN_STREAMS; default ${DEFAULT-VALUE}).")
    int openStreams;

    @Option(names = "--max-output-tokens", defaultValue = "${env:CONTENTGEN_MAX_OUTPUT_TOKENS:-4096}",
            description = "Most tokens a provider may write for one step (max_tokens); 0 = the provider's own limit "
                    + "(env CONTENTGEN_MAX_OUTPUT_TOKENS; default ${DEFAULT-VALUE}).")
    int maxOutputTokens;

    @Option(names = "--webhook-allow-private", defaultValue = "${env:CONTENTGEN_WEBHOOK_ALLOW_PRIVATE:-false}", fallbackValue = "true", arity = "0..1",
            description = "Deliver webhooks to loopback, link-local and private addresses too: for local development and tests only, "
                    + "never on a node whose jobs come from others (env CONTENTGEN_WEBHOOK_ALLOW_PRIVATE; default ${DEFAULT-VALUE}).")
    boolean webhookAllowPrivate;

    @Option(names = "--webhook-retry-period", defaultValue = "${env:CONTENTGEN_WEBHOOK_RETRY_PERIOD:-24h}",
            description = "How long a failing webhook delivery is retried, with exponential backoff and jitter "
                    + "(env CONTENTGEN_WEBHOOK_RETRY_PERIOD; default ${DEFAULT-VALUE}).")
    Duration webhookRetryPeriod;

    @Option(names = "--log-format", defaultValue = "${env:CONTENTGEN_LOG_FORMAT:-plain}",
            description = "plain: lines for people; json: one JSON object per line, each stream line's tag, job, reason and "
                    + "counts as fields of their own (env CONTENTGEN_LOG_FORMAT; default ${DEFAULT-VALUE}).")
    String logFormat;

    @Override
    public Integer call() throws InterruptedException {
        try {
            LogFormat.parse(logFormat).apply();
        } catch (IllegalArgumentException e) {
            System.err.println("contentgen: " + e.getMessage());
            return 2;
        }
        LlmConfig llm = LlmConfig.offline()
                .withProvider(provider, model, baseUrl)
                .withModels(models)
                .withKeys(key("OPENAI_API_KEY"), key("ANTHROPIC_API_KEY"))
                .withTimeouts(firstTokenTimeout, tokenGapTimeout, providerAttempts);
        Node node;
        try {
            Config config = Config.defaults().toBuilder()
                    .host(host).port(port).dataDir(dataDir).tokensPerSecond(tokensPerSecond).heartbeat(heartbeat)
                    .workers(workers).lease(lease).maxAttempts(maxAttempts).db(db).deltaWindow(deltaWindow).commitWindow(commitWindow).dbPool(dbPool).llm(llm).headCheck(headCheck)
                    .writeTimeout(writeTimeout)
                    .auth(authSetting()).corsOrigins(corsOrigins == null ? List.of() : corsOrigins).streamTokenTtl(streamTokenTtl)
                    .limits(new Limits(creationsPerMinute, activeJobs, openStreams, maxOutputTokens))
                    .retention(new RetentionPolicy(compactAfter, deleteAfter, idempotencyTtl, retentionInterval))
                    .formatsDir(formatsDir)
                    .pricesFile(pricesFile)
                    .tls(TlsFiles.of(tlsCert, tlsKey))
                    .build();
            node = new Node(config)
                    .webhooks(WebhookSettings.defaults().withAllowPrivate(webhookAllowPrivate).withRetryPeriod(webhookRetryPeriod))
                    .start();
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("contentgen: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            // e.g. the database is unreachable at start: say so plainly instead of a stack trace.
            System.err.println("contentgen: cannot start: " + rootCause(e).getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    private AccessMode.Setting authSetting() {
        return switch (auth.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> AccessMode.Setting.AUTO;
            case "keys" -> AccessMode.Setting.KEYS;
            case "none" -> AccessMode.Setting.NONE;
            default -> throw new IllegalArgumentException("--auth must be auto, keys or none, not '" + auth + "'");
        };
    }

    private static ApiKey key(String variable) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? null : new ApiKey(value.strip());
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
