package dev.contentgen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.api.WebhookDeliveries;
import dev.contentgen.client.testing.TestClients;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.WebhookReceiver;
import dev.contentgen.server.testing.WebhookReceiver.Answer;
import dev.contentgen.server.time.Backoff;
import dev.contentgen.server.webhook.WebhookSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK lists a job's webhook deliveries with typed attempts and asks for a redelivery. */
class WebhooksTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void deliveriesAreTypedAndARedeliveryMakesTheNextAttempt() throws Exception {
        WebhookSettings settings = WebhookSettings.defaults().withAllowPrivate(true).withPoll(Duration.ofMillis(20))
                .withBackoff(Backoff.of(Duration.ofHours(1), Duration.ofHours(2)));
        try (WebhookReceiver receiver = new WebhookReceiver(Answer.status(503));
             Node node = new Node(TestNodes.config(dir)).webhooks(settings).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            String jobId = Json.MAPPER.readTree(new Api(TestNodes.uri(node)).post("/api/jobs",
                    "{\"topic\": \"SDK hooks\", \"length\": \"short\", \"webhook\": {\"url\": \"" + receiver.url() + "\"}}").body()).get("id").asText();
            assertThat(receiver.next(WAIT)).isNotNull();
            WebhookDeliveries.Delivery failed = awaitAttempts(client, jobId, 1);
            assertThat(failed.state()).isEqualTo("pending");
            assertThat(failed.nextAttemptAt()).isNotNull();
            assertThat(failed.attemptLog().getFirst().httpStatus()).isEqualTo(503);
            assertThat(failed.attemptLog().getFirst().error()).isNull();
            assertThat(client.webhooks().deliveries(jobId).endpoint().url()).isEqualTo(receiver.url());

            client.webhooks().redeliver(jobId, failed.id());
            assertThat(receiver.next(WAIT)).isNotNull();
            WebhookDeliveries.Delivery delivered = awaitAttempts(client, jobId, 2);
            assertThat(delivered.id()).isEqualTo(failed.id());
            assertThat(delivered.attemptLog().get(1).httpStatus()).isEqualTo(200);

            ContentGenException unknown = catchThrowableOfType(ContentGenException.class, () -> client.webhooks().redeliver(jobId, "msg_nope"));
            assertThat(unknown.failure()).isInstanceOfSatisfying(Failure.Rejected.class,
                    r -> assertThat(r.code()).isEqualTo(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND));
            assertThat(catchThrowableOfType(ContentGenException.class,
                    () -> client.webhooks().deliveries("01900000-0000-7000-8000-000000000000")).failure()).isInstanceOf(Failure.JobNotFound.class);
        }
    }

    private static WebhookDeliveries.Delivery awaitAttempts(ContentGenClient client, String jobId, int attempts) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (WebhookDeliveries.Delivery d : client.webhooks().deliveries(jobId).deliveries()) {
                if (d.attemptLog().size() >= attempts && !d.state().equals("sending")) {
                    return d;
                }
            }
            assertThat(System.nanoTime()).as("no delivery reached " + attempts + " attempts").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
