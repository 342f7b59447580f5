package dev.contentgen.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Format;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import dev.contentgen.server.pipeline.format.FormatSpec;
import dev.contentgen.server.pipeline.format.Formats;
import dev.contentgen.server.store.ClaimedJob.FinishedArtifact;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every step's prompt resource renders with the values it names, and sees what it needs of earlier steps. */
class PromptsTest {
    final Prompts prompts = new Prompts();
    final Formats formats = Formats.load(null, OfflineProvider.WRITERS);

    @Test
    void everyStepOfEveryFormatRendersWithoutUnknownPlaceholders() {
        for (FormatSpec spec : formats.all()) {
            Format format = spec.format();
            JobRequest request = new JobRequest("Why SSE streams die", format, Tone.PLAYFUL, Length.LONG);
            List<FinishedArtifact> earlier = new ArrayList<>();
            for (Step step : Plan.of(request, spec)) {
                if (step.isAssembly()) {
                    continue;
                }
                String title = Assembly.titleFor(step, request, earlier);
                Prompts.Rendered r = prompts.render(new StepPrompt(request, step, title, List.copyOf(earlier), "m"));
                assertThat(r.user()).as("%s %s", format, step.key()).contains("Why SSE streams die").doesNotContain("{{");
                assertThat(r.system()).contains("Tone: playful");
                earlier.add(new FinishedArtifact(step.index(), step.kind(), title,
                        OfflineProvider.write(new StepPrompt(request, step, title, List.copyOf(earlier), "m"))));
            }
        }
    }

    @Test
    void aSectionSeesTheOutlineAndItsOwnTitleAndTheSummarySeesTheSections() {
        JobRequest request = new JobRequest("Tides", Format.ARTICLE, Tone.NEUTRAL, Length.SHORT);
        List<Step> steps = Plan.of(request, formats.require(request.format()));
        FinishedArtifact outline = new FinishedArtifact(0, "outline", "Outline",
                "1. The moon — pulls\n2. The sun — helps\n3. Coasts — shape it\n");
        String title = Assembly.titleFor(steps.get(2), request, List.of(outline));
        assertThat(title).isEqualTo("The sun");
        String section = prompts.render(new StepPrompt(request, steps.get(2), title, List.of(outline), "m")).user();
        assertThat(section).contains("2. The sun — helps", "section 2 of 3", "\"The sun\"", "about 90 words");

        FinishedArtifact s1 = new FinishedArtifact(1, "section", "The moon", "Moon text.");
        String summary = prompts.render(new StepPrompt(request, steps.get(4), "Title and summary", List.of(outline, s1), "m")).user();
        assertThat(summary).contains("## The moon", "Moon text.", "# The title");
    }

    @Test
    void theThreadPostsSeeTheHook() {
        JobRequest request = new JobRequest("Tides", Format.SOCIAL_THREAD, Tone.NEUTRAL, Length.MEDIUM);
        Step posts = Plan.of(request, formats.require(request.format())).get(1);
        FinishedArtifact hook = new FinishedArtifact(0, "hook", "Hook", "The sea breathes twice a day.");
        String user = prompts.render(new StepPrompt(request, posts, "Thread", List.of(hook), "m")).user();
        assertThat(user).contains("The sea breathes twice a day.", "1/6");
    }
}
