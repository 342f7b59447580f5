package dev.contentgen.server.pipeline;

/**
 * One step of a job's pipeline: {@code index} is 0-based and also the checkpoint number;
 * {@code part} is the section number (1-based) for sections, else 0.
 */
public record Step(int index, StepKind kind, int part, String label) {
    public String key() {
        return part == 0 ? kind.artifactKind() : kind.artifactKind() + "-" + part;
    }
}
