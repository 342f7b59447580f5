package dev.contentgen.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.server.Node;
import dev.contentgen.server.store.WebhookStore;
import dev.contentgen.server.store.WebhookStore.Attempt;
import dev.contentgen.server.store.WebhookStore.Due;
import dev.contentgen.server.store.WebhookStore.Outcome;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A claim's lease identifies it: once it lapses and another node claims the delivery, the first
 * node can neither renew it nor record its attempt over the second's (two nodes once wrote the same
 * attempt number and the second write failed). The two "nodes" here are two claims on one real store.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class WebhookLeaseTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    @Test
    void aLapsedClaimCanNeitherBeRenewedNorRecordedOverTheNextOne() throws Exception {
        // An hour between polls: once it has made the attempt its job's commit woke it for, the node's own worker stays out of the way.
        WebhookSettings idle = WebhookSettings.defaults().withAllowPrivate(true).withPoll(Duration.ofHours(1));
        try (Node node = new Node(store.config(dir)).webhooks(idle).start()) {
            Api api = new Api(TestNodes.uri(node));
            Api.Response created = api.post("/api/jobs", "{\"topic\": \"Leases\", \"length\": \"short\", \"webhook\": {\"url\": \"http://127.0.0.1:9/x\"}}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String jobId = created.as(dev.contentgen.api.Job.class).id();
            api.fullLog(jobId);
            WebhookStore webhooks = new WebhookStore(node.database().jdbi(), node.database().dialect());
            int byTheNode = awaitFirstAttempt(webhooks, jobId);
            long t0 = System.currentTimeMillis() + 60_000;

            List<Due> first = webhooks.claimDue(t0, t0 + 1_000, 16);
            assertThat(first).hasSize(1);
            assertThat(webhooks.claimDue(t0 + 500, t0 + 1_500, 16)).as("claimed: no one else gets it within the lease").isEmpty();
            List<Due> second = webhooks.claimDue(t0 + 2_000, t0 + 3_000, 16);
            assertThat(second).as("the lease lapsed: another node claims it").hasSize(1);
            Due a = first.getFirst();
            Due b = second.getFirst();

            assertThat(webhooks.renewClaim(a, t0 + 5_000, t0 + 2_100)).isEmpty();
            int next = byTheNode + 1;
            WebhookStore.Recorded late = webhooks.recordAttempt(a, new Attempt(next, t0, 10, 200, null), new Outcome.Delivered(), t0 + 2_200);
            assertThat(late.kept()).isFalse();
            Optional<Due> renewed = webhooks.renewClaim(b, t0 + 6_000, t0 + 2_300);
            assertThat(renewed).isPresent();
            assertThat(webhooks.recordAttempt(b, new Attempt(next, t0 + 2_000, 10, 500, null), new Outcome.RetryAt(t0 + 9_000), t0 + 2_400).kept())
                    .as("the claim as it was before its renewal is no longer the claim").isFalse();
            WebhookStore.Recorded kept = webhooks.recordAttempt(renewed.get(), new Attempt(next, t0 + 2_000, 10, 500, null),
                    new Outcome.RetryAt(t0 + 9_000), t0 + 2_400);
            assertThat(kept.kept()).isTrue();

            WebhookStore.Delivery delivery = webhooks.list(a.jobId()).getFirst();
            assertThat(delivery.state()).isEqualTo("pending");
            assertThat(delivery.attemptLog()).hasSize(next);
            assertThat(delivery.attemptLog().getLast().httpStatus()).isEqualTo(500);
        }
    }

    /** The attempts the node's own worker made (its job's commit woke it; nothing listens on port 9); at least one. */
    private static int awaitFirstAttempt(WebhookStore webhooks, String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            WebhookStore.Delivery delivery = webhooks.list(jobId).getFirst();
            if (delivery.attempts() > 0 && !delivery.attemptLog().isEmpty()) {
                return delivery.attemptLog().size();
            }
            assertThat(System.nanoTime()).as("the node never attempted the delivery its job queued").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
