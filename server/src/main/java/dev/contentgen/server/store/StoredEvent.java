package dev.contentgen.server.store;

/** One log entry as stored: its JSON {@code data} is sent to subscribers as it is, never re-encoded. */
public record StoredEvent(String jobId, long seq, String type, String data, boolean terminal) {}
