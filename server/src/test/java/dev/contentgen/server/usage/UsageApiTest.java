package dev.contentgen.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Artifact;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.UsageReport;
import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /api/usage}: each key sees its own owner's tokens and cost, never another's; the
 * offline generator reports its own counts (README "Tokens and cost").
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class UsageApiTest {
    private static final Pattern WORD_TOKEN = Pattern.compile("\\S+\\s*|\\s+");

    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    Node node;
    Api alice;
    Api bob;

    @BeforeEach
    void start() throws Exception {
        Path prices = Files.writeString(dir.resolve("prices.yaml"), "models:\n  offline: {input: 1, output: 2}\n");
        node = new Node(store.config(dir).withAuth(AccessMode.Setting.KEYS).withPricesFile(prices)).start();
        Api anonymous = new Api(TestNodes.uri(node));
        alice = anonymous.withKey(Keys.create(node, "alice", false));
        bob = anonymous.withKey(Keys.create(node, "bob", false));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void theOfflineGeneratorCountsTheTokensItWroteAndThePromptItWasGiven() throws Exception {
        Job job = finished(alice, "Counting offline");
        for (Artifact a : job.artifacts()) {
            if (a.kind().equals("article")) {
                assertThat(a.usage()).isNull();
                continue;
            }
            assertThat(a.usage().provider()).isEqualTo("offline");
            assertThat(a.usage().model()).isEqualTo("offline");
            assertThat(a.usage().outputTokens()).as(a.kind()).isEqualTo(WORD_TOKEN.matcher(a.content()).results().count());
            // The prompt holds the system message and the step's instructions, and grows with what the step reads.
            assertThat(a.usage().inputTokens()).as(a.kind()).isGreaterThan(20);
        }
        long sectionInput = job.artifacts().stream().filter(a -> a.kind().equals("section")).findFirst().orElseThrow().usage().inputTokens();
        long outlineInput = job.artifacts().getFirst().usage().inputTokens();
        assertThat(sectionInput).as("a section's prompt quotes the outline").isGreaterThan(outlineInput);
    }

    @Test
    void eachKeySeesItsOwnUsageOnly() throws Exception {
        Job a1 = finished(alice, "Alice one");
        Job a2 = finished(alice, "Alice two");
        Job b1 = finished(bob, "Bob one");

        UsageReport mine = alice.get("/api/usage").as(UsageReport.class);
        assertThat(mine.owner()).isEqualTo("alice");
        assertThat(mine.jobs()).isEqualTo(2);
        assertThat(mine.inputTokens()).isEqualTo(a1.usage().inputTokens() + a2.usage().inputTokens());
        assertThat(mine.outputTokens()).isEqualTo(a1.usage().outputTokens() + a2.usage().outputTokens());
        assertThat(mine.costUsd()).isCloseTo((mine.inputTokens() * 1.0 + mine.outputTokens() * 2.0) / 1_000_000, Offset.offset(1e-7));
        assertThat(mine.models()).singleElement().satisfies(m -> {
            assertThat(m.provider()).isEqualTo("offline");
            assertThat(m.jobs()).isEqualTo(2);
            assertThat(m.inputTokens()).isEqualTo(mine.inputTokens());
        });

        UsageReport bobs = bob.get("/api/usage").as(UsageReport.class);
        assertThat(bobs.owner()).isEqualTo("bob");
        assertThat(bobs.jobs()).isEqualTo(1);
        assertThat(bobs.inputTokens()).isEqualTo(b1.usage().inputTokens());
        assertThat(bobs.outputTokens()).isEqualTo(b1.usage().outputTokens());

        // Deleting a job leaves the usage it ran up: the ledger is the owner's, not the job's.
        assertThat(alice.delete("/api/jobs/" + a2.id()).status()).isEqualTo(204);
        assertThat(alice.get("/api/usage").as(UsageReport.class).inputTokens()).isEqualTo(mine.inputTokens());
    }

    @Test
    void sinceLeavesOutEarlierUsage() throws Exception {
        finished(alice, "Before the cut");
        Instant cut = Instant.now().plusSeconds(3600);
        UsageReport later = alice.get("/api/usage?since=" + cut).as(UsageReport.class);
        assertThat(later.since()).isEqualTo(cut);
        assertThat(later.jobs()).isZero();
        assertThat(later.inputTokens()).isZero();
        assertThat(later.costUsd()).isNull();
        assertThat(later.models()).isEmpty();
        assertThat(alice.get("/api/usage?since=2000-01-01").as(UsageReport.class).jobs()).isEqualTo(1);
        Api.Response bad = alice.get("/api/usage?since=yesterday");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("INVALID_FIELD").contains("'since'");
    }

    private static Job finished(Api api, String topic) throws Exception {
        Job job = api.createJob(Map.of("topic", topic, "length", "short"));
        api.fullLog(job.id());
        Job done = api.job(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        return done;
    }
}
