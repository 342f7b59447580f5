package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import com.sun.net.httpserver.HttpServer;
import dev.contentgen.api.Artifact;
import dev.contentgen.api.ArtifactStatus;
import dev.contentgen.api.Job;
import dev.contentgen.server.testing.ScriptedProvider;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 6: a person types a topic, generates, and gets every step and the article, safely rendered. */
class GenerateTest extends BrowserTest {
    Page start(ScriptedProvider provider) {
        startNode(provider);
        return openHome();
    }

    @Test
    void typingATopicAndGeneratingShowsEveryArtifactAndTheArticleTheApiHas() throws Exception {
        ScriptedProvider provider = new ScriptedProvider().pace(Duration.ofMillis(2));
        gate = provider.gateAt("section", 30);
        Page page = start(provider);
        assertThat(page.getByLabel("Provider")).hasValue("scripted");
        browser.screenshot("landing");

        JobScreen ui = new JobScreen(page);
        page.getByLabel("Tone").selectOption("friendly");
        page.getByLabel("Audience").fill("platform engineers");
        ui.generate("Why SSE streams die", "short");

        // The gate holds the first section after 30 tokens, so the running state lasts until the test opens it.
        assertThat(provider.awaitGateReached(Duration.ofSeconds(30))).isTrue();
        ui.awaitStreaming("section");
        assertThat(page.locator("#connection")).hasText("live");
        assertThat(ui.button("Cancel")).isVisible();
        browser.screenshot("running");
        gate.countDown();

        ui.awaitStatus("completed");
        assertThat(page.locator("#connection")).hasText("closed");
        Job job = api.job(ui.jobId());
        assertThat(job.audience()).isEqualTo("platform engineers");
        assertThat(page.locator("#job-options")).containsText("for platform engineers");

        List<Artifact> artifacts = job.artifacts();
        assertThat(artifacts).allMatch(a -> a.status() == ArtifactStatus.COMPLETED);
        assertThat(page.locator(".artifact")).hasCount(artifacts.size());
        for (Artifact a : artifacts) {
            assertThat(page.locator(".artifact[data-artifact-id='" + a.id() + "']")).hasAttribute("data-status", "completed");
        }
        String article = artifacts.getLast().content();
        assertThat(artifacts.getLast().kind()).isEqualTo("article");

        // The rendered article: each section heading once, as a heading, no Markdown marks left.
        List<String> headings = article.lines().filter(l -> l.startsWith("## ")).map(l -> l.substring(3).strip()).toList();
        assertThat(headings).isNotEmpty();
        assertThat(page.locator("#final-rendered [data-md-level=\"2\"]")).hasText(headings.toArray(String[]::new));
        assertThat(page.locator("#final-rendered")).not().containsText("## ");
        assertThat(ui.progressIsFull()).as("progress bar full").isTrue();
        assertThat(page.locator("#word-count")).not().hasText("0");
        browser.screenshot("completed");

        // The article's Markdown, as shown, copied and downloaded, is exactly the API's.
        ui.button("Show Markdown").click();
        assertThat(page.locator("#final-source").textContent()).isEqualTo(article);
        ui.button("Copy Markdown").click();
        assertThat(page.locator("#copy-status")).hasText("Markdown copied to the clipboard.");
        assertThat(page.evaluate("navigator.clipboard.readText()")).isEqualTo(article);
        Download md = page.waitForDownload(() -> ui.button("Download .md").click());
        assertThat(md.suggestedFilename()).isEqualTo("why-sse-streams-die.md");
        assertThat(Files.readString(md.path())).isEqualTo(article);
        Download html = page.waitForDownload(() -> ui.button("Download .html").click());
        assertThat(html.suggestedFilename()).isEqualTo("why-sse-streams-die.html");
        assertThat(Files.readString(html.path())).contains("<h2", headings.getFirst()).doesNotContain("<script");
    }

