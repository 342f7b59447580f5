package dev.contentgen.server.pipeline.format;

import dev.contentgen.api.Format;
import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import java.util.List;
import java.util.Map;

/**
 * A format as its file defines it: the steps that generate artifacts, in order, and the assembly
 * that builds the final piece from them. {@code parts} is how often a repeated step runs, by length.
 */
public record FormatSpec(Format format, String label, String description, List<Tone> tones, List<Length> lengths,
                         Map<Length, Integer> parts, List<StepSpec> steps, AssemblySpec assembly, String source) {

    /**
     * One generating step. {@code title} and {@code label} are templates ({@code {{item:outline}}} is
     * the part-th numbered line of the outline); {@code reads} names the earlier artifacts the prompt
     * sees; {@code offline} names the offline generator's writer for it.
     */
    public record StepSpec(String kind, String title, String fallbackTitle, String label, String prompt,
                           List<String> reads, boolean repeat, String offline) {}

    /** How the final piece is built: the listed artifacts in order, repeated ones under a "## title" heading. */
    public record AssemblySpec(String kind, String title, String label, List<String> parts) {}

    public String name() {
        return format.wireName();
    }

    public int partsFor(Length length) {
        return parts.getOrDefault(length, length.sections());
    }
}
