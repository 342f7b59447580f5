package dev.contentgen.server.store;

/**
 * Where a job's webhooks go: {@code steps} adds a delivery per completed step to the one for the
 * terminal status; {@code secret} ({@code whsec_…}) signs them.
 */
public record WebhookEndpoint(String url, boolean steps, String secret) {
    @Override
    public String toString() {
        // The secret never reaches a log line, even by accident.
        return "WebhookEndpoint[url=" + url + ", steps=" + steps + "]";
    }
}