    @Test
    void modelOutputWithScriptAndImgOnerrorIsShownAsTextAndNeverRuns() {
        String hostile = "\n\n<script>window.pwned = 'script'; alert('script')</script>\n\n"
                + "Inline <img src=x onerror=\"window.pwned = 'img'; alert('img')\"> and "
                + "[a link](javascript:window.pwned='link') end.\n";
        Page page = start(new ScriptedProvider().appendAt("section", hostile));
        AtomicBoolean dialog = new AtomicBoolean();
        page.onDialog(d -> {
            dialog.set(true);
            d.dismiss();
        });

        JobScreen ui = new JobScreen(page);
        ui.generate("Untrusted model output", "short");
        ui.awaitStatus("completed");

        assertThat(page.locator("#final-rendered")).containsText("<script>window.pwned = 'script'; alert('script')</script>");
        assertThat(page.locator("#final-rendered")).containsText("<img src=x onerror=\"window.pwned = 'img'; alert('img')\">");
        assertThat(page.locator(".artifact[data-kind=section]").first()).containsText("<img src=x onerror=");
        assertThat(page.locator("#final-rendered script, #final-rendered img, #artifacts script, #artifacts img")).hasCount(0);
        var link = page.locator("#final-rendered a", new Page.LocatorOptions().setHasText("a link")).first();
        assertThat(link.getAttribute("href")).as("a javascript: link loses its href").isNull();
        link.click();
        browser.screenshot("hostile-output");
        assertThat(page.evaluate("window.pwned")).isNull();
        assertThat(dialog).isFalse();
    }

    @Test
    void anImageInModelOutputCannotMakeTheBrowserCallAnotherHost() throws Exception {
        // Another port on loopback is another origin: the CSP's img-src 'self' must keep the browser from asking it.
        AtomicInteger requests = new AtomicInteger();
        HttpServer elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        elsewhere.start();
        try {
            String pixel = "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/pixel.png";
            browser.expectCspViolations(pixel);
            Page page = start(new ScriptedProvider().appendAt("section", "\n\nA tracking ![pixel](" + pixel + ") here.\n"));
            JobScreen ui = new JobScreen(page);
            ui.generate("Untrusted images", "short");
            ui.awaitStatus("completed");

            assertThat(page.locator("#final-rendered img").first()).hasAttribute("src", pixel);
            page.waitForCondition(() -> browser.cspViolations().stream().anyMatch(v -> v.contains(pixel) && v.contains("img-src")));
            assertThat(requests).as("requests that reached the other host").hasValue(0);
        } finally {
            elsewhere.stop(0);
        }
    }

    @Test
    void onAPhoneInDarkModeTheKeyboardAloneGeneratesAndNothingOverflowsSideways() {
        Page page = browser.page();
        page.setViewportSize(390, 844);
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
        start(new ScriptedProvider().pace(Duration.ofMillis(2)));
        JobScreen ui = new JobScreen(page);
        assertThat(page.evaluate("getComputedStyle(document.body).backgroundColor")).isEqualTo("rgb(17, 20, 24)");
        for (String label : List.of("Topic", "Format", "Tone", "Length", "Audience")) {
            assertThat(page.getByLabel(label)).isVisible();
        }

        tabUntilFocused(page, "topic");
        page.keyboard().type("Reading on a phone");
        tabUntilFocused(page, "generate");
        page.keyboard().press("Enter");

        assertThat(page.locator("#job-topic")).isFocused();
        assertThat(page.locator("#job-status")).hasAttribute("aria-live", "polite");
        assertThat(page.locator(".artifact").first()).isVisible();
        browser.screenshot("phone-dark-running", false);
        ui.awaitStatus("completed");
        assertThat(page.locator("#final-rendered [data-md-level=\"2\"]").first()).isVisible();
        assertThat(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).as("no sideways scrolling").isEqualTo(true);
        page.evaluate("document.querySelector('#final-article').scrollIntoView()");
        browser.screenshot("phone-dark-completed", false);
    }

    /** Presses Tab (a bounded number of times) until the element with {@code id} has the focus. */
    private static void tabUntilFocused(Page page, String id) {
        for (int i = 0; i < 15 && !id.equals(page.evaluate("document.activeElement?.id")); i++) {
            page.keyboard().press("Tab");
        }
        assertThat(page.locator("#" + id)).isFocused();
    }
}
