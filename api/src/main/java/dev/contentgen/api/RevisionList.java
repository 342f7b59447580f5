package dev.contentgen.api;

import java.util.List;

/** A piece's revision history ({@code GET /api/jobs/{id}/revisions}): its first job, then every revision in order. */
public record RevisionList(String revisionOf, List<Job> revisions) {}
