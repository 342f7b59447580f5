package dev.contentgen.api;

import java.time.Instant;

/** A short-lived, read-only token for one job's event stream ({@code ?token=}), for clients that cannot send headers. */
public record StreamToken(String jobId, String token, Instant expiresAt) {}
