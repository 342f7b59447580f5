package dev.contentgen.api;

/** A stream-level `event: error`: not part of the job's log, so it carries no id. */
public record StreamError(ErrorCode code, String message, boolean retryable) {}
