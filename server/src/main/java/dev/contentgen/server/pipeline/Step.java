package dev.contentgen.server.pipeline;

import dev.contentgen.server.pipeline.format.FormatSpec;
import dev.contentgen.server.pipeline.format.FormatSpec.StepSpec;

/**
 * One step of a job's pipeline: {@code index} is 0-based and also the checkpoint number;
 * {@code kind} is the artifact kind it writes; {@code part} is the repetition (1-based, of
 * {@code parts}) for a repeated step such as a section, else 0.
 */
public record Step(int index, String kind, int part, int parts, String label, FormatSpec format) {
    public String key() {
        return part == 0 ? kind : kind + "-" + part;
    }

    /** The last step, which builds the final piece from earlier artifacts instead of generating. */
    public boolean isAssembly() {
        return kind.equals(format.assembly().kind());
    }

    /** What the format file says of this generating step. */
    public StepSpec spec() {
        return format.steps().stream().filter(s -> s.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the assembly step " + kind + " has no step spec"));
    }

    public boolean repeated() {
        return part > 0;
    }
}
