package dev.contentgen.api;

/** One piece of a job's output (the outline, a section, the article), as far as it has been written. */
public record Artifact(String id, String kind, String title, int step, ArtifactStatus status, String content) {}
