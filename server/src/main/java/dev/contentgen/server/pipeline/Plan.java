package dev.contentgen.server.pipeline;

import dev.contentgen.api.JobRequest;
import dev.contentgen.server.pipeline.format.FormatSpec;
import dev.contentgen.server.pipeline.format.FormatSpec.StepSpec;
import dev.contentgen.server.pipeline.format.Templates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The list of steps for a job: its format's steps (repeated ones once per part of its length), then the assembly. */
public final class Plan {
    private Plan() {}

    public static List<Step> of(JobRequest request, FormatSpec format) {
        List<Step> steps = new ArrayList<>();
        int parts = format.partsFor(request.length());
        for (StepSpec spec : format.steps()) {
            if (spec.repeat()) {
                for (int i = 1; i <= parts; i++) {
                    steps.add(new Step(steps.size(), spec.kind(), i, parts, label(spec.label(), request, i, parts), format));
                }
            } else {
                steps.add(new Step(steps.size(), spec.kind(), 0, 0, label(spec.label(), request, 0, 0), format));
            }
        }
        steps.add(new Step(steps.size(), format.assembly().kind(), 0, 0, label(format.assembly().label(), request, 0, 0), format));
        return List.copyOf(steps);
    }

    private static String label(String template, JobRequest request, int part, int parts) {
        return Templates.fill(template, Map.of("topic", request.topic(), "part", Integer.toString(part),
                "parts", Integer.toString(parts)), "label");
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
