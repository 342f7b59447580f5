package dev.contentgen.server.pipeline;

import dev.contentgen.api.JobRequest;
import java.util.ArrayList;
import java.util.List;

/** The fixed list of steps for a job's format and length. */
public final class Plan {
    private Plan() {}

    public static List<Step> of(JobRequest request) {
        List<Step> steps = new ArrayList<>();
        switch (request.format()) {
            case ARTICLE -> {
                steps.add(new Step(0, StepKind.OUTLINE, 0, "Outlining the article"));
                int sections = request.length().sections();
                for (int i = 1; i <= sections; i++) {
                    steps.add(new Step(steps.size(), StepKind.SECTION, i, "Writing section " + i + " of " + sections));
                }
                steps.add(new Step(steps.size(), StepKind.SUMMARY, 0, "Writing the title and summary"));
                steps.add(new Step(steps.size(), StepKind.ARTICLE, 0, "Assembling the article"));
            }
            case SOCIAL_THREAD -> {
                steps.add(new Step(0, StepKind.HOOK, 0, "Writing the hook"));
                steps.add(new Step(1, StepKind.POSTS, 0, "Writing the thread"));
                steps.add(new Step(2, StepKind.THREAD, 0, "Assembling the thread"));
            }
        }
        return List.copyOf(steps);
    }

    /** Posts in a social thread, by length. */
    public static int threadPosts(JobRequest request) {
        return switch (request.length()) {
            case SHORT -> 4;
            case MEDIUM -> 6;
            case LONG -> 8;
        };
    }
}
