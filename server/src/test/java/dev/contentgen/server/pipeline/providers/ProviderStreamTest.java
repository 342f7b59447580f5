package dev.contentgen.server.pipeline.providers;

import static dev.contentgen.server.testing.FakeLlmServer.normal;
import static dev.contentgen.server.testing.FakeLlmServer.status;
import static dev.contentgen.server.testing.FakeLlmServer.tokensThen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.LlmConfig;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.FakeLlmServer;
import dev.contentgen.server.testing.FakeLlmServer.Ending;
import dev.contentgen.server.testing.FakeLlmServer.Wire;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.RecordingSleeper;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real provider code (LangChain4j streaming models on our HTTP client) against a fake server
 * of each wire format, scripted per test: every failure ends in the right job state, and the log a
 * subscriber sees stays consistent (README "Real LLM providers", PROTOCOL "Provider retries").
 */
@ParameterizedClass
@EnumSource(Wire.class)
class ProviderStreamTest {
    static final String KEY = "sk-test-FAKE-KEY-0123456789";
    static final Duration LONG = Duration.ofSeconds(30);
    static final Duration SHORT = Duration.ofMillis(300);

    @Parameter
    Wire wire;

    @TempDir
    Path dir;

    FakeLlmServer fake;
    RecordingSleeper sleeper = new RecordingSleeper();
    Node node;
    Api api;

    @BeforeEach
    void startFake() throws Exception {
        fake = new FakeLlmServer(wire);
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        fake.close();
    }

    void start(Duration firstToken, Duration gap) {
        String provider = switch (wire) {
            case OPENAI -> "openai";
            case OLLAMA -> "ollama";
            case ANTHROPIC -> "anthropic";
        };
        LlmConfig llm = LlmConfig.offline().withProvider(provider, "fake-model", fake.baseUrl())
                .withKeys(new ApiKey(KEY), new ApiKey(KEY))
                .withTimeouts(firstToken, gap, 3);
        node = new Node(TestNodes.config(dir).withLlm(llm)).sleeper(sleeper).start();
        api = new Api(TestNodes.uri(node));
    }

    record Outcome(Job job, List<SseEvent> log, JobLogAssertions.Rebuilt rebuilt) {
        List<String> progressLabels() {
            return log.stream().map(e -> e.logged().event()).filter(e -> e instanceof JobEvent.Progress)
                    .map(e -> ((JobEvent.Progress) e).label()).toList();
        }

        List<String> retryLabels() {
            return progressLabels().stream().filter(l -> l.contains(" — retrying in ")).toList();
        }
    }

    Outcome runShortArticle() throws Exception {
        Job job = api.createJob(Map.of("topic", "Streams that never die", "length", "short"));
        List<SseEvent> log = api.fullLog(job.id());
        return new Outcome(api.job(job.id()), log, JobLogAssertions.assertConsistent(log));
    }

