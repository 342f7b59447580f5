package dev.contentgen.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The contentgen Java SDK: {@code ContentGenClient.builder().baseUrl(uri).build().jobs()}.
 * Thread-safe; share one per application and close it at the end.
 */
public final class ContentGenClient implements AutoCloseable {
    private final Http http;
    private final RetryPolicy retry;
    private final Duration idleTimeout;
    private final ClientListener listener;
    private final Backoff backoff;
    private final IdleWatchdog watchdog = new IdleWatchdog();
    private final ExecutorService executor;
    private final Jobs jobs;
    private final Keys keys;
    private final Webhooks webhooks;
    private final Formats formats;
    private final Usage usage;
    // Weak, so streams a caller forgot to close do not pile up; close() ends the ones still open.
    private final Set<Resumer> streams = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));
    private final Set<ManyJobsResumer> manyStreams = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));

    private ContentGenClient(Builder b) {
        this.retry = b.retry;
        this.idleTimeout = b.idleTimeout;
        this.listener = b.listener;
        this.backoff = new Backoff(retry, new Random());
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .executor(executor)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.http = new Http(b.baseUrl, b.apiKey, client, b.idleTimeout);
        Calls calls = new Calls(http, retry, backoff, listener);
        this.jobs = new Jobs(this, http, calls);
        this.keys = new Keys(http, calls);
        this.webhooks = new Webhooks(http, calls);
        this.formats = new Formats(http, calls);
        this.usage = new Usage(http, calls);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Jobs jobs() {
        return jobs;
    }

    /** The admin API for keys (needs an admin key, or a node in local mode). */
    public Keys keys() {
        return keys;
    }

    /** Jobs' webhook deliveries: list and redeliver. */
    public Webhooks webhooks() {
        return webhooks;
    }

    /** The formats the server offers ({@code GET /api/formats}). */
    public Formats formats() {
        return formats;
    }

    /** The caller's own tokens and cost ({@code GET /api/usage}). */
    public Usage usage() {
        return usage;
    }

    /** The server's base URL, as given. */
    public URI baseUrl() {
        return http.base();
    }

    ManyJobsResumer manyJobsResumer(java.util.Map<String, Long> afterSeqs) {
        ManyJobsResumer resumer = new ManyJobsResumer(http, afterSeqs, retry, backoff, idleTimeout, watchdog, listener);
        manyStreams.add(resumer);
        return resumer;
    }

    Resumer resumer(String jobId, long afterSeq) {
        Resumer resumer = new Resumer(http, jobId, afterSeq, retry, backoff, idleTimeout, watchdog, listener);
        streams.add(resumer);
        return resumer;
    }

    /** Ends every stream still open (their iterations finish), then releases the connections and threads. */
    @Override
    public void close() {
        List<Resumer> open;
        synchronized (streams) {
            open = List.copyOf(streams);
        }
        open.forEach(Resumer::close);
        List<ManyJobsResumer> openMany;
        synchronized (manyStreams) {
            openMany = List.copyOf(manyStreams);
        }
        openMany.forEach(ManyJobsResumer::close);
        watchdog.close();
        http.client().shutdownNow();
        executor.shutdownNow();
    }

    /** Configures a client; only the base URL is required. */
    public static final class Builder {
        private URI baseUrl;
        private String apiKey;
        private RetryPolicy retry = RetryPolicy.defaults();
        private Duration idleTimeout = Duration.ofSeconds(45);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private ClientListener listener = new ClientListener() {};

        private Builder() {}

        /** Where the server is, e.g. {@code http://localhost:8080} (a path prefix is kept). */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** Sent as {@code Authorization: Bearer <key>}; null or blank sends none. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry);
            return this;
        }

        /**
         * How long a stream may go without a byte before it counts as dead and is reconnected; also how
         * long to wait for an answer. Default 45 s: three of the server's default 15 s heartbeats.
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = positive(idleTimeout, "idleTimeout");
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** Receives retries, reconnections and the server's error events, e.g. to show them to a user. */
        public Builder listener(ClientListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        public ContentGenClient build() {
            Objects.requireNonNull(baseUrl, "baseUrl is required, e.g. http://localhost:8080");
            String scheme = baseUrl.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || baseUrl.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must be an http:// or https:// URL with a host, not '" + baseUrl + "'");
            }
            return new ContentGenClient(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
