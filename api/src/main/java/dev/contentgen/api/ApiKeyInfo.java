package dev.contentgen.api;

import java.time.Instant;

/**
 * An API key as listed to an operator: never its secret. {@code name} is the owner its jobs
 * belong to; {@code prefix} is the start of the secret, enough to recognise it.
 */
public record ApiKeyInfo(String id, String name, String prefix, boolean admin, Instant createdAt,
                         Instant lastUsedAt, Instant revokedAt) {
    public boolean revoked() {
        return revokedAt != null;
    }
}
