package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.FormatList;
import dev.contentgen.client.ContentGenClient;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI and the SDK take the formats from the server: an operator's format is listed and can be generated. */
class FormatsCommandTest {
    static final String HAIKU = """
            name: haiku
            label: Haiku
            steps:
              - kind: poem
                title: Poem
                label: Writing the poem
                prompt: Write a haiku about {{topic}}.
            assemble:
              kind: haiku
              title: "Haiku: {{topic}}"
              label: Assembling
              parts: [poem]
            """;

    @TempDir
    Path dir;

    Node start() throws Exception {
        Path formats = Files.createDirectories(dir.resolve("formats"));
        Files.writeString(formats.resolve("haiku.yaml"), HAIKU);
        return new Node(TestNodes.config(dir.resolve("data")).withFormatsDir(formats)).start();
    }

    @Test
    void formatsListsTheServersFormatsAndTheSdkReadsTheSame() throws Exception {
        try (Node node = start(); ContentGenClient client = ContentGenClient.builder().baseUrl(TestNodes.uri(node)).build()) {
            CliRun run = CliRun.of("formats", "--server", TestNodes.uri(node).toString());
            assertThat(run.exit()).as(run.err()).isEqualTo(0);
            FormatList list = client.formats().list();
            assertThat(list.names()).contains("article", "social-thread", "blog-post", "email-sequence", "haiku");
            for (String name : list.names()) {
                assertThat(run.out()).containsPattern("(?m)^" + name + " +" + list.find(name).orElseThrow().label());
            }
            assertThat(run.out()).contains("article              Article (default)", "steps: outline, section x3/4/6, summary -> article");
        }
    }

    @Test
    void serveRefusesABrokenFormatFileWithItsFileAndLineFromTheFlagOrTheEnvironment() throws Exception {
        Path formats = Files.createDirectories(dir.resolve("broken-formats"));
        Path file = formats.resolve("haiku.yaml");
        Files.writeString(file, HAIKU.replace("{{topic}}.", "{{topic}} for {{reader}}."));
        ProviderFlagsTest process = new ProviderFlagsTest();
        process.dir = Files.createDirectories(dir.resolve("serve-data"));

        ProviderFlagsTest.Exit byFlag = process.serve(java.util.Map.of(), "--formats-dir", formats.toString());
        assertThat(byFlag.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(byFlag.output()).contains("contentgen: " + file + " line 7: unknown placeholder {{reader}}");

        ProviderFlagsTest.Exit byEnv = process.serve(java.util.Map.of("CONTENTGEN_FORMATS_DIR", formats.toString()));
        assertThat(byEnv.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(byEnv.output()).contains(file + " line 7:");
    }

    @Test
    void generateTakesAFormatTheServerOffersAndReportsTheListForOneItDoesNot() throws Exception {
        try (Node node = start()) {
            CliRun ok = CliRun.of("generate", "Autumn rain", "--format", "haiku", "--server", TestNodes.uri(node).toString());
            assertThat(ok.exit()).as(ok.err()).isEqualTo(ExitCode.COMPLETED);
            assertThat(ok.err()).contains("status: completed");

            CliRun unknown = CliRun.of("generate", "Autumn rain", "--format", "sonnet", "--server", TestNodes.uri(node).toString());
            assertThat(unknown.exit()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(unknown.err()).contains("sonnet", "haiku", "blog-post");
        }
    }
}
