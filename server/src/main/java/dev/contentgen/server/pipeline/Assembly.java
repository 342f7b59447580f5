package dev.contentgen.server.pipeline;

import dev.contentgen.api.JobRequest;
import dev.contentgen.server.pipeline.format.FormatSpec;
import dev.contentgen.server.pipeline.format.Templates;
import dev.contentgen.server.store.ClaimedJob.FinishedArtifact;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Titles of steps and the final piece, built from the artifacts of earlier steps as the format file says. */
final class Assembly {
    private static final Pattern OUTLINE_ITEM = Pattern.compile("^\\s*\\d+[.)]\\s+(?:\\*\\*)?(.+?)(?:\\*\\*)?(?:\\s+[—-]\\s+.*)?$");
    private static final Pattern HEADING = Pattern.compile("^#\\s+(.+)$");

    private Assembly() {}

    /**
     * The step's title template filled in: {@code {{item:K}}} is the part-th numbered line of
     * artifact K (the first for a step that does not repeat; else the fallback title, or the topic
     * for the assembly), {@code {{heading:K}}} its "# heading" (else its title, or the topic when
     * there is no K).
     */
    static String titleFor(Step step, JobRequest request, List<FinishedArtifact> finished) {
        Map<String, String> plain = Map.of("topic", request.topic(), "part", Integer.toString(step.part()),
                "parts", Integer.toString(step.parts()));
        String template = step.isAssembly() ? step.format().assembly().title() : step.spec().title();
        return Templates.fill(template, name -> {
            if (name.startsWith("item:")) {
                return item(find(finished, name.substring(5)), Math.max(step.part(), 1))
                        .orElseGet(() -> step.isAssembly() ? request.topic()
                                : Templates.fill(step.spec().fallbackTitle(), plain, "fallbackTitle"));
            }
            if (name.startsWith("heading:")) {
                return find(finished, name.substring(8)).map(Assembly::headingOf).orElse(request.topic());
            }
            return plain.get(name);
        }, name -> "title uses an unknown placeholder {{" + name + "}}").strip();
    }

    private static Optional<String> item(Optional<FinishedArtifact> list, int part) {
        int seen = 0;
        for (String line : list.map(FinishedArtifact::content).orElse("").split("\n")) {
            Matcher m = OUTLINE_ITEM.matcher(line);
            if (m.matches() && ++seen == part) {
                return Optional.of(m.group(1).strip());
            }
        }
        return Optional.empty();
    }

    /** The final piece: each listed artifact in order; a repeated step's artifacts each under a "## title" heading. */
    static String assemble(FormatSpec format, List<FinishedArtifact> finished) {
        StringBuilder out = new StringBuilder();
        for (String kind : format.assembly().parts()) {
            boolean repeated = format.steps().stream().anyMatch(s -> s.kind().equals(kind) && s.repeat());
            finished.stream().filter(a -> a.kind().equals(kind)).forEach(a -> {
                if (repeated) {
                    out.append("## ").append(a.title()).append("\n\n");
                }
                out.append(a.content().strip()).append("\n\n");
            });
        }
        return out.toString().strip() + "\n";
    }

    /** An earlier artifact's text as a prompt sees it: a repeated step's artifacts joined under their headings. */
    static String readable(FormatSpec format, String kind, List<FinishedArtifact> finished) {
        boolean repeated = format.steps().stream().anyMatch(s -> s.kind().equals(kind) && s.repeat());
        if (!repeated) {
            return find(finished, kind).map(a -> a.content().strip()).orElse("");
        }
        StringBuilder out = new StringBuilder();
        finished.stream().filter(a -> a.kind().equals(kind)).forEach(a ->
                out.append(out.isEmpty() ? "" : "\n\n").append("## ").append(a.title()).append("\n\n").append(a.content().strip()));
        return out.toString();
    }

    private static Optional<FinishedArtifact> find(List<FinishedArtifact> finished, String kind) {
        return finished.stream().filter(a -> a.kind().equals(kind)).findFirst();
    }

    private static String headingOf(FinishedArtifact summary) {
        for (String line : summary.content().split("\n")) {
            Matcher m = HEADING.matcher(line.strip());
            if (m.matches()) {
                return m.group(1).strip();
            }
        }
        return summary.title();
    }
}
