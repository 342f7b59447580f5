package dev.contentgen.api;

/**
 * Who the caller is, as {@code GET /api/session} tells the web UI: {@code mode} is {@code local}
 * (no keys: a single local owner) or {@code keys}; {@code owner} is null until signed in.
 */
public record Session(String mode, String owner, boolean admin) {}
