package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.contentgen.api.ApiKeyInfo;
import dev.contentgen.api.Job;
import dev.contentgen.api.NewApiKey;
import dev.contentgen.api.StreamToken;
import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.ApiContract;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * openapi.json (served at /api/openapi.json) is true: it has every route and only routes, every
 * operation answers as documented (every test's responses through {@link Api} are checked against it
 * by {@link ApiContract}), and a job's events match the event schemas.
 */
class OpenApiTest {
    /** Routes that are not the API: the UI's pages and files, and CORS preflights (answered for any /api path). */
    private static final Set<String> NOT_THE_API = Set.of("OPTIONS /api/*", "GET /jobs/{id}", "GET " + NpmAssets.ROUTE);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() {
        try (Node node = new Node(TestStore.SQLITE.config(dir).withWorkers(0)).start()) {
            Set<String> routes = node.routes().stream().filter(r -> !NOT_THE_API.contains(r)).collect(Collectors.toCollection(TreeSet::new));
            assertThat(routes).as("the routes of HttpServer").isEqualTo(ApiContract.operations());
        }
    }

    @Test
    void theDocumentIsServedAtApiOpenapiJsonAsOpenApi31() throws Exception {
        try (Node node = new Node(TestStore.SQLITE.config(dir).withWorkers(0).withAuth(AccessMode.Setting.KEYS)).start()) {
            Api.Response served = new Api(TestNodes.uri(node)).get("/api/openapi.json");
            assertThat(served.status()).as("open without a key").isEqualTo(200);
            assertThat(served.contentType()).startsWith("application/json");
            JsonNode document = JSON.readTree(served.body());
            assertThat(document).isEqualTo(ApiContract.document());
            assertThat(document.get("openapi").asText()).startsWith("3.1.");
        }
    }

