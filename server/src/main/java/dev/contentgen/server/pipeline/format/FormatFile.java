package dev.contentgen.server.pipeline.format;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.contentgen.api.Format;
import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import dev.contentgen.server.pipeline.format.FormatSpec.AssemblySpec;
import dev.contentgen.server.pipeline.format.FormatSpec.StepSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads one format file (YAML, or JSON, which is YAML too) and checks it whole: every error names
 * the file and the line, so an operator fixes it before the node starts.
 */
public final class FormatFile {
    /** Placeholders every prompt may use; the kinds a step {@code reads} add to them. */
    public static final Set<String> PROMPT_VALUES = Set.of("topic", "tone", "length", "format", "sectionCount",
            "wordsPerSection", "postCount", "sectionNumber", "sectionTitle", "part", "parts");
    private static final Set<String> LABEL_VALUES = Set.of("topic", "part", "parts");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    record RawFormat(@JsonProperty(required = true) String name, @JsonProperty(required = true) String label,
                     String description, RawOptions options, @JsonProperty(required = true) List<RawStep> steps,
                     @JsonProperty(required = true) RawAssembly assemble) {}

    record RawOptions(List<String> tones, List<String> lengths, Map<String, Integer> parts) {}

    record RawStep(@JsonProperty(required = true) String kind, @JsonProperty(required = true) String title,
                   String fallbackTitle, @JsonProperty(required = true) String label, @JsonProperty(required = true) String prompt,
                   List<String> reads, Boolean repeat, String offline) {}

    record RawAssembly(@JsonProperty(required = true) String kind, @JsonProperty(required = true) String title,
                       @JsonProperty(required = true) String label, @JsonProperty(required = true) List<String> parts) {}

    private final String file;
    private final Map<String, Integer> lines;
    private final Set<String> offlineWriters;

    private FormatFile(String file, Map<String, Integer> lines, Set<String> offlineWriters) {
        this.file = file;
        this.lines = lines;
        this.offlineWriters = offlineWriters;
    }

    /** The format {@code text} defines; {@code offlineWriters} are the writers a step's {@code offline} may name. */
    public static FormatSpec read(String file, String text, Set<String> offlineWriters) {
        RawFormat raw;
        try {
            raw = YAML.readValue(text, RawFormat.class);
        } catch (JsonMappingException e) {
            // Records are bound through their constructor, so the parser may have read on past the culprit:
            // the line comes from the path of the field at fault where there is one.
            Map<String, Integer> lines = lineIndex(text);
            StringBuilder pointer = new StringBuilder();
            for (JsonMappingException.Reference ref : e.getPath()) {
                pointer.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : Integer.toString(ref.getIndex()));
            }
            Integer line = lines.get(pointer.toString());
            JsonLocation at = e.getLocation();
            throw new FormatFileException(file, line != null ? line : at == null ? 0 : at.getLineNr(), e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new FormatFileException(file, at == null ? 0 : at.getLineNr(), e.getOriginalMessage());
        }
        if (raw == null) {
            throw new FormatFileException(file, 1, "the file is empty");
        }
        return new FormatFile(file, lineIndex(text), offlineWriters).check(raw);
    }

