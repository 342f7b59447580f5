package dev.contentgen.api;

/** A key just created: the only time its {@code secret} is ever shown. */
public record NewApiKey(ApiKeyInfo key, String secret) {}
