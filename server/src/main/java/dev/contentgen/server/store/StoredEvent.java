package dev.contentgen.server.store;

/**
 * One log entry as stored: its JSON {@code data} is sent to subscribers as it is, never re-encoded.
 * {@code createdAtMillis} is the row's {@code created_at}, taken in the appending transaction: streams measure
 * their delivery lag from it.
 */
public record StoredEvent(String jobId, long seq, String type, String data, boolean terminal, long createdAtMillis) {}
