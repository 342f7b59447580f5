package dev.contentgen.server.pipeline.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.contentgen.api.Length;
import dev.contentgen.server.pipeline.OfflineProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A format file is checked whole when it is read; every error names the file and the line to fix. */
class FormatFileTest {
    static final String GOOD = """
            name: haiku
            label: Haiku
            steps:
              - kind: poem
                title: Poem
                label: Writing the poem
                prompt: Write a haiku about {{topic}}.
              - kind: note
                title: Note
                label: Writing a note
                reads: [poem]
                prompt: |
                  Explain this haiku:
                  {{poem}}
            assemble:
              kind: haiku
              title: "Haiku: {{topic}}"
              label: Assembling
              parts: [poem, note]
            """;

    @TempDir
    Path dir;

    static FormatSpec read(String text) {
        return FormatFile.read("haiku.yaml", text, OfflineProvider.WRITERS);
    }

    @Test
    void aValidFileBecomesASpecWithDefaults() {
        FormatSpec spec = read(GOOD);
        assertThat(spec.name()).isEqualTo("haiku");
        assertThat(spec.steps()).extracting(FormatSpec.StepSpec::kind).containsExactly("poem", "note");
        assertThat(spec.steps().get(1).reads()).containsExactly("poem");
        assertThat(spec.steps().getFirst().offline()).isEqualTo("section");
        assertThat(spec.tones()).hasSize(4);
        assertThat(spec.partsFor(Length.LONG)).isEqualTo(Length.LONG.sections());
        assertThat(spec.assembly().parts()).containsExactly("poem", "note");
    }

    @Test
    void anUnknownFieldIsNamedWithItsLine() {
        String text = GOOD.replace("    title: Note\n", "    title: Note\n    colour: blue\n");
        assertThatThrownBy(() -> read(text)).isInstanceOf(FormatFileException.class)
                .hasMessageStartingWith("haiku.yaml line 10:").hasMessageContaining("colour");
    }

    @Test
    void aMissingRequiredFieldIsNamed() {
        String text = GOOD.replace("label: Haiku\n", "");
        assertThatThrownBy(() -> read(text)).isInstanceOf(FormatFileException.class)
                .hasMessageStartingWith("haiku.yaml line").hasMessageContaining("'label'");
    }

    @Test
    void brokenYamlIsNamedWithItsLine() {
        String text = GOOD.replace("    reads: [poem]\n", "    reads: [poem\n");
        assertThatThrownBy(() -> read(text)).isInstanceOf(FormatFileException.class)
                .hasMessageMatching("(?s)haiku\\.yaml line 1[2-9]: .*");
    }

    @Test
    void readingAKindNoEarlierStepWritesPointsAtThatLine() {
        String text = GOOD.replace("reads: [poem]", "reads: [poem, outline]");
        assertThatThrownBy(() -> read(text)).isInstanceOf(FormatFileException.class)
                .hasMessage("haiku.yaml line 11: step 'note' reads 'outline', which no earlier step writes (earlier: poem)");
    }

    @Test
    void aPlaceholderTheStepCannotFillPointsAtThePrompt() {
        String text = GOOD.replace("Write a haiku about {{topic}}.", "Write a haiku about {{topic}} for {{reader}}.");
        assertThatThrownBy(() -> read(text)).isInstanceOf(FormatFileException.class)
                .hasMessageStartingWith("haiku.yaml line 7: unknown placeholder {{reader}}");
    }

    @Test
    void aPromptUsingAnArtifactItDoesNotReadIsRefused() {
        String text = GOOD.replace("    reads: [poem]\n", "");
        assertThatThrownBy(() -> read(text)).isInstanceOf(FormatFileException.class)
                .hasMessageStartingWith("haiku.yaml line 11: unknown placeholder {{poem}}").hasMessageContaining("reads");
    }

    @Test
    void anUnknownOfflineWriterAndATwiceUsedKindAreRefused() {
        assertThatThrownBy(() -> read(GOOD.replace("    title: Poem\n", "    title: Poem\n    offline: sonnet\n")))
                .hasMessageStartingWith("haiku.yaml line 6: unknown offline writer 'sonnet'");
        assertThatThrownBy(() -> read(GOOD.replace("  - kind: note", "  - kind: poem")))
                .hasMessageStartingWith("haiku.yaml line 8: kind 'poem' is used by an earlier step");
    }

    @Test
    void anAssemblyOfAnUnwrittenKindAndABadNameAreRefused() {
        assertThatThrownBy(() -> read(GOOD.replace("parts: [poem, note]", "parts: [poem, notes]")))
                .hasMessageStartingWith("haiku.yaml line 19: assemble uses 'notes'");
        assertThatThrownBy(() -> read(GOOD.replace("name: haiku", "name: Haiku Poems")))
                .hasMessageStartingWith("haiku.yaml line 1: name 'Haiku Poems'");
    }

    @Test
    void aFolderAddsItsFormatsAndABrokenFileStopsTheLoadNamingIt() throws Exception {
        Files.writeString(dir.resolve("haiku.yaml"), GOOD);
        Files.writeString(dir.resolve("notes.txt"), "not a format");
        Formats formats = Formats.load(dir, OfflineProvider.WRITERS);
        assertThat(formats.names()).contains("article", "social-thread", "blog-post", "newsletter", "linkedin-post",
                "product-description", "email-sequence", "haiku");

        Path broken = dir.resolve("broken.yml");
        Files.writeString(broken, GOOD.replace("name: haiku", "name: broken").replace("{{poem}}", "{{poems}}"));
        assertThatThrownBy(() -> Formats.load(dir, OfflineProvider.WRITERS)).isInstanceOf(FormatFileException.class)
                .hasMessageStartingWith(broken + " line 12: unknown placeholder {{poems}}");
    }

    @Test
    void theSameNameInTwoFilesIsRefused() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), GOOD);
        Files.writeString(dir.resolve("b.json"), """
                {"name": "haiku", "label": "Also haiku",
                 "steps": [{"kind": "poem", "title": "Poem", "label": "Writing", "prompt": "About {{topic}}"}],
                 "assemble": {"kind": "whole", "title": "{{topic}}", "label": "Assembling", "parts": ["poem"]}}
                """);
        assertThatThrownBy(() -> Formats.load(dir, OfflineProvider.WRITERS))
                .hasMessageContaining("b.json").hasMessageContaining("also defined in " + dir.resolve("a.yaml"));
    }

    @Test
    void theReadmesFullExampleIsAValidFormat() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf("```yaml\n", readme.indexOf("A full example:")) + "```yaml\n".length();
        FormatSpec spec = FormatFile.read("README.md", readme.substring(from, readme.indexOf("```", from)), OfflineProvider.WRITERS);
        assertThat(spec.name()).isEqualTo("faq-page");
        assertThat(spec.partsFor(Length.MEDIUM)).isEqualTo(5);
        assertThat(spec.steps().get(1).repeat()).isTrue();
    }

    @Test
    void aMissingFolderIsNamed() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> Formats.load(missing, OfflineProvider.WRITERS)).hasMessageStartingWith(missing.toString());
    }
}
