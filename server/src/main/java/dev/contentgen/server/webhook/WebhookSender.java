package dev.contentgen.server.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Makes one signed POST of a delivery, with bounded timeouts and a bounded read of the answer. The
 * host is resolved and checked by {@link CheckedResolver} when a connection is opened, and the
 * connection goes to those addresses: the name is never resolved a second time.
 */
final class WebhookSender implements AutoCloseable {
    /** An answer (its status and any Retry-After), or the error that stopped the attempt; {@code refused}: by the address policy. */
    record Result(Integer status, Optional<Duration> retryAfter, String error, boolean refused) {
        static Result failed(String error) {
            return new Result(null, Optional.empty(), error, false);
        }

        static Result refused(String reason) {
            return new Result(null, Optional.empty(), "refused: " + reason, true);
        }
    }

    private final HttpClient client;
    private final WebhookSettings settings;
    private final Clock clock;

    WebhookSender(WebhookSettings settings, AddressPolicy policy, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        QueuedThreadPool threads = new QueuedThreadPool(8, 1);
        threads.setName("webhook-client");
        threads.setDaemon(true);
        client = new HttpClient();
        client.setExecutor(threads);
        client.setSocketAddressResolver(new CheckedResolver(settings.resolver(), policy));
        client.setConnectTimeout(settings.connectTimeout().toMillis());
        // Redirects are not followed: a 3xx could lead to an address the policy refuses.
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "contentgen-webhooks"));
        client.setIdleTimeout(30_000);
        SslContextFactory.Client tls = new SslContextFactory.Client();
        // The certificate must name the URL's host: the connection's address came from our resolver, the name did not change.
        tls.setEndpointIdentificationAlgorithm("HTTPS");
        if (settings.trustStore() != null) {
            tls.setTrustStore(settings.trustStore());
        }
        client.setSslContextFactory(tls);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the webhook HTTP client did not start: " + e.getMessage(), e);
        }
    }

    Result send(URI url, String id, long timestampSeconds, String signature, String body) {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        // One bound for the whole exchange, connecting and a slowly trickled answer included.
        Duration bound = settings.connectTimeout().plus(settings.readTimeout());
        Request request = client.newRequest(url).method(HttpMethod.POST)
                .timeout(bound.toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> h.put("webhook-id", id).put("webhook-timestamp", Long.toString(timestampSeconds))
                        .put("webhook-signature", signature))
                .body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8));
        request.send(listener);
        try {
            Response response = listener.get(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
            try (InputStream in = listener.getInputStream()) {
                // A bounded read; closing the stream drops the rest.
                in.readNBytes(settings.maxResponseBytes());
            }
            return new Result(response.getStatus(), Optional.ofNullable(response.getHeaders().get(HttpHeader.RETRY_AFTER)).flatMap(this::retryAfter),
                    null, false);
        } catch (TimeoutException e) {
            request.abort(e);
            return Result.failed("timed out: no answer within " + settings.readTimeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            return failure(e.getCause());
        } catch (IOException e) {
            return failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            return Result.failed("interrupted: the node is stopping");
        }
    }

    private static Result failure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CheckedResolver.Refused refused) {
                return Result.refused(refused.getMessage());
            }
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return Result.failed("timed out: " + t.getMessage());
            }
        }
        return Result.failed(cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }

    /** Seconds, or an HTTP date. */
    private Optional<Duration> retryAfter(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (RuntimeException unreadable) {
                return Optional.empty();
            }
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // Stopping only closes idle connections and threads; nothing is lost if it fails.
            org.slf4j.LoggerFactory.getLogger(WebhookSender.class).warn("the webhook HTTP client did not stop cleanly: {}", e.getMessage());
        }
    }
}
