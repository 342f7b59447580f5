package dev.contentgen.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.config.LlmConfig;
import dev.contentgen.server.config.Limits;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.FakeLlmServer;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each key's limits hold across a cluster: two PostgreSQL nodes on one database share every count,
 * and each limit is answered as README says (429 with Retry-After; a retryable stream error).
 */
class LimitsTest {
    @TempDir
    Path dir;

    private Config cluster(Limits limits) {
        return TestStore.POSTGRESQL.config(dir).withWorkers(0).withAuth(AccessMode.Setting.KEYS).withLimits(limits);
    }

    @Test
    void creationsPerMinuteAreCountedAcrossNodes() {
        Config config = cluster(new Limits(3, 0, 0, 0));
        try (Node a = new Node(config).start(); Node b = new Node(config).start()) {
            String key = Keys.create(a, "alice", false);
            Api onA = new Api(TestNodes.uri(a)).withKey(key);
            Api onB = new Api(TestNodes.uri(b)).withKey(key);
            String body = Json.write(Map.of("topic", "Rate limited"));
            assertThat(onA.post("/api/jobs", body, "Idempotency-Key", "k1").status()).isEqualTo(201);
            assertThat(onB.post("/api/jobs", body, "Idempotency-Key", "k2").status()).isEqualTo(201);
            assertThat(onA.post("/api/jobs", body, "Idempotency-Key", "k3").status()).isEqualTo(201);
            Api.Response refused = onB.post("/api/jobs", body, "Idempotency-Key", "k4");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body()).contains("RATE_LIMITED");
            assertThat(onB.get("/api/jobs").body()).doesNotContain("k4");
            assertThat(onB.post("/api/jobs", body, "Idempotency-Key", "k1").status())
                    .as("repeating a created job is not a creation").isEqualTo(200);
            Api bob = new Api(TestNodes.uri(b)).withKey(Keys.create(a, "bob", false));
            assertThat(bob.post("/api/jobs", body).status()).as("another owner has limits of its own").isEqualTo(201);
        }
    }

    @Test
    void theRetryAfterOfARateLimitSaysWhenTheWindowFrees() throws Exception {
        Config config = cluster(new Limits(1, 0, 0, 0));
        try (Node a = new Node(config).start()) {
            Api api = new Api(TestNodes.uri(a)).withKey(Keys.create(a, "alice", false));
            api.createJob("First");
            var request = java.net.http.HttpRequest.newBuilder(api.base().resolve("/api/jobs"))
                    .header("Authorization", "Bearer " + Keys.create(a, "alice", false))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"topic\":\"Second\"}")).build();
            var answer = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(429);
            long retryAfter = Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 60L);
        }
    }

    @Test
    void concurrentCreationsOnTwoNodesNeverPassTheLimit() throws Exception {
        Config config = cluster(new Limits(5, 0, 0, 0));
        try (Node a = new Node(config).start(); Node b = new Node(config).start();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            String key = Keys.create(a, "alice", false);
            List<Api> nodes = List.of(new Api(TestNodes.uri(a)).withKey(key), new Api(TestNodes.uri(b)).withKey(key));
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Api api = nodes.get(i % 2);
                String body = Json.write(Map.of("topic", "Race " + i));
                answers.add(pool.submit(() -> api.post("/api/jobs", body).status()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
            assertThat(statuses).filteredOn(s -> s == 429).hasSize(15);
        }
    }

    @Test
    void activeJobsAreCountedAcrossNodesAndFinishingOneFreesASlot() {
        Config config = cluster(new Limits(0, 2, 0, 0));
        try (Node a = new Node(config).start(); Node b = new Node(config).start()) {
            String key = Keys.create(a, "alice", false);
            Api onA = new Api(TestNodes.uri(a)).withKey(key);
            Api onB = new Api(TestNodes.uri(b)).withKey(key);
            Job first = onA.createJob("One");
            onB.createJob("Two");
            Api.Response refused = onA.post("/api/jobs", "{\"topic\":\"Three\"}");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body()).contains("TOO_MANY_ACTIVE_JOBS");
            assertThat(onB.post("/api/jobs/" + first.id() + "/cancel", "").status()).isEqualTo(200);
            assertThat(onA.post("/api/jobs", "{\"topic\":\"Three\"}").status()).isEqualTo(201);
        }
    }

    @Test
    void openStreamsAreCountedAcrossNodesAndAnswerARetryableError() throws Exception {
        Config config = cluster(new Limits(0, 0, 2, 0));
        try (Node a = new Node(config).start(); Node b = new Node(config).start()) {
            String key = Keys.create(a, "alice", false);
            Api onA = new Api(TestNodes.uri(a)).withKey(key);
            Api onB = new Api(TestNodes.uri(b)).withKey(key);
            Job job = onA.createJob("Watched by many tabs");
            SseStream first = onA.events(job.id(), null);
            try (SseStream second = onB.events(job.id(), null)) {
                assertThat(first.next().id()).as("first stream opened").isEqualTo("1");
                assertThat(second.next().id()).isEqualTo("1");
                try (SseStream third = onA.events(job.id(), null)) {
                    assertThat(third.status()).as("200, so an EventSource retries instead of dying").isEqualTo(200);
                    List<SseEvent> answer = third.readAll();
                    assertThat(answer).singleElement().satisfies(e -> {
                        assertThat(e.isError()).isTrue();
                        assertThat(e.data()).contains("TOO_MANY_STREAMS").contains("\"retryable\":true");
                    });
                    assertThat(third.retryMillis()).as("a slow retry, not a hot loop").isGreaterThanOrEqualTo(10_000L);
                }
                first.close();
                // The server notices the closed stream (within a second over HTTP/1.1, without a write), then gives the slot back.
                Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
                boolean reopened = false;
                while (!reopened && Instant.now().isBefore(deadline)) {
                    try (SseStream again = onB.events(job.id(), null)) {
                        reopened = !again.next().isError();
                    }
                    if (!reopened) {
                        Thread.sleep(250);
                    }
                }
                assertThat(reopened).as("a closed stream frees its slot").isTrue();
            }
        }
    }

    @Test
    void everyProviderCallIsCappedAtMaxOutputTokens() throws Exception {
        try (FakeLlmServer fake = new FakeLlmServer(FakeLlmServer.Wire.OPENAI)) {
            LlmConfig llm = LlmConfig.offline().withProvider("openai", "fake-model", fake.baseUrl());
            Config config = TestNodes.config(dir).withLlm(llm).withLimits(new Limits(0, 0, 0, 321));
            try (Node node = new Node(config).start()) {
                new Api(TestNodes.uri(node)).createJob(Map.of("topic", "Endless, please", "length", "short"));
                assertThat(fake.awaitRequests(1, Duration.ofSeconds(20))).isTrue();
                assertThat(fake.requests().getFirst().body()).containsPattern("\"max_(completion_)?tokens\"\\s*:\\s*321");
            }
        }
    }
}
