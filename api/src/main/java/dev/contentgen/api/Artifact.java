package dev.contentgen.api;

/**
 * One piece of a job's output (the outline, a section, the article), as far as it has been written;
 * {@code usage} is what its step used, once it completed (null when no provider reported any).
 */
public record Artifact(String id, String kind, String title, int step, ArtifactStatus status, String content, StepUsage usage) {
    public Artifact(String id, String kind, String title, int step, ArtifactStatus status, String content) {
        this(id, kind, title, step, status, content, null);
    }
}
