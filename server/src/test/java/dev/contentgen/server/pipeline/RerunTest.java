package dev.contentgen.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Format;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import dev.contentgen.server.pipeline.format.Formats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which steps a revision runs again: the chosen one, those that read it or take their title from it, and the assembly. */
class RerunTest {
    private static final Formats FORMATS = Formats.load(null, OfflineProvider.WRITERS);

    private static List<Step> steps(String format) {
        return Plan.of(new JobRequest("Tea", Format.parse(format).orElseThrow(), Tone.NEUTRAL, Length.SHORT), FORMATS.require(Format.parse(format).orElseThrow()));
    }

    private static List<String> rerun(String format, String step) {
        List<Step> steps = steps(format);
        return Rerun.of(steps, step).stream().map(i -> steps.get(i).key()).toList();
    }

    @Test
    void theChoicesAreTheGeneratingStepsByKey() {
        assertThat(Rerun.choices(steps("article"))).containsExactly("outline", "section-1", "section-2", "section-3", "summary");
        assertThat(Rerun.choices(steps("social-thread"))).containsExactly("hook", "posts");
    }

    @Test
    void aSectionRerunsWithWhatReadsTheSectionsAndTheAssembly() {
        assertThat(rerun("article", "section-2")).containsExactly("section-2", "summary", "article");
        assertThat(rerun("blog-post", "section-1")).containsExactly("section-1", "summary", "seo", "blog-post");
    }

    @Test
    void theOutlineRerunsEverySectionThatReadsItOrIsTitledFromIt() {
        assertThat(rerun("article", "outline")).containsExactly("outline", "section-1", "section-2", "section-3", "summary", "article");
    }

    @Test
    void aStepNothingReadsRerunsAloneWithTheAssembly() {
        assertThat(rerun("article", "summary")).containsExactly("summary", "article");
        assertThat(rerun("social-thread", "posts")).containsExactly("posts", "thread");
        assertThat(rerun("social-thread", "hook")).containsExactly("hook", "posts", "thread");
    }
}
