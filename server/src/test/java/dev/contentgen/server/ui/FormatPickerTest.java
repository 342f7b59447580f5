package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.contentgen.api.FormatList;
import dev.contentgen.api.Job;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The form's formats come from GET /api/formats: a format file dropped in the folder shows up and runs. */
class FormatPickerTest extends BrowserTest {
    static final String HAIKU = """
            name: haiku
            label: Haiku
            description: "Haiku: a poem and a note on it"
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

    @Test
    void theFormatListIsTheServersAndAnOperatorsFormatRunsFromTheForm() throws Exception {
        Path formats = Files.createDirectories(dir.resolve("formats"));
        Files.writeString(formats.resolve("haiku.yaml"), HAIKU);
        startNode(new ScriptedProvider(), TestNodes.config(dir.resolve("data")).withFormatsDir(formats));
        Page page = openHome();

        FormatList list = api.get("/api/formats").as(FormatList.class);
        String[] labels = list.formats().stream().map(FormatList.Entry::label).toArray(String[]::new);
        assertThat(page.locator("#format option")).hasText(labels);
        assertThat(page.getByLabel("Format")).hasValue("article");

        page.getByLabel("Format").selectOption("haiku");
        JobScreen ui = new JobScreen(page);
        ui.generate("Autumn rain", "short");
        ui.awaitStatus("completed");
        assertThat(page.locator("#job-options")).containsText("Haiku");
        assertThat(page.locator("#final-heading")).hasText("Final haiku");
        Job job = api.job(ui.jobId());
        assertThat(job.format().wireName()).isEqualTo("haiku");
        assertThat(page.locator("#final-source").textContent()).isEqualTo(job.artifacts().getLast().content());
    }
}
