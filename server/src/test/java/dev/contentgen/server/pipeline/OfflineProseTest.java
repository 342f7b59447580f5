package dev.contentgen.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OfflineProseTest {

    private static final List<String> TOPICS =
            List.of("sourdough baking", "Kubernetes cost control", "Why SSE streams die", "The future of remote work");
    private static final Pattern OUTLINE_ITEM = Pattern.compile("(\\d+)\\. \\*\\*(.+)\\*\\* — (.+)");

    @Test
    void sameArgumentsGiveTheSameArticle() {
        for (Tone tone : Tone.values()) {
            for (Length length : Length.values()) {
                String first = article(new OfflineProse("sourdough baking", tone, length));
                String second = article(new OfflineProse("sourdough baking", tone, length));
                assertThat(second).isEqualTo(first);
            }
        }
    }

    @Test
    void sectionsDoNotDependOnCallOrder() {
        var forward = new OfflineProse("Kubernetes cost control", Tone.FRIENDLY, Length.LONG);
        var backward = new OfflineProse("Kubernetes cost control", Tone.FRIENDLY, Length.LONG);
        List<String> titles = forward.sectionTitles();
        List<String> reversed = new ArrayList<>();
        for (int i = titles.size() - 1; i >= 0; i--) {
            reversed.add(0, backward.section(i, titles.get(i)));
        }
        for (int i = 0; i < titles.size(); i++) {
            assertThat(forward.section(i, titles.get(i))).isEqualTo(reversed.get(i));
        }
    }

    @ParameterizedTest
    @EnumSource(Length.class)
    void outlineHasOneNumberedItemPerSectionTitle(Length length) {
        for (String topic : TOPICS) {
            var prose = new OfflineProse(topic, Tone.NEUTRAL, length);
            List<String> titles = prose.sectionTitles();
            String[] lines = prose.outline().split("\n");

            assertThat(titles).hasSize(length.sections()).doesNotHaveDuplicates();
            assertThat(lines).hasSize(length.sections());
            for (int i = 0; i < lines.length; i++) {
                Matcher m = OUTLINE_ITEM.matcher(lines[i]);
                assertThat(m.matches()).as("outline line %s", lines[i]).isTrue();
                assertThat(m.group(1)).isEqualTo(String.valueOf(i + 1));
                assertThat(m.group(2)).isEqualTo(titles.get(i));
            }
        }
    }

    @Test
    void topicAppearsThroughoutTheText() {
        for (String topic : TOPICS) {
            var prose = new OfflineProse(topic, Tone.PROFESSIONAL, Length.MEDIUM);
            String needle = topic.replaceFirst("^The ", "the ");
            assertThat(prose.titleAndSummary()).startsWith("# ").containsIgnoringCase(needle);
            assertThat(prose.outline()).contains(needle);
            assertThat(prose.threadHook()).contains(needle);
            List<String> titles = prose.sectionTitles();
            for (int i = 0; i < titles.size(); i++) {
                assertThat(prose.section(i, titles.get(i))).contains(needle);
            }
        }
    }

    @Test
    void titleAndSummaryIsAHeadingAndAShortParagraph() {
        String text = new OfflineProse("sourdough baking", Tone.PLAYFUL, Length.SHORT).titleAndSummary();
        String[] parts = text.split("\n\n");

        assertThat(parts).hasSize(2);
        assertThat(parts[0]).startsWith("# ").doesNotContain("\n");
        assertThat(sentences(parts[1]).size()).isBetween(2, 3);
    }

    @ParameterizedTest
    @EnumSource(Length.class)
    void sectionsAreCloseToTheTargetLength(Length length) {
        int target = length.wordsPerSection();
        for (String topic : TOPICS) {
            for (Tone tone : Tone.values()) {
                var prose = new OfflineProse(topic, tone, length);
                List<String> titles = prose.sectionTitles();
                for (int i = 0; i < titles.size(); i++) {
                    String section = prose.section(i, titles.get(i));
                    assertThat(words(section)).as("%s/%s/%s section %d", topic, tone, length, i)
                            .isBetween(target * 3 / 4, target * 5 / 4);
                    assertThat(section.split("\n\n")).hasSizeBetween(2, 3);
                    assertThat(section).doesNotStartWith("#");
                }
            }
        }
    }

    @Test
    void longArticleNeverRepeatsASentence() {
        for (String topic : TOPICS) {
            for (Tone tone : Tone.values()) {
                var prose = new OfflineProse(topic, tone, Length.LONG);
                List<String> all = new ArrayList<>();
                List<String> titles = prose.sectionTitles();
                for (int i = 0; i < titles.size(); i++) {
                    all.addAll(sentences(prose.section(i, titles.get(i))));
                }
                assertThat(all).as("%s/%s", topic, tone).hasSizeGreaterThan(30).doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void sectionUsesAHeadingWrittenElsewhere() {
        var prose = new OfflineProse("sourdough baking", Tone.NEUTRAL, Length.SHORT);

        assertThat(prose.section(1, "Understanding the basics")).contains("Understanding the basics");
    }

    @Test
    void threadPostsAreNumberedAndFitInAPost() {
        String longTopic = "an unusually long topic about " + "many interesting things ".repeat(15);
        for (String topic : List.of("sourdough baking", "Why SSE streams die", longTopic)) {
            for (Tone tone : Tone.values()) {
                var prose = new OfflineProse(topic, tone, Length.MEDIUM);
                assertThat(prose.threadHook()).isNotBlank().hasSizeLessThanOrEqualTo(280);
                for (int count : new int[] {1, 5, 8}) {
                    List<String> posts = prose.threadPosts(count);
                    assertThat(posts).hasSize(count).doesNotHaveDuplicates();
                    for (int i = 0; i < count; i++) {
                        assertThat(posts.get(i)).startsWith((i + 1) + "/ ").hasSizeLessThanOrEqualTo(280);
                    }
                }
            }
        }
    }

    @Test
    void differentTopicsGiveDifferentText() {
        var baking = new OfflineProse("sourdough baking", Tone.NEUTRAL, Length.MEDIUM);
        var cloud = new OfflineProse("Kubernetes cost control", Tone.NEUTRAL, Length.MEDIUM);

        assertThat(cloud.titleAndSummary()).isNotEqualTo(baking.titleAndSummary());
        assertThat(cloud.section(0, "Introduction")).isNotEqualTo(baking.section(0, "Introduction"));
        assertThat(cloud.threadPosts(4)).isNotEqualTo(baking.threadPosts(4));
    }

    @Test
    void differentSectionsGiveDifferentText() {
        var prose = new OfflineProse("sourdough baking", Tone.FRIENDLY, Length.LONG);
        Set<String> bodies = new HashSet<>();
        for (int i = 0; i < Length.LONG.sections(); i++) {
            bodies.add(prose.section(i, "Same heading"));
        }
        assertThat(bodies).hasSize(Length.LONG.sections());
    }

    @Test
    void wordCountCountsTheWhitespaceSeparatedTokensThatHaveALetterOrDigit() {
        assertThat(OfflineProse.wordCount("")).isZero();
        assertThat(OfflineProse.wordCount("  — , ...\t\n")).isZero();
        assertThat(OfflineProse.wordCount(" one\ttwo\r\nthree — 4 “five”\u000Bsix\fseven ")).isEqualTo(7);
        for (Tone tone : Tone.values()) {
            for (String topic : TOPICS) {
                for (String sentence : sentences(article(new OfflineProse(topic, tone, Length.LONG)))) {
                    long tokens = Arrays.stream(sentence.split("\\s+")).filter(t -> t.chars().anyMatch(Character::isLetterOrDigit)).count();
                    assertThat(OfflineProse.wordCount(sentence)).as(sentence).isEqualTo(tokens);
                }
            }
        }
    }

    private static String article(OfflineProse prose) {
        StringBuilder sb = new StringBuilder(prose.titleAndSummary()).append(prose.outline());
        List<String> titles = prose.sectionTitles();
        for (int i = 0; i < titles.size(); i++) {
            sb.append(prose.section(i, titles.get(i)));
        }
        return sb.append(prose.threadHook()).append(prose.threadPosts(6)).toString();
    }

    private static List<String> sentences(String text) {
        return Arrays.stream(text.split("(?<=[.!?])\\s+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static int words(String text) {
        return (int) Arrays.stream(text.split("\\s+")).filter(w -> w.chars().anyMatch(Character::isLetterOrDigit)).count();
    }
}
