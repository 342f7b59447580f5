package dev.contentgen.api;

/**
 * Where a revision sits in its piece's history: {@code parentId} is the job it was regenerated from,
 * {@code revisionOf} the piece's first job (the root of every revision), {@code number} its place
 * (1, 2, … in the order they were asked for; the root is 0), {@code step} the step it regenerated
 * (e.g. {@code section-2}) and {@code instruction} what it was asked to change (null: none).
 */
public record JobRevision(String parentId, String revisionOf, int number, String step, String instruction) {}
