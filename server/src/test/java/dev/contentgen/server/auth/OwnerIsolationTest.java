package dev.contentgen.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.Json;
import dev.contentgen.api.StreamToken;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * DESIGN.md guarantee 6: a user never sees another user's job — 404 JOB_NOT_FOUND on every route,
 * never 403, so ids leak nothing; lists and idempotency keys are per owner; an admin sees all.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class OwnerIsolationTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    Node node;
    Api alice;
    Api bob;
    Api admin;
    Api anonymous;
    String aliceSecret;

    @BeforeEach
    void start() {
        node = new Node(store.config(dir).withWorkers(0).withAuth(AccessMode.Setting.KEYS)).start();
        anonymous = new Api(TestNodes.uri(node));
        aliceSecret = Keys.create(node, "alice", false);
        alice = anonymous.withKey(aliceSecret);
        bob = anonymous.withKey(Keys.create(node, "bob", false));
        admin = anonymous.withKey(Keys.create(node, "ops", true));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void anotherOwnersStreamIsNotFoundWhileTheOwnerHasOneOpen() throws Exception {
        Job job = alice.createJob("Alice watches her plan");
        try (SseStream own = alice.events(job.id(), null)) {
            // Alice's opening just read the job's row; the next openings may reuse it, and still see whose job it is.
            assertThat(own.status()).isEqualTo(200);
            own.next();
            try (SseStream other = bob.events(job.id(), null)) {
                assertThat(other.status()).isEqualTo(404);
            }
            try (SseStream any = admin.events(job.id(), null)) {
                assertThat(any.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void anotherOwnersJobIsNotFoundOnEveryRoute() throws Exception {
        Job job = alice.createJob("Alice's secret plan");
        String id = job.id();
        assertNotFound(bob.get("/api/jobs/" + id));
        assertNotFound(bob.post("/api/jobs/" + id + "/cancel", ""));
        assertNotFound(bob.post("/api/jobs/" + id + "/stream-token", ""));
        assertNotFound(bob.get("/api/jobs/" + id + "/streams"));
        try (SseStream events = bob.events(id, null)) {
            assertThat(events.status()).isEqualTo(404);
        }
        // The same answer as for a job that never existed: nothing tells the two apart.
        Api.Response unknown = bob.get("/api/jobs/01900000-0000-7000-8000-000000000000");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(bob.get("/api/jobs/" + id).body().replace(id, "ID"))
                .isEqualTo(unknown.body().replace("01900000-0000-7000-8000-000000000000", "ID").replace("/api/jobs/ID", "/api/jobs/ID"));
        assertThat(alice.job(id).status()).as("bob's cancel changed nothing").isEqualTo(job.status());
    }

    @Test
    void aStreamTokenOfOneJobDoesNotOpenAnother() throws Exception {
        Job mine = alice.createJob("Mine");
        Job other = alice.createJob("Also mine");
        StreamToken token = Json.read(alice.post("/api/jobs/" + mine.id() + "/stream-token", "").body(), StreamToken.class);
        try (SseStream wrongJob = anonymous.open(java.net.http.HttpRequest.newBuilder(
                anonymous.base().resolve("/api/jobs/" + other.id() + "/events?token=" + token.token())).GET().build())) {
            assertThat(wrongJob.status()).isEqualTo(404);
        }
        Api.Response list = anonymous.get("/api/jobs?token=" + token.token());
        assertThat(list.status()).as("a stream token reads one stream, nothing else").isEqualTo(401);
    }

    @Test
    void listsShowOnlyTheCallersJobsAndAnAdminSeesAll() {
        Job a = alice.createJob("For Alice");
        Job b = bob.createJob("For Bob");
        assertThat(ids(alice.get("/api/jobs"))).containsExactly(a.id());
        assertThat(ids(bob.get("/api/jobs"))).containsExactly(b.id());
        assertThat(ids(admin.get("/api/jobs"))).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(admin.job(a.id()).owner()).isEqualTo("alice");
    }

    @Test
    void theSameIdempotencyKeyUnderTwoOwnersMakesTwoJobs() {
        String body = Json.write(Map.of("topic", "Same words, two people"));
        Api.Response first = alice.post("/api/jobs", body, "Idempotency-Key", "shared-key-1");
        Api.Response second = bob.post("/api/jobs", body, "Idempotency-Key", "shared-key-1");
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(first.as(Job.class).id()).isNotEqualTo(second.as(Job.class).id());
        Api.Response again = alice.post("/api/jobs", body, "Idempotency-Key", "shared-key-1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.as(Job.class).id()).isEqualTo(first.as(Job.class).id());
    }

    @Test
    void withoutAKeyEveryApiRouteIsUnauthorized() throws Exception {
        Job job = alice.createJob("Private");
        for (Api.Response r : List.of(anonymous.get("/api/jobs"), anonymous.get("/api/jobs/" + job.id()),
                anonymous.post("/api/jobs", "{\"topic\":\"x\"}"), anonymous.post("/api/jobs/" + job.id() + "/cancel", ""),
                anonymous.get("/api/providers"), anonymous.get("/api/keys"), anonymous.get("/metrics"),
                anonymous.withKey("cgk_not-a-real-key").get("/api/jobs"))) {
            assertThat(r.status()).as(r.body()).isEqualTo(401);
            assertThat(r.body()).contains(ErrorCode.UNAUTHORIZED.name());
        }
        try (SseStream events = anonymous.events(job.id(), null)) {
            assertThat(events.status()).isEqualTo(401);
        }
        assertThat(ids(admin.get("/api/jobs"))).as("no request without a key stored a job").containsExactly(job.id());
    }

    @Test
    void onlyAdminKeysManageKeysAndReadMetrics() {
        assertThat(alice.get("/api/keys").status()).isEqualTo(403);
        assertThat(alice.post("/api/keys", "{\"name\":\"mallory\",\"admin\":true}").status()).isEqualTo(403);
        assertThat(alice.get("/metrics").status()).isEqualTo(403);
        assertThat(admin.get("/metrics").status()).isEqualTo(200);
        assertThat(admin.get("/api/keys").body()).contains("\"alice\"").doesNotContain(aliceSecret).doesNotContain("secret");
    }

    private static void assertNotFound(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(404);
        assertThat(r.body()).contains(ErrorCode.JOB_NOT_FOUND.name());
    }

    private static List<String> ids(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.as(JobPage.class).jobs().stream().map(Job::id).toList();
    }
}
