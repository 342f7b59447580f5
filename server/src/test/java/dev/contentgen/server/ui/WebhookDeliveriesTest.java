package dev.contentgen.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.contentgen.api.Job;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.ScriptedProvider;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.WebhookReceiver;
import dev.contentgen.server.testing.WebhookReceiver.Answer;
import dev.contentgen.server.time.Backoff;
import dev.contentgen.server.webhook.WebhookSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A job's page shows its webhook deliveries with every attempt (status or error, duration), and redelivers one. */
class WebhookDeliveriesTest extends BrowserTest {
    private WebhookReceiver receiver;

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private void startNode() {
        // An hour of backoff: only the page's Redeliver makes the second attempt.
        WebhookSettings settings = WebhookSettings.defaults().withAllowPrivate(true).withPoll(Duration.ofMillis(20))
                .withBackoff(Backoff.of(Duration.ofHours(1), Duration.ofHours(2)));
        node = new Node(TestNodes.config(dir)).provider(new ScriptedProvider().pace(Duration.ofMillis(2))).webhooks(settings).start();
        api = new Api(TestNodes.uri(node));
    }

    @Test
    void theJobPageShowsEachAttemptAndRedeliversWithAClick() throws Exception {
        receiver = new WebhookReceiver(Answer.status(500));
        startNode();
        Api.Response created = api.post("/api/jobs", "{\"topic\": \"Hooked\", \"length\": \"short\", \"webhook\": {\"url\": \"" + receiver.url() + "\"}}");
        String jobId = Json.MAPPER.readTree(created.body()).get("id").asText();
        assertThat(receiver.next(Duration.ofSeconds(30))).isNotNull();

        Page page = browser.page();
        page.navigate(api.base().resolve("/jobs/" + jobId).toString());
        new JobScreen(page).awaitStatus("completed");
        Locator section = page.locator("#webhooks");
        assertThat(section).isVisible();
        assertThat(section.getByRole(com.microsoft.playwright.options.AriaRole.HEADING)).hasText("Webhook deliveries");
        assertThat(section).containsText(receiver.url());
        Locator delivery = section.locator(".webhook-delivery").first();
        assertThat(delivery).hasAttribute("data-state", "pending");
        assertThat(delivery).containsText("job.completed");
        assertThat(delivery).containsText("msg_" + jobId);
        Locator rows = delivery.locator("tbody tr");
        assertThat(rows).hasCount(1);
        assertThat(rows.first().locator(".webhook-result")).hasText("HTTP 500");
        assertThat(rows.first()).containsText(" ms");
        browser.screenshot("webhook-deliveries-after-a-500");

        delivery.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Locator.GetByRoleOptions().setName("Redeliver")).click();
        assertThat(receiver.next(Duration.ofSeconds(30))).as("the click delivered it again").isNotNull();
        assertThat(delivery).hasAttribute("data-state", "delivered");
        assertThat(rows).hasCount(2);
        assertThat(rows.nth(1).locator(".webhook-result")).hasText("HTTP 200");
    }

    @Test
    void aJobWithoutAWebhookShowsNoDeliveries() {
        startNode();
        Job job = api.createJob(Map.of("topic", "Plain", "length", "short"));
        Page page = browser.page();
        page.navigate(api.base().resolve("/jobs/" + job.id()).toString());
        new JobScreen(page).awaitStatus("completed");
        // The listing has answered once the section's content exists or the request finished; wait on the request.
        page.waitForResponse(r -> r.url().endsWith("/api/jobs/" + job.id() + "/webhooks"), () -> page.reload());
        new JobScreen(page).awaitStatus("completed");
        assertThat(page.locator("#webhooks")).isHidden();
        assertThat(page.locator("#webhooks .webhook-delivery")).hasCount(0);
    }
}
