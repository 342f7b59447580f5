package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.LlmConfig;
import dev.contentgen.server.pipeline.providers.ApiKey;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.FakeLlmServer;
import dev.contentgen.server.testing.TestNodes;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider and model pickers list what GET /api/providers offers (here: a fake OpenAI-compatible
 * server with two models, and the offline generator), a job runs with the choice, and this browser
 * keeps the choice (and each provider's model) for the next visit.
 */
class ModelPickerTest extends BrowserTest {
    FakeLlmServer fake;

    void startWithTwoProviders() throws Exception {
        fake = new FakeLlmServer(FakeLlmServer.Wire.OPENAI);
        LlmConfig llm = LlmConfig.offline().withProvider("openai", "fake-model", fake.baseUrl())
                .withModels(List.of("fake-model", "other-model")).withKeys(new ApiKey("sk-x"), null);
        node = new Node(TestNodes.config(dir).withLlm(llm)).start();
        api = new Api(TestNodes.uri(node));
    }

    @AfterEach
    void stopFake() throws Exception {
        if (fake != null) {
            fake.close();
        }
    }

    @Test
    void thePickersShowTheServersOffersAndAJobRunsWithTheChoice() throws Exception {
        startWithTwoProviders();
        Page page = openHome();
        JobScreen ui = new JobScreen(page);
        assertThat(page.locator("#provider option")).hasText(new String[] {"openai", "offline"});
        assertThat(page.getByLabel("Provider")).hasValue("openai");
        assertThat(page.locator("#model option")).hasText(new String[] {"fake-model", "other-model"});
        assertThat(page.getByLabel("Model")).hasValue("fake-model");

        page.getByLabel("Model").selectOption("other-model");
        ui.generate("On the other model", "short");
        ui.awaitStatus("completed");
        Job other = api.job(ui.jobId());
        assertThat(List.of(other.provider(), other.model())).containsExactly("openai", "other-model");
        assertThat(fake.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.body()).contains("\"other-model\""));

        int calls = fake.requests().size();
        page.getByLabel("Provider").selectOption("offline");
        assertThat(page.locator("#model option")).hasText(new String[] {"offline"});
        assertThat(page.locator("#provider-note")).containsText("offline generator");
        ui.generate("Offline this time", "short");
        assertThat(page).not().hasURL(java.util.regex.Pattern.compile(".*/jobs/" + other.id() + "$"));
        assertThat(page.locator("#job-topic")).hasText("Offline this time");
        ui.awaitStatus("completed");
        Job offline = api.job(ui.jobId());
        assertThat(List.of(offline.provider(), offline.model())).containsExactly("offline", "offline");
        assertThat(fake.requests()).as("the offline job never called the model server").hasSize(calls);
    }

    @Test
    void theChoiceIsKeptForTheNextVisitAndEachProviderKeepsItsModel() throws Exception {
        startWithTwoProviders();
        Page page = openHome();
        page.getByLabel("Model").selectOption("other-model");
        page.getByLabel("Provider").selectOption("offline");

        page.reload();
        assertThat(page.getByLabel("Provider")).hasValue("offline");
        page.getByLabel("Provider").selectOption("openai");
        assertThat(page.getByLabel("Model")).hasValue("other-model"); // openai's model as it was last picked

        page.reload();
        assertThat(page.getByLabel("Provider")).hasValue("openai");
        assertThat(page.getByLabel("Model")).hasValue("other-model");
    }

    @Test
    void aRememberedChoiceTheServerNoLongerOffersFallsBackToItsDefaults() throws Exception {
        startWithTwoProviders();
        Page page = openHome();
        assertThat(page.getByLabel("Provider")).hasValue("openai");
        page.evaluate("() => localStorage.setItem('contentgen.model-choice', "
                + "JSON.stringify({ provider: 'gemini', models: { gemini: 'g-1', openai: 'gpt-9' } }))");
        page.reload();
        assertThat(page.getByLabel("Provider")).hasValue("openai");
        assertThat(page.getByLabel("Model")).hasValue("fake-model");
        JobScreen ui = new JobScreen(page);
        ui.generate("Back on the defaults", "short");
        ui.awaitStatus("completed");
        assertThat(api.job(ui.jobId()).model()).isEqualTo("fake-model");
    }
}
