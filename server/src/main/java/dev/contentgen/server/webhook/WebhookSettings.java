package dev.contentgen.server.webhook;

import dev.contentgen.server.time.Backoff;
import java.security.KeyStore;
import java.time.Duration;

/**
 * How a node delivers webhooks.
 *
 * @param allowPrivate  deliver to loopback, link-local and private addresses too (local development, tests)
 * @param retryPeriod   how long a failing delivery is retried, from its first attempt (or its redelivery)
 * @param backoff       the wait after each failed attempt; a longer {@code Retry-After} wins
 * @param poll          how often the worker looks for due deliveries when it found none
 * @param connectTimeout, readTimeout  bounds of one attempt
 * @param maxResponseBytes  how much of an answer is read (the rest is dropped)
 * @param resolver      how webhook hosts are resolved (tests script the answers)
 * @param trustStore    the certificates an https receiver may present, or null for the JDK's CAs (tests trust their own)
 */
public record WebhookSettings(boolean allowPrivate, Duration retryPeriod, Backoff backoff, Duration poll,
                              Duration connectTimeout, Duration readTimeout, int maxResponseBytes, HostResolver resolver,
                              KeyStore trustStore) {
    public static WebhookSettings defaults() {
        return new WebhookSettings(false, Duration.ofHours(24), Backoff.of(Duration.ofSeconds(5), Duration.ofHours(1)),
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), 64 * 1024, HostResolver.SYSTEM, null);
    }

    public WebhookSettings withAllowPrivate(boolean allowPrivate) {
        return new WebhookSettings(allowPrivate, retryPeriod, backoff, poll, connectTimeout, readTimeout, maxResponseBytes, resolver, trustStore);
    }

    public WebhookSettings withRetryPeriod(Duration retryPeriod) {
        return new WebhookSettings(allowPrivate, retryPeriod, backoff, poll, connectTimeout, readTimeout, maxResponseBytes, resolver, trustStore);
    }

    public WebhookSettings withBackoff(Backoff backoff) {
        return new WebhookSettings(allowPrivate, retryPeriod, backoff, poll, connectTimeout, readTimeout, maxResponseBytes, resolver, trustStore);
    }

    public WebhookSettings withPoll(Duration poll) {
        return new WebhookSettings(allowPrivate, retryPeriod, backoff, poll, connectTimeout, readTimeout, maxResponseBytes, resolver, trustStore);
    }

    public WebhookSettings withReadTimeout(Duration readTimeout) {
        return new WebhookSettings(allowPrivate, retryPeriod, backoff, poll, connectTimeout, readTimeout, maxResponseBytes, resolver, trustStore);
    }

    public WebhookSettings withConnectTimeout(Duration connectTimeout) {
        return new WebhookSettings(allowPrivate, retryPeriod, backoff, poll, connectTimeout, readTimeout, maxResponseBytes, resolver, trustStore);
    }

    public WebhookSettings withResolver(HostResolver resolver) {
        return new WebhookSettings(allowPrivate, retryPeriod, backoff, poll, connectTimeout, readTimeout, maxResponseBytes, resolver, trustStore);
    }

    public WebhookSettings withTrustStore(KeyStore trustStore) {
        return new WebhookSettings(allowPrivate, retryPeriod, backoff, poll, connectTimeout, readTimeout, maxResponseBytes, resolver, trustStore);
    }
}
