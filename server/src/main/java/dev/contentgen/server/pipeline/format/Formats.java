package dev.contentgen.server.pipeline.format;

import dev.contentgen.api.Format;
import dev.contentgen.api.FormatList;
import dev.contentgen.api.Length;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The formats this node offers: those shipped in the jar ({@code formats/*.yaml}, listed in
 * {@code formats/shipped.txt}), then an operator's folder. All are read and checked once, at start-up.
 */
public final class Formats {
    private static final Logger log = LoggerFactory.getLogger(Formats.class);

    private final Map<String, FormatSpec> byName;

    private Formats(Map<String, FormatSpec> byName) {
        this.byName = byName;
    }

    /** The shipped formats and, if {@code dir} is given, its {@code *.yaml}, {@code *.yml} and {@code *.json} files. */
    public static Formats load(Path dir, Set<String> offlineWriters) {
        Map<String, FormatSpec> byName = new LinkedHashMap<>();
        for (String name : shippedNames()) {
            FormatSpec spec = FormatFile.read("formats/" + name, resource("formats/" + name), offlineWriters);
            byName.put(spec.name(), spec);
        }
        if (dir != null) {
            Map<String, FormatSpec> added = new LinkedHashMap<>();
            for (Path file : files(dir)) {
                FormatSpec spec = FormatFile.read(file.toString(), read(file), offlineWriters);
                FormatSpec twin = added.put(spec.name(), spec);
                if (twin != null) {
                    throw new FormatFileException(file.toString(), 0, "format '" + spec.name() + "' is also defined in " + twin.source());
                }
                if (byName.containsKey(spec.name())) {
                    log.info("format {} from {} replaces the shipped one", spec.name(), file);
                }
                byName.put(spec.name(), spec);
            }
            log.info("formats: {} from {} added to the shipped ones", added.size(), dir);
        }
        return new Formats(java.util.Collections.unmodifiableMap(byName));
    }

    public Optional<FormatSpec> find(Format format) {
        return Optional.ofNullable(byName.get(format.wireName()));
    }

    /** The format's spec; a job whose format is no longer loaded fails with this message. */
    public FormatSpec require(Format format) {
        return find(format).orElseThrow(() -> new IllegalStateException("format '" + format.wireName()
                + "' is not loaded on this node (loaded: " + String.join(", ", names()) + ")"));
    }

    /** What {@code GET /api/formats} answers. */
    public FormatList listing() {
        return new FormatList(Format.ARTICLE.wireName(), all().stream().map(Formats::entry).toList());
    }

    private static FormatList.Entry entry(FormatSpec spec) {
        Map<String, Integer> parts = new LinkedHashMap<>();
        for (Length length : spec.lengths()) {
            parts.put(length.wireName(), spec.partsFor(length));
        }
        return new FormatList.Entry(spec.name(), spec.label(), spec.description(),
                new FormatList.Options(spec.tones(), spec.lengths(), parts),
                spec.steps().stream().map(s -> new FormatList.StepEntry(s.kind(), s.title(), s.repeat(), s.reads())).toList(),
                new FormatList.AssemblyEntry(spec.assembly().kind(), spec.assembly().title(), spec.assembly().parts()));
    }

    public List<FormatSpec> all() {
        return List.copyOf(byName.values());
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    private static List<String> shippedNames() {
        return resource("formats/shipped.txt").lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new FormatFileException(dir.toString(), 0, "the formats folder does not exist or is not a folder");
        }
        try (Stream<Path> list = Files.list(dir)) {
            List<Path> files = new ArrayList<>(list.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
            }).sorted().toList());
            return files;
        } catch (IOException e) {
            throw new FormatFileException(dir.toString(), 0, "cannot list the formats folder: " + e.getMessage());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FormatFileException(file.toString(), 0, "cannot read the file: " + e.getMessage());
        }
    }

    private static String resource(String name) {
        try (InputStream in = Formats.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name + " in the server jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
