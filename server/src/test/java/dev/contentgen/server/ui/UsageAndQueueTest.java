package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.contentgen.api.Job;
import dev.contentgen.api.UsageTotals;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestNodes;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job page shows where a waiting job stands, and a finished job's tokens and cost (README "Tokens and cost"). */
class UsageAndQueueTest extends BrowserTest {
    @Test
    void aFinishedJobShowsItsTokensAndItsCostUnderThePriceTable() throws Exception {
        Path prices = Files.writeString(dir.resolve("prices.yaml"), "models:\n  scripted: {input: 2, output: 8}\n");
        startNode(new ScriptedProvider(), TestNodes.config(dir).withPricesFile(prices));
        Page page = openHome();
        JobScreen ui = new JobScreen(page);
        ui.generate("What tokens cost", "short");
        ui.awaitStatus("completed");

        UsageTotals usage = api.job(ui.jobId()).usage();
        assertThat(usage.inputTokens()).isPositive();
        assertThat(usage.costUsd()).isPositive();
        assertThat(page.locator("#job-usage")).hasText(String.format(Locale.US, "Tokens: %,d in · %,d out · Cost $%s",
                usage.inputTokens(), usage.outputTokens(),
                new BigDecimal(usage.costUsd()).round(new MathContext(3)).stripTrailingZeros().toPlainString()));

        // Each generating step's card has its own figures; the assembled piece, which called no provider, has none.
        for (var a : api.job(ui.jobId()).artifacts()) {
            var figures = page.locator(".artifact[data-artifact-id='" + a.id() + "'] .artifact-usage");
            if (a.usage() == null) {
                assertThat(figures).hasCount(0);
            } else {
                assertThat(figures).hasText(String.format(Locale.US, "%,d in · %,d out tokens · $%s", a.usage().inputTokens(),
                        a.usage().outputTokens(), new BigDecimal(a.usage().costUsd()).round(new MathContext(3)).stripTrailingZeros().toPlainString()));
            }
        }

        // Opened afresh, the finished job's page shows the same.
        page.reload();
        ui.awaitStatus("completed");
        assertThat(page.locator("#job-usage")).containsText("Cost $");
    }

    @Test
    void aWaitingJobShowsItsPlaceInTheQueueThenItsTokensWithoutACost() throws Exception {
        ScriptedProvider provider = new ScriptedProvider();
        gate = provider.gateAt("outline", 2);
        startNode(provider, TestNodes.config(dir).withWorkers(1));
        api.createJob(Map.of("topic", "Holds the only worker", "length", "short"));
        assertThat(provider.awaitGateReached(Duration.ofSeconds(30))).isTrue();
        api.createJob(Map.of("topic", "Waits first", "length", "short"));

        Page page = openHome();
        JobScreen ui = new JobScreen(page);
        ui.generate("Waits its turn", "short");
        ui.awaitStatus("pending");
        assertThat(page.locator("#job-queue")).isVisible();
        assertThat(page.locator("#job-queue")).hasText("Waiting: 1 job ahead, the one worker busy");

        gate.countDown();
        ui.awaitStatus("completed");
        assertThat(page.locator("#job-queue")).isHidden();
        Job job = api.job(ui.jobId());
        assertThat(page.locator("#job-usage")).hasText(String.format(Locale.US, "Tokens: %,d in · %,d out",
                job.usage().inputTokens(), job.usage().outputTokens()));
    }
}