    @Test
    void aModelThatPausesDoesNotKeepItsLastWordsOffThePage() throws Exception {
        CountDownLatch resume = new CountDownLatch(1);
        List<String> tokens = List.of("1. **Alpha** — first. ", "2. **Beta** — second. ", "3. **Gamma** — third.");
        fake.then(new FakeLlmServer.Stream(tokens, Duration.ZERO, Ending.DONE).endingAfter(resume));
        start(LONG, LONG);
        Job job = api.createJob(Map.of("topic", "Pauses", "length", "short"));
        try (SseStream stream = api.events(job.id(), null)) {
            StringBuilder shown = new StringBuilder();
            // The model has sent every token of the outline and now pauses (it has not said it is done):
            // all of that text reaches the subscriber anyway, once the delta window has passed.
            stream.readUntil(e -> {
                if (e.event().equals("artifact.delta")) {
                    shown.append(((JobEvent.ArtifactDelta) e.logged().event()).text());
                }
                return shown.toString().equals(String.join("", tokens));
            });
            resume.countDown();
            List<SseEvent> rest = stream.readAll();
            assertThat(rest.getLast().event()).isEqualTo("status");
        }
        assertThat(api.job(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void normalStreamingFillsEachArtifactAndTheSectionsSeeTheOutline() throws Exception {
        start(LONG, LONG);
        Outcome o = runShortArticle();

        assertThat(o.job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(o.job().provider()).isNotNull();
        assertThat(o.job().model()).isEqualTo("fake-model");
        assertThat(o.rebuilt().discarded()).isEmpty();
        assertThat(o.retryLabels()).isEmpty();
        assertThat(o.rebuilt().ofKind("section")).extracting(JobEvent.ArtifactCompleted::title)
                .containsExactly("Fake part 1", "Fake part 2", "Fake part 3");
        assertThat(o.rebuilt().finalArtifact().title()).isEqualTo("A fake title");
        assertThat(o.rebuilt().finalArtifact().content()).contains("## Fake part 2", "Fake prose streamed");

        List<FakeLlmServer.Request> requests = fake.requests();
        assertThat(requests).hasSize(5).allSatisfy(r -> assertThat(r.body()).contains("fake-model"));
        assertThat(requests.get(1).body()).as("a section's prompt carries the outline")
                .contains("Fake part 1 — what part 1 covers", "Fake part 1");
        assertThat(requests.get(4).body()).as("the summary's prompt carries the sections").contains("Fake prose streamed");
        if (wire == Wire.OPENAI) {
            assertThat(requests.getFirst().headers()).containsEntry("authorization", "Bearer " + KEY);
        }
        if (wire == Wire.ANTHROPIC) {
            assertThat(requests.getFirst().headers()).containsEntry("x-api-key", KEY);
        }
    }

    @Test
    void rateLimitedWithRetryAfterWaitsWhatTheProviderAskedAndShowsIt() throws Exception {
        fake.then(status(429, "Retry-After", "2"));
        start(LONG, LONG);
        Outcome o = runShortArticle();

        assertThat(o.job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(2));
        assertThat(o.retryLabels()).singleElement().asString()
                .startsWith("Outlining the article — retrying in 2s (attempt 2 of 3)").contains("HTTP 429");
        assertThat(o.rebuilt().discarded()).as("nothing was streamed, nothing to retract").isEmpty();
        assertThat(fake.requests()).hasSize(6);
    }

    @Test
    void serverErrorThenSuccessRetriesAfterABackoff() throws Exception {
        fake.then(normal(), status(500));
        start(LONG, LONG);
        Outcome o = runShortArticle();

        assertThat(o.job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(sleeper.waits()).singleElement()
                .satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1)));
        assertThat(o.retryLabels()).singleElement().asString().startsWith("Writing section 1 of 3: Fake part 1 — retrying in")
                .contains("HTTP 500");
    }

    @Test
    void unavailableUpToTheLimitFailsTheJobWithProviderUnavailable() throws Exception {
        fake.then(status(503), status(503), status(503));
        start(LONG, LONG);
        Outcome o = runShortArticle();

        assertThat(o.job().status()).isEqualTo(JobStatus.FAILED);
        assertThat(o.job().error().code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
        assertThat(o.job().error().message()).contains("HTTP 503", "gave up after 3 attempts");
        assertThat(o.rebuilt().terminal().error().code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
        assertThat(sleeper.waits()).hasSize(2);
        assertThat(fake.requests()).hasSize(3);
    }

    @Test
    void rateLimitedUpToTheLimitFailsTheJobWithProviderRateLimited() throws Exception {
        fake.then(status(429), status(429), status(429));
        start(LONG, LONG);
        Outcome o = runShortArticle();

        assertThat(o.job().status()).isEqualTo(JobStatus.FAILED);
        assertThat(o.job().error().code()).isEqualTo(ErrorCode.PROVIDER_RATE_LIMITED);
        assertThat(o.retryLabels()).hasSize(2);
    }

    @Test
    void hangUpAfterSomeTokensRetractsThePartialAndRunsTheStepAgain() throws Exception {
        CountDownLatch tokensSeen = new CountDownLatch(1);
        fake.then(tokensThen(3, Ending.HANG_UP).endingAfter(tokensSeen));
        start(LONG, LONG);
        Job job = api.createJob(Map.of("topic", "Streams that never die", "length", "short"));
        List<SseEvent> received;
        try (SseStream stream = api.events(job.id(), null)) {
            // Hang up only once a token got through, so there is a partial to retract.
            received = new ArrayList<>(stream.readUntil(e -> e.event().equals("artifact.created")));
            tokensSeen.countDown();
            received.addAll(stream.readAll());
        }
        Outcome o = new Outcome(api.job(job.id()), received, JobLogAssertions.assertConsistent(received));

        assertThat(o.job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(o.rebuilt().discarded().values()).singleElement().asString().startsWith("partial0 ");
        assertThat(o.retryLabels()).singleElement().asString().contains("hung up mid-stream");
        assertThat(o.rebuilt().ofKind("outline")).singleElement()
                .satisfies(a -> assertThat(a.content()).startsWith("1. Fake part 1"));
        assertThat(api.fullLog(job.id())).as("a late subscriber sees the same log").hasSameSizeAs(received);
    }

    @Test
    void anErrorReportedMidStreamRetractsThePartialAndRunsTheStepAgain() throws Exception {
        CountDownLatch tokensSeen = new CountDownLatch(1);
        fake.then(tokensThen(2, Ending.ERROR_EVENT).endingAfter(tokensSeen));
        start(LONG, LONG);
        Job job = api.createJob(Map.of("topic", "Errors inside a stream", "length", "short"));
        List<SseEvent> received;
        try (SseStream stream = api.events(job.id(), null)) {
            received = new ArrayList<>(stream.readUntil(e -> e.event().equals("artifact.created")));
            tokensSeen.countDown();
            received.addAll(stream.readAll());
        }
        Outcome o = new Outcome(api.job(job.id()), received, JobLogAssertions.assertConsistent(received));

        assertThat(o.job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(o.rebuilt().discarded()).hasSize(1);
        String expected = switch (wire) {
            case OPENAI -> "hung up mid-stream";
            case OLLAMA -> "reported an error mid-stream";
            case ANTHROPIC -> "the provider is unavailable (HTTP 529)";
        };
        assertThat(o.retryLabels()).singleElement().asString().contains(expected);
    }

    @Test
    void aDrainingNodeClosesTheProviderConnectionAndHandsTheJobBack() throws Exception {
        fake.then(tokensThen(3, Ending.HOLD));
        start(LONG, LONG);
        Job job = api.createJob(Map.of("topic", "Drain me", "length", "short"));
        try (SseStream stream = api.events(job.id(), null)) {
            stream.readUntil(e -> e.event().equals("artifact.created"));
            node.close();
            node = null;
        }
        assertThat(fake.awaitClientClosed(Duration.ofSeconds(10))).isTrue();

        start(LONG, LONG);
        var log = JobLogAssertions.assertConsistent(api.fullLog(job.id()));
        assertThat(log.terminal().status()).as("the restarted node finishes the handed-back job").isEqualTo(JobStatus.COMPLETED);
        assertThat(log.discarded()).as("the interrupted outline was retracted").hasSize(1);
    }

    @Test
    void aCleanCloseBeforeTheEndIsATruncationAndTheStepRunsAgain() throws Exception {
        fake.then(tokensThen(3, Ending.CLEAN_CLOSE));
        start(LONG, LONG);
        Outcome o = runShortArticle();

        assertThat(o.job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(o.rebuilt().discarded()).hasSize(1);
        assertThat(o.retryLabels()).singleElement().asString().contains("ended the stream before the text was complete");
    }

    @Test
    void aStallLongerThanTheGapRetractsThePartialAndClosesTheConnection() throws Exception {
        fake.then(tokensThen(3, Ending.HOLD));
        start(LONG, SHORT);
        Outcome o = runShortArticle();

        assertThat(o.job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(o.rebuilt().discarded().values()).singleElement().asString().startsWith("partial0 ");
        assertThat(o.retryLabels()).singleElement().asString().contains("stopped sending tokens for 300ms");
        assertThat(fake.awaitClientClosed(Duration.ofSeconds(10))).as("the stalled connection was closed").isTrue();
    }

    @Test
    void noFirstTokenInTimeRetriesTheStepAndClosesTheConnection() throws Exception {
        fake.then(FakeLlmServer.silentBeforeFirstToken());
        start(SHORT, LONG);
        Outcome o = runShortArticle();

        assertThat(o.job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(o.rebuilt().discarded()).isEmpty();
        assertThat(o.retryLabels()).singleElement().asString().contains("sent no token within 300ms");
        assertThat(fake.awaitClientClosed(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aServerThatNeverAnswersIsCutAtTheFirstTokenTimeout() throws Exception {
        fake.then(new FakeLlmServer.Mute());
        start(SHORT, LONG);
        Outcome o = runShortArticle();

        assertThat(o.job().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(o.retryLabels()).singleElement().asString().contains("sent no token within 300ms");
        assertThat(fake.awaitClientClosed(Duration.ofSeconds(10))).as("the unanswered request was aborted").isTrue();
    }

    @Test
    void unauthorizedFailsAtOnceWithProviderAuth() throws Exception {
        fake.then(new FakeLlmServer.Refusal(401, Map.of(), "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}"));
        start(LONG, LONG);
        Outcome o = runShortArticle();

        assertThat(o.job().status()).isEqualTo(JobStatus.FAILED);
        assertThat(o.job().error().code()).isEqualTo(ErrorCode.PROVIDER_AUTH);
        assertThat(o.job().error().message()).contains("HTTP 401").doesNotContain(KEY).doesNotContain("gave up");
        assertThat(fake.requests()).hasSize(1);
        assertThat(sleeper.waits()).isEmpty();
        assertThat(o.log()).allSatisfy(e -> assertThat(e.data()).doesNotContain(KEY));
    }

    @Test
    void anUnknownModelFailsAtOnceWithModelNotFound() throws Exception {
        fake.then(status(404));
        start(LONG, LONG);
        Outcome o = runShortArticle();

        assertThat(o.job().status()).isEqualTo(JobStatus.FAILED);
        assertThat(o.job().error().code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
        assertThat(o.job().error().message()).contains("'fake-model'");
        assertThat(fake.requests()).hasSize(1);
        assertThat(o.retryLabels()).isEmpty();
    }

    @Test
    void cancelWhileTheProviderStreamsClosesTheProviderConnection() throws Exception {
        fake.then(tokensThen(3, Ending.HOLD));
        start(LONG, LONG);
        Job job = api.createJob(Map.of("topic", "Stop me", "length", "short"));
        try (SseStream stream = api.events(job.id(), null)) {
            List<SseEvent> received = new ArrayList<>(stream.readUntil(e -> e.event().equals("artifact.created")));
            assertThat(api.post("/api/jobs/" + job.id() + "/cancel", "").status()).isEqualTo(202);
            received.addAll(stream.readAll());

            var log = JobLogAssertions.assertConsistent(received);
            assertThat(log.terminal().status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(log.discarded()).hasSize(1);
        }
        assertThat(fake.awaitClientClosed(Duration.ofSeconds(10))).as("the fake saw its connection closed").isTrue();
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void cancelBeforeTheFirstTokenClosesTheProviderConnection() throws Exception {
        fake.then(FakeLlmServer.silentBeforeFirstToken());
        start(LONG, LONG);
        Job job = api.createJob(Map.of("topic", "Stop me early", "length", "short"));
        assertThat(fake.awaitRequests(1, Duration.ofSeconds(10))).isTrue();
        assertThat(api.post("/api/jobs/" + job.id() + "/cancel", "").status()).isEqualTo(202);

        var log = JobLogAssertions.assertConsistent(api.fullLog(job.id()));
        assertThat(log.terminal().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(fake.awaitClientClosed(Duration.ofSeconds(10))).isTrue();
    }
}
