package dev.contentgen.server.pipeline;

import dev.contentgen.api.JobRequest;
import dev.contentgen.server.store.ClaimedJob.FinishedArtifact;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Titles of steps and the final article/thread, built from the artifacts of earlier steps. */
final class Assembly {
    private static final Pattern OUTLINE_ITEM = Pattern.compile("^\\s*\\d+[.)]\\s+(?:\\*\\*)?(.+?)(?:\\*\\*)?(?:\\s+[—-]\\s+.*)?$");
    private static final Pattern HEADING = Pattern.compile("^#\\s+(.+)$");

    private Assembly() {}

    static String titleFor(Step step, JobRequest request, List<FinishedArtifact> finished) {
        return switch (step.kind()) {
            case OUTLINE -> "Outline";
            case SECTION -> sectionTitle(step.part(), finished);
            case SUMMARY -> "Title and summary";
            case ARTICLE -> find(finished, "summary").map(Assembly::headingOf).orElse(request.topic());
            case HOOK -> "Hook";
            case POSTS -> "Thread";
            case THREAD -> "Thread: " + request.topic();
        };
    }

    /** The section's title as the outline named it; the sections see the outline. */
    private static String sectionTitle(int part, List<FinishedArtifact> finished) {
        String outline = find(finished, "outline").map(FinishedArtifact::content).orElse("");
        int seen = 0;
        for (String line : outline.split("\n")) {
            Matcher m = OUTLINE_ITEM.matcher(line);
            if (m.matches() && ++seen == part) {
                return m.group(1).strip();
            }
        }
        return "Section " + part;
    }

    static String assemble(StepKind kind, List<FinishedArtifact> finished) {
        StringBuilder out = new StringBuilder();
        if (kind == StepKind.ARTICLE) {
            find(finished, "summary").ifPresent(s -> out.append(s.content().strip()).append("\n\n"));
            finished.stream().filter(a -> a.kind().equals("section")).forEach(s ->
                    out.append("## ").append(s.title()).append("\n\n").append(s.content().strip()).append("\n\n"));
        } else {
            find(finished, "hook").ifPresent(h -> out.append(h.content().strip()).append("\n\n"));
            find(finished, "posts").ifPresent(p -> out.append(p.content().strip()).append("\n\n"));
        }
        return out.toString().strip() + "\n";
    }

    private static java.util.Optional<FinishedArtifact> find(List<FinishedArtifact> finished, String kind) {
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
