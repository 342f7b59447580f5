package dev.contentgen.server.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** Makes one signed POST of a delivery, with bounded timeouts and a bounded read of the answer. */
final class WebhookSender {
    /** An answer (its status and any Retry-After), or the error that stopped the attempt. */
    record Result(Integer status, Optional<Duration> retryAfter, String error) {}

    private final HttpClient client;
    private final WebhookSettings settings;
    private final Clock clock;

    WebhookSender(WebhookSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        // Redirects are not followed: a 3xx could lead to an address the policy refuses.
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Result send(URI url, String id, long timestampSeconds, String signature, String body) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(settings.readTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "contentgen-webhooks")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestampSeconds))
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                // Read a bounded amount so the connection can be reused; the rest is dropped with the close.
                in.readNBytes(settings.maxResponseBytes());
            }
            return new Result(response.statusCode(), response.headers().firstValue("Retry-After").flatMap(this::retryAfter), null);
        } catch (HttpTimeoutException e) {
            return new Result(null, Optional.empty(), "timed out: " + e.getMessage());
        } catch (IOException e) {
            return new Result(null, Optional.empty(), e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(null, Optional.empty(), "interrupted: the node is stopping");
        }
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
}
