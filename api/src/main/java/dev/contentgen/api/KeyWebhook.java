package dev.contentgen.api;

import java.util.List;

/**
 * A key's default webhook ({@code /api/keys/{id}/webhook}): jobs created with the key that name no
 * webhook get a copy. {@code webhook} is null when the key has none; its {@code secret} is set only
 * in the answer that set it.
 */
public record KeyWebhook(String keyId, Endpoint webhook) {
    public record Endpoint(String url, List<String> events, String secret) {
        @Override
        public String toString() {
            // The secret never reaches a log line, even by accident.
            return "Endpoint[url=" + url + ", events=" + events + "]";
        }
    }
}
