package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.WebhookReceiver;
import dev.contentgen.server.testing.WebhookReceiver.Answer;
import dev.contentgen.server.testing.WebhookReceiver.Received;
import dev.contentgen.server.time.Backoff;
import dev.contentgen.server.webhook.WebhookSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code contentgen webhooks JOB_ID [--redeliver ID]} lists a job's deliveries with their attempts and
 * delivers one again; {@code contentgen keys webhook KEY_ID --url …} sets a key's default webhook.
 */
class WebhooksCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** An hour before any automatic retry: only a redelivery makes the second attempt. */
    private static final WebhookSettings SLOW_RETRIES = WebhookSettings.defaults().withAllowPrivate(true).withPoll(Duration.ofMillis(20))
            .withBackoff(Backoff.of(Duration.ofHours(1), Duration.ofHours(2)));

    @TempDir
    Path dir;

    @Test
    void listsAttemptsAndRedeliversUnderTheSameWebhookId() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(Answer.status(500));
             Node node = new Node(TestNodes.config(dir)).webhooks(SLOW_RETRIES).start()) {
            String server = TestNodes.uri(node).toString();
            Api api = new Api(TestNodes.uri(node));
            String jobId = Json.MAPPER.readTree(api.post("/api/jobs", "{\"topic\": \"Hooks\", \"length\": \"short\", \"webhook\": {\"url\": \""
                    + receiver.url() + "\"}}").body()).get("id").asText();
            Received first = receiver.next(WAIT);
            assertThat(first).isNotNull();
            CliRun pending = await(() -> CliRun.of("webhooks", jobId, "--server", server), run -> run.out().contains("HTTP 500"));
            assertThat(pending.exit()).as(pending.err()).isZero();
            assertThat(pending.out()).contains("webhook " + receiver.url() + " (terminal)", first.id(), "job.completed", "pending",
                    "1 attempt", "#1");

            CliRun redelivered = CliRun.of("webhooks", jobId, "--redeliver", first.id(), "--server", server);
            assertThat(redelivered.exit()).as(redelivered.err()).isZero();
            Received second = receiver.next(WAIT);
            assertThat(second).as("the redelivery reaches the receiver").isNotNull();
            assertThat(second.id()).isEqualTo(first.id());
            CliRun delivered = await(() -> CliRun.of("webhooks", jobId, "--server", server, "--json"),
                    run -> run.out().contains("\"delivered\""));
            JsonNode delivery = Json.MAPPER.readTree(delivered.out()).get("deliveries").get(0);
            assertThat(delivery.get("attempts").asInt()).isEqualTo(2);
            assertThat(delivery.get("attemptLog").get(1).get("httpStatus").asInt()).isEqualTo(200);

            assertThat(CliRun.of("webhooks", jobId, "--redeliver", "msg_nope", "--server", server).exit()).isEqualTo(ExitCode.NOT_FOUND);
            assertThat(CliRun.of("webhooks", "01900000-0000-7000-8000-000000000000", "--server", server).exit()).isEqualTo(ExitCode.NOT_FOUND);
        }
    }

    @Test
    void aKeysDefaultWebhookSetFromTheStoreOrTheApiSignsItsJobsWithThePrintedSecret() throws Exception {
        Path data = dir.resolve("data");
        String admin = CliRun.of("keys", "create", "--name", "ops", "--admin", "--data-dir", data.toString()).out().strip();
        String alice = CliRun.of("keys", "create", "--name", "alice", "--data-dir", data.toString()).out().strip();
        String aliceId = CliRun.of("keys", "list", "--data-dir", data.toString()).out().lines()
                .filter(l -> l.contains("alice")).findFirst().orElseThrow().split("\\s+")[0];
        try (WebhookReceiver receiver = new WebhookReceiver();
             Node node = new Node(TestNodes.config(data).withAuth(AccessMode.Setting.KEYS)).webhooks(SLOW_RETRIES).start()) {
            String server = TestNodes.uri(node).toString();
            CliRun local = CliRun.of("keys", "webhook", aliceId, "--url", receiver.url(), "--data-dir", data.toString());
            assertThat(local.exit()).as(local.err()).isZero();
            assertThat(local.out().strip()).startsWith("whsec_");
            assertThat(local.err()).contains("shown this once").doesNotContain("whsec_");

            CliRun remote = CliRun.of("keys", "webhook", aliceId, "--url", receiver.url(), "--steps", "--server", server, "--api-key", admin);
            assertThat(remote.exit()).as(remote.err()).isZero();
            String secret = remote.out().strip();
            assertThat(secret).startsWith("whsec_").isNotEqualTo(local.out().strip());
            CliRun shown = CliRun.of("keys", "webhook", aliceId, "--server", server, "--api-key", admin);
            assertThat(shown.out()).contains(receiver.url(), "terminal, step").doesNotContain("whsec_");

            new Api(TestNodes.uri(node)).withKey(alice).post("/api/jobs", "{\"topic\": \"Defaults\", \"length\": \"short\"}");
            Received received = receiver.next(WAIT);
            assertThat(received).isNotNull();
            assertThat(verifies(secret, received)).isTrue();

            assertThat(CliRun.of("keys", "webhook", aliceId, "--clear", "--data-dir", data.toString()).exit()).isZero();
            assertThat(CliRun.of("keys", "webhook", aliceId, "--data-dir", data.toString()).out()).contains("no default webhook");
            assertThat(CliRun.of("keys", "webhook", "01900000-0000-7000-8000-000000000000", "--data-dir", data.toString()).exit())
                    .isEqualTo(ExitCode.NOT_FOUND);
            assertThat(CliRun.of("keys", "webhook", "01900000-0000-7000-8000-000000000000", "--server", server, "--api-key", admin).exit())
                    .isEqualTo(ExitCode.NOT_FOUND);
            assertThat(CliRun.of("keys", "webhook", aliceId, "--url", "ftp://x/y", "--data-dir", data.toString()).exit())
                    .isEqualTo(ExitCode.BAD_INPUT);
        }
    }

    private static boolean verifies(String secret, Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal((r.id() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
        return r.signature().equals(expected);
    }

    /** Runs {@code run} until its result satisfies {@code done} (a liveness bound, not a timing assertion). */
    private static CliRun await(java.util.function.Supplier<CliRun> run, Predicate<CliRun> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        CliRun last = run.get();
        while (!done.test(last)) {
            assertThat(System.nanoTime()).as("never reached: " + last).isLessThan(deadline);
            Thread.sleep(50);
            last = run.get();
        }
        return last;
    }
}