    @Test
    void everyOperationAnswersAsDocumented() throws Exception {
        try (Node node = new Node(TestStore.SQLITE.config(dir).withAuth(AccessMode.Setting.KEYS)).start()) {
            Api anonymous = new Api(TestNodes.uri(node));
            Api admin = anonymous.withKey(Keys.create(node, "ops", true));
            String aliceKey = Keys.create(node, "alice", false);
            Api alice = anonymous.withKey(aliceKey);

            Job job = alice.post("/api/jobs", "{\"topic\": \"Contracts\", \"length\": \"short\"}", "Idempotency-Key", "k-1").as(Job.class);
            assertThat(alice.post("/api/jobs", "{\"topic\": \"Contracts\", \"length\": \"short\"}", "Idempotency-Key", "k-1").status()).isEqualTo(200);
            assertThat(alice.post("/api/jobs", "{\"topic\": \"Other\"}", "Idempotency-Key", "k-1").status()).isEqualTo(422);
            assertThat(alice.post("/api/jobs", "{\"topic\": \"x\", \"colour\": \"red\"}").status()).isEqualTo(400);
            assertThat(anonymous.post("/api/jobs", "{\"topic\": \"x\"}").status()).isEqualTo(401);
            List<SseEvent> log = alice.fullLog(job.id());

            assertThat(alice.get("/api/jobs?limit=1").status()).isEqualTo(200);
            assertThat(alice.get("/api/jobs?cursor=not-a-cursor").status()).isEqualTo(400);
            assertThat(alice.get("/api/jobs/" + job.id()).status()).isEqualTo(200);
            assertThat(alice.get("/api/jobs/no-such-job").status()).isEqualTo(404);
            assertThat(alice.post("/api/jobs/" + job.id() + "/cancel", "").status()).isEqualTo(409);
            assertThat(alice.post("/api/jobs/" + job.id() + "/stream-token", "").as(StreamToken.class).jobId()).isEqualTo(job.id());
            try (SseStream afterTheEnd = alice.events(job.id(), log.getLast().seq())) {
                assertThat(afterTheEnd.status()).isEqualTo(204);
            }
            assertThat(alice.get("/api/jobs/" + job.id() + "/streams").status()).isEqualTo(200);
            try (SseStream many = alice.multiplexed("job=" + job.id(), null)) {
                assertThat(many.status()).isEqualTo(200);
                assertThat(many.readAll()).hasSameSizeAs(log);
            }
            try (SseStream many = alice.multiplexed("job=" + job.id(), Long.toString(log.getLast().seq()))) {
                assertThat(many.status()).isEqualTo(204);
            }
            assertThat(alice.get("/api/events?job=" + job.id() + "&job=" + job.id()).status()).isEqualTo(400);
            assertThat(anonymous.get("/api/events?job=" + job.id()).status()).isEqualTo(401);
            Api.Response revised = alice.post("/api/jobs/" + job.id() + "/regenerate", "{\"step\": \"section-2\", \"instruction\": \"shorter\"}",
                    "Idempotency-Key", "r-1");
            assertThat(revised.status()).isEqualTo(202);
            assertThat(alice.post("/api/jobs/" + job.id() + "/regenerate", "{\"step\": \"section-2\", \"instruction\": \"shorter\"}",
                    "Idempotency-Key", "r-1").status()).isEqualTo(200);
            assertThat(alice.post("/api/jobs/" + job.id() + "/regenerate", "{\"step\": \"section-9\"}").status()).isEqualTo(400);
            alice.fullLog(revised.as(Job.class).id());
            assertThat(alice.get("/api/jobs/" + revised.as(Job.class).id() + "/revisions").status()).isEqualTo(200);
            assertThat(alice.get("/api/jobs/no-such-job/revisions").status()).isEqualTo(404);
            Job doomed = alice.post("/api/jobs", "{\"topic\": \"Deleted\"}").as(Job.class);
            assertThat(alice.delete("/api/jobs/" + doomed.id()).status()).isEqualTo(204);
            assertThat(alice.delete("/api/jobs/" + doomed.id()).status()).isEqualTo(404);

            // A loopback URL: this node refuses it (no --webhook-allow-private), so nothing leaves the machine.
            Api.Response hookedCreated = alice.post("/api/jobs",
                    "{\"topic\": \"Hooks\", \"length\": \"short\", \"webhook\": {\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"terminal\", \"step\"]}}");
            assertThat(hookedCreated.status()).isEqualTo(201);
            Job hooked = hookedCreated.as(Job.class);
            alice.fullLog(hooked.id());
            Api.Response deliveries = alice.get("/api/jobs/" + hooked.id() + "/webhooks");
            assertThat(deliveries.status()).isEqualTo(200);
            String deliveryId = JSON.readTree(deliveries.body()).get("deliveries").get(0).get("id").asText();
            assertThat(alice.post("/api/jobs/" + hooked.id() + "/webhooks/" + deliveryId + "/redeliver", "").status()).isEqualTo(202);
            assertThat(alice.post("/api/jobs/" + hooked.id() + "/webhooks/msg_unknown/redeliver", "").status()).isEqualTo(404);
            assertThat(alice.get("/api/jobs/no-such-job/webhooks").status()).isEqualTo(404);

            NewApiKey bob = admin.post("/api/keys", "{\"name\": \"bob\"}").as(NewApiKey.class);
            assertThat(admin.get("/api/keys").status()).isEqualTo(200);
            assertThat(admin.post("/api/keys/" + bob.key().id() + "/revoke", "").as(ApiKeyInfo.class).revoked()).isTrue();
            assertThat(admin.post("/api/keys/no-such-key/revoke", "").status()).isEqualTo(404);
            assertThat(alice.get("/api/keys").status()).isEqualTo(403);
            String carol = admin.post("/api/keys", "{\"name\": \"carol\"}").as(NewApiKey.class).key().id();
            assertThat(admin.put("/api/keys/" + carol + "/webhook", "{\"url\": \"http://127.0.0.1:9/hook\"}").status()).isEqualTo(200);
            assertThat(admin.get("/api/keys/" + carol + "/webhook").status()).isEqualTo(200);
            assertThat(admin.delete("/api/keys/" + carol + "/webhook").status()).isEqualTo(204);
            assertThat(admin.get("/api/keys/" + carol + "/webhook").status()).isEqualTo(200);
            assertThat(admin.put("/api/keys/" + carol + "/webhook", "{\"url\": \"ftp://x\"}").status()).isEqualTo(400);

            assertThat(anonymous.get("/api/session").status()).isEqualTo(200);
            assertThat(anonymous.post("/api/session", "{\"key\": \"" + aliceKey + "\"}").status()).isEqualTo(200);
            assertThat(anonymous.post("/api/session", "{\"key\": \"cgk_wrong\"}").status()).isEqualTo(401);
            assertThat(anonymous.delete("/api/session").status()).isEqualTo(204);

            assertThat(alice.get("/api/providers").status()).isEqualTo(200);
            assertThat(alice.get("/api/formats").status()).isEqualTo(200);
            assertThat(alice.get("/api/usage").status()).isEqualTo(200);
            assertThat(alice.get("/api/usage?since=2026-12-01").status()).isEqualTo(200);
            assertThat(alice.get("/api/usage?since=soon").status()).isEqualTo(400);
            assertThat(anonymous.get("/healthz").status()).isEqualTo(200);
            assertThat(anonymous.get("/readyz").status()).isEqualTo(200);
            assertThat(admin.get("/metrics").status()).isEqualTo(200);
            assertThat(alice.get("/metrics").status()).isEqualTo(403);
            assertThat(anonymous.get("/api/openapi.json").status()).isEqualTo(200);
        }
        try (Node node = new Node(TestStore.SQLITE.config(dir.resolve("idle")).withWorkers(0)).start()) {
            Api local = new Api(TestNodes.uri(node));
            Job pending = local.createJob("Never runs");
            assertThat(local.job(pending.id()).queue().position()).isEqualTo(1);
            assertThat(local.post("/api/jobs/" + pending.id() + "/regenerate", "{\"step\": \"outline\"}").status()).isEqualTo(409);
            assertThat(local.post("/api/jobs/" + pending.id() + "/cancel", "").status()).isEqualTo(200);
        }

        Set<String> seenOperations = ApiContract.seen().stream().map(s -> s.substring(0, s.lastIndexOf(' '))).collect(Collectors.toSet());
        assertThat(seenOperations).as("every documented operation was called and checked").containsAll(ApiContract.operations());
    }

