package dev.contentgen.api;

/** What {@code POST /api/jobs/{id}/regenerate} asks for: the step to write again, and optionally how ("shorter"). */
public record RegenerateRequest(String step, String instruction) {
    public static final int MAX_INSTRUCTION_LENGTH = 500;

    public RegenerateRequest(String step) {
        this(step, null);
    }
}
