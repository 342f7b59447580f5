package dev.contentgen.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The formats a server offers ({@code GET /api/formats}): each with its options, steps and assembly. */
public record FormatList(String defaultFormat, List<Entry> formats) {

    /** One format as clients see it. */
    public record Entry(String name, String label, String description, Options options, List<StepEntry> steps,
                        AssemblyEntry assembly) {}

    /** The tones and lengths the format takes; {@code parts} is how often its repeated step runs, by length. */
    public record Options(List<Tone> tones, List<Length> lengths, Map<String, Integer> parts) {}

    /** A generating step: the artifact kind it writes, whether it repeats per part, the kinds it reads. */
    public record StepEntry(String kind, String title, boolean repeat, List<String> reads) {}

    /** How the final piece is built: the artifact kind of the result and the kinds it joins, in order. */
    public record AssemblyEntry(String kind, String title, List<String> parts) {}

    public Optional<Entry> find(String name) {
        return formats.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public List<String> names() {
        return formats.stream().map(Entry::name).toList();
    }
}