    @Test
    void aJobsEventsAndTheStreamsErrorEventsMatchTheEventSchemas() throws Exception {
        try (Node node = new Node(TestStore.SQLITE.config(dir)).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job job = api.createJob("Events by the book");
            List<SseEvent> log = api.fullLog(job.id());
            assertThat(log).extracting(SseEvent::event).contains("status", "progress", "artifact.created", "artifact.delta", "artifact.completed");
            for (SseEvent event : log) {
                JsonNode data = JSON.readTree(event.data());
                assertThat(data.get("type").asText()).as("the SSE event name is the data's type").isEqualTo(event.event());
                assertThat(data.get("seq").asText()).as("the SSE id is the data's seq").isEqualTo(event.id());
                assertThat(ApiContract.validate("JobEvent", data)).as(event.data()).isEmpty();
            }
        }
        SseStream stream;
        try (Node node = new Node(TestStore.SQLITE.config(dir.resolve("draining")).withWorkers(0)).start()) {
            Api api = new Api(TestNodes.uri(node));
            stream = api.events(api.createJob("Waits forever").id(), null);
            assertThat(stream.status()).isEqualTo(200);
        }
        // Closing the node drained its stream with a SERVER_SHUTTING_DOWN error event.
        List<SseEvent> errors = stream.readAll().stream().filter(SseEvent::isError).toList();
        stream.close();
        assertThat(errors).isNotEmpty();
        for (SseEvent error : errors) {
            assertThat(ApiContract.validate("StreamError", JSON.readTree(error.data()))).as(error.data()).isEmpty();
        }
    }
}
