package dev.contentgen.server.config;

import dev.contentgen.server.store.CreationLimits;

/**
 * What each API key's owner may use at once, across every node of a cluster ({@code 0}: unlimited).
 * Local mode has one trusted owner and no limits; {@code maxOutputTokens} caps every provider call.
 */
public record Limits(int creationsPerMinute, int activeJobs, int openStreams, int maxOutputTokens) {
    public static Limits defaults() {
        return new Limits(60, 20, 50, 4096);
    }

    public CreationLimits creation() {
        return new CreationLimits(creationsPerMinute, activeJobs);
    }

    Limits validated() {
        if (creationsPerMinute < 0 || activeJobs < 0 || openStreams < 0 || maxOutputTokens < 0) {
            throw new IllegalArgumentException("limits must be >= 0 (0 = unlimited)");
        }
        return this;
    }
}