    /** The line of each value by its JSON pointer ("/steps/2/reads/0"), for errors found after binding. */
    private static Map<String, Integer> lineIndex(String text) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    continue;
                }
                lines.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
                if (t.isStructStart()) {
                    // A container's own pointer is its parent's path plus its field name or index.
                    lines.putIfAbsent(p.getParsingContext().getParent() == null ? ""
                            : p.getParsingContext().getParent().pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException e) {
            // Broken further on: the lines read so far still place errors before that point.
            return lines;
        }
        return lines;
    }

    private FormatFileException error(String pointer, String problem) {
        String p = pointer;
        while (!lines.containsKey(p) && p.contains("/")) {
            p = p.substring(0, p.lastIndexOf('/'));
        }
        return new FormatFileException(file, lines.getOrDefault(p, 0), problem);
    }

    private FormatSpec check(RawFormat raw) {
        Format format = Format.parse(raw.name()).filter(f -> f.wireName().equals(raw.name()))
                .orElseThrow(() -> error("/name", "name '" + raw.name() + "' must be lowercase words joined by hyphens, such as blog-post"));
        nonBlank("/label", "label", raw.label());
        RawOptions options = raw.options() == null ? new RawOptions(null, null, null) : raw.options();
        List<Tone> tones = options.tones() == null ? List.of(Tone.values())
                : choices("/options/tones", options.tones(), Tone::parse, Tone.values(), Tone::wireName);
        List<Length> lengths = options.lengths() == null ? List.of(Length.values())
                : choices("/options/lengths", options.lengths(), Length::parse, Length.values(), Length::wireName);
        Map<Length, Integer> parts = new EnumMap<>(Length.class);
        if (options.parts() != null) {
            options.parts().forEach((name, count) -> {
                Length length = Length.parse(name).orElseThrow(() -> error("/options/parts/" + name,
                        "unknown length '" + name + "' in parts; use short, medium or long"));
                if (count == null || count < 1 || count > 20) {
                    throw error("/options/parts/" + name, "parts for " + name + " must be a number from 1 to 20");
                }
                parts.put(length, count);
            });
        }
        if (raw.steps().isEmpty()) {
            throw error("/steps", "a format needs at least one step");
        }
        Set<String> kinds = new HashSet<>();
        List<StepSpec> steps = new ArrayList<>();
        for (int i = 0; i < raw.steps().size(); i++) {
            steps.add(step("/steps/" + i, raw.steps().get(i), kinds));
        }
        return new FormatSpec(format, raw.label().strip(), raw.description() == null ? raw.label().strip() : raw.description().strip(),
                tones, lengths, Map.copyOf(parts), List.copyOf(steps), assembly(raw.assemble(), kinds), file);
    }

    private StepSpec step(String at, RawStep raw, Set<String> earlier) {
        String kind = kind(at + "/kind", raw.kind(), earlier);
        List<String> reads = raw.reads() == null ? List.of() : List.copyOf(raw.reads());
        for (int i = 0; i < reads.size(); i++) {
            if (!earlier.contains(reads.get(i))) {
                throw error(at + "/reads/" + i, "step '" + kind + "' reads '" + reads.get(i)
                        + "', which no earlier step writes (earlier: " + String.join(", ", earlier) + ")");
            }
        }
        Set<String> promptValues = new HashSet<>(PROMPT_VALUES);
        promptValues.addAll(reads);
        nonBlank(at + "/prompt", "prompt", raw.prompt());
        placeholders(at + "/prompt", raw.prompt(), name -> promptValues.contains(name),
                "known here: " + String.join(", ", promptValues.stream().sorted().toList())
                        + " (an earlier artifact's kind works once the step lists it under reads)");
        title(at + "/title", raw.title(), earlier);
        title(at + "/fallbackTitle", raw.fallbackTitle(), Set.of());
        label(at + "/label", raw.label());
        String offline = raw.offline() == null ? "section" : raw.offline();
        if (!offlineWriters.contains(offline)) {
            throw error(at + "/offline", "unknown offline writer '" + offline + "'; use one of: "
                    + String.join(", ", offlineWriters.stream().sorted().toList()));
        }
        earlier.add(kind);
        return new StepSpec(kind, raw.title().strip(), raw.fallbackTitle() == null ? "Part {{part}}" : raw.fallbackTitle().strip(),
                raw.label().strip(), raw.prompt().strip(), reads, Boolean.TRUE.equals(raw.repeat()), offline);
    }

    private AssemblySpec assembly(RawAssembly raw, Set<String> written) {
        String kind = kind("/assemble/kind", raw.kind(), written);
        title("/assemble/title", raw.title(), written);
        label("/assemble/label", raw.label());
        if (raw.parts().isEmpty()) {
            throw error("/assemble/parts", "assemble needs at least one part");
        }
        for (int i = 0; i < raw.parts().size(); i++) {
            if (!written.contains(raw.parts().get(i))) {
                throw error("/assemble/parts/" + i, "assemble uses '" + raw.parts().get(i) + "', which no step writes (steps: "
                        + String.join(", ", written) + ")");
            }
        }
        return new AssemblySpec(kind, raw.title().strip(), raw.label().strip(), List.copyOf(raw.parts()));
    }

    private String kind(String at, String kind, Set<String> taken) {
        if (Format.parse(kind).filter(f -> f.wireName().equals(kind)).isEmpty()) {
            throw error(at, "kind '" + kind + "' must be lowercase words joined by hyphens, such as seo-pack");
        }
        if (taken.contains(kind)) {
            throw error(at, "kind '" + kind + "' is used by an earlier step; each step writes its own kind");
        }
        return kind;
    }

    private void title(String at, String template, Set<String> earlier) {
        if (template == null) {
            return;
        }
        nonBlank(at, "title", template);
        placeholders(at, template, name -> LABEL_VALUES.contains(name)
                        || (name.startsWith("item:") || name.startsWith("heading:")) && earlier.contains(name.substring(name.indexOf(':') + 1)),
                "known here: topic, part, parts, item:KIND and heading:KIND for an earlier step's KIND");
    }

    private void label(String at, String template) {
        nonBlank(at, "label", template);
        placeholders(at, template, LABEL_VALUES::contains, "known here: topic, part, parts");
    }

    private void placeholders(String at, String template, java.util.function.Predicate<String> known, String hint) {
        for (String name : Templates.placeholders(template)) {
            if (!known.test(name)) {
                throw error(at, "unknown placeholder {{" + name + "}}; " + hint);
            }
        }
    }

    private void nonBlank(String at, String field, String value) {
        if (value == null || value.isBlank()) {
            throw error(at, field + " must not be blank");
        }
    }

    private <T> List<T> choices(String at, List<String> names, Function<String, java.util.Optional<T>> parse, T[] all,
                                Function<T, String> wire) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            out.add(parse.apply(name).orElseThrow(() -> error(at, "unknown option '" + name + "'; use "
                    + String.join(", ", Arrays.stream(all).map(wire).toList()))));
        }
        if (out.isEmpty()) {
            throw error(at, "list at least one option, or leave the list out for all of them");
        }
        return List.copyOf(out);
    }
}
