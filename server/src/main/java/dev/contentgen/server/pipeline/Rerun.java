package dev.contentgen.server.pipeline;

import dev.contentgen.server.pipeline.format.Templates;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which steps a revision runs again: the chosen step, every later step that reads (or takes its
 * title from) an artifact of a step that runs again, and the assembly, which joins them all.
 * The others copy the parent's artifacts.
 */
public final class Rerun {
    private Rerun() {}

    /** The step keys a revision may regenerate: every generating step (the assembly follows from them). */
    public static List<String> choices(List<Step> steps) {
        return steps.stream().filter(s -> !s.isAssembly()).map(Step::key).toList();
    }

    /** The indexes of the steps that run again when {@code chosen} (a key of {@link #choices}) is regenerated. */
    public static Set<Integer> of(List<Step> steps, String chosen) {
        Set<String> changedKinds = new HashSet<>();
        Set<Integer> again = new LinkedHashSet<>();
        for (Step step : steps) {
            if (step.key().equals(chosen) || step.isAssembly() || readsAny(step, changedKinds)) {
                again.add(step.index());
                changedKinds.add(step.kind());
            }
        }
        return again;
    }

    private static boolean readsAny(Step step, Set<String> kinds) {
        if (step.spec().reads().stream().anyMatch(kinds::contains)) {
            return true;
        }
        // A title such as "{{item:outline}}" comes from an earlier artifact too.
        return Templates.placeholders(step.spec().title()).stream()
                .map(name -> name.contains(":") ? name.substring(name.indexOf(':') + 1) : "")
                .anyMatch(kinds::contains);
    }
}
