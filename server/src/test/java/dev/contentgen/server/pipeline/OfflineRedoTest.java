package dev.contentgen.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import org.junit.jupiter.api.Test;

/** The offline generator's take on a revision's instruction: shorter prose, an added example, lists keep their shape. */
class OfflineRedoTest {
    private final OfflineProse prose = new OfflineProse("Urban beekeeping", Tone.NEUTRAL, Length.MEDIUM);

    @Test
    void shorterKeepsTheFirstHalfOfEachParagraphsSentences() {
        String section = prose.section(1, "Getting started");
        String shorter = OfflineRedo.apply(section, "Shorter, please", "Urban beekeeping");
        assertThat(shorter.length()).isLessThan(section.length());
        assertThat(shorter.split("\n\n")).hasSameSizeAs(section.strip().split("\n\n"));
        String firstSentence = section.strip().split("(?<=[.!?])\\s+")[0];
        assertThat(shorter).startsWith(firstSentence);
    }

    @Test
    void anOutlineStaysOneNumberedLinePerSection() {
        String outline = prose.outline();
        assertThat(OfflineRedo.apply(outline, "shorter", "Urban beekeeping").strip()).isEqualTo(outline.strip());
    }

    @Test
    void moreExamplesAddsAParagraphOfExamplesAboutTheTopic() {
        String section = prose.section(0, "Why it matters");
        String more = OfflineRedo.apply(section, "more examples", "Urban beekeeping");
        assertThat(more).startsWith(section.stripTrailing()).contains("For example: a team new to Urban beekeeping");
    }

    @Test
    void noInstructionLeavesTheTextAsItIsAndANewTakeDiffers() {
        String section = prose.section(2, "Costs");
        assertThat(OfflineRedo.apply(section, null, "Urban beekeeping")).isEqualTo(section);
        String newTake = new OfflineProse("Urban beekeeping", Tone.NEUTRAL, Length.MEDIUM, 1).section(2, "Costs");
        assertThat(newTake).isNotEqualTo(section);
        assertThat(new OfflineProse("Urban beekeeping", Tone.NEUTRAL, Length.MEDIUM, 1).outline())
                .as("the plan stays: the same angles, so the same number of sections").hasLineCount(prose.outline().split("\n").length);
    }
}
