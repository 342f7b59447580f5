package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The jobs API: creation with defaults, idempotency (guarantee 7), listing and reading. */
@ParameterizedClass
@EnumSource(TestStore.class)
class JobsApiTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;
    Node node;
    Api api;

    @BeforeEach
    void start() {
        node = new Node(store.config(dir).withWorkers(0)).start();
        api = new Api(TestNodes.uri(node));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void createAppliesDefaultsAndAnswers201WithLocation() {
        Api.Response r = api.post("/api/jobs", "{\"topic\": \"  Why SSE streams die  \"}");
        assertThat(r.status()).isEqualTo(201);
        Job job = r.as(Job.class);
        assertThat(job.topic()).isEqualTo("Why SSE streams die");
        assertThat(job.format().wireName()).isEqualTo("article");
        assertThat(job.tone().wireName()).isEqualTo("neutral");
        assertThat(job.length().wireName()).isEqualTo("medium");
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.lastSeq()).isEqualTo(1);
        assertThat(api.get("/api/jobs/" + job.id()).as(Job.class).id()).isEqualTo(job.id());
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameJob() {
        String body = "{\"topic\": \"Retries that duplicate jobs\"}";
        Api.Response first = api.post("/api/jobs", body, "Idempotency-Key", "key-123");
        Api.Response second = api.post("/api/jobs", body, "Idempotency-Key", "key-123");
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.as(Job.class).id()).isEqualTo(first.as(Job.class).id());
        assertThat(jobCount()).isEqualTo(1);
    }

    @Test
    void concurrentRetriesWithOneKeyCreateOneJob() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Api.Response>> responses = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                responses.add(pool.submit(() -> api.post("/api/jobs", "{\"topic\": \"Racing retries\"}", "Idempotency-Key", "race")));
            }
            Set<String> ids = new HashSet<>();
            int created = 0;
            for (Future<Api.Response> f : responses) {
                Api.Response r = f.get();
                assertThat(r.status()).isIn(200, 201);
                created += r.status() == 201 ? 1 : 0;
                ids.add(r.as(Job.class).id());
            }
            assertThat(ids).hasSize(1);
            assertThat(created).isEqualTo(1);
        }
        assertThat(jobCount()).isEqualTo(1);
    }

    @Test
    void reusingAKeyForADifferentRequestIsRefused() {
        api.post("/api/jobs", "{\"topic\": \"First\"}", "Idempotency-Key", "k");
        Api.Response r = api.post("/api/jobs", "{\"topic\": \"Second\"}", "Idempotency-Key", "k");
        assertThat(r.status()).isEqualTo(422);
        assertThat(code(r)).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(jobCount()).isEqualTo(1);
    }

    @Test
    void listIsNewestFirstWithCursorPagination() {
        for (int i = 0; i < 5; i++) {
            api.createJob("Job " + i);
        }
        JobPage first = api.get("/api/jobs?limit=2").as(JobPage.class);
        JobPage second = api.get("/api/jobs?limit=2&cursor=" + first.nextCursor()).as(JobPage.class);
        JobPage third = api.get("/api/jobs?limit=2&cursor=" + second.nextCursor()).as(JobPage.class);
        assertThat(first.jobs()).extracting(Job::topic).containsExactly("Job 4", "Job 3");
        assertThat(second.jobs()).extracting(Job::topic).containsExactly("Job 2", "Job 1");
        assertThat(third.jobs()).extracting(Job::topic).containsExactly("Job 0");
        assertThat(third.nextCursor()).isNull();
    }

    @Test
    void audienceIsOptionalStoredAndShownAndBlankMeansNotGiven() {
        Job with = api.post("/api/jobs", "{\"topic\": \"Leases\", \"audience\": \"  platform engineers \"}").as(Job.class);
        assertThat(with.audience()).isEqualTo("platform engineers");
        assertThat(api.job(with.id()).audience()).isEqualTo("platform engineers");
        assertThat(api.post("/api/jobs", "{\"topic\": \"Leases\", \"audience\": \" \"}").as(Job.class).audience()).isNull();
        assertThat(api.createJob("Leases").audience()).isNull();
    }

    @Test
    void aBlankAudienceIsTheSameRequestAsNoAudienceForIdempotency() {
        Api.Response first = api.post("/api/jobs", "{\"topic\": \"Keys\"}", "Idempotency-Key", "aud");
        Api.Response again = api.post("/api/jobs", "{\"topic\": \"Keys\", \"audience\": \"\"}", "Idempotency-Key", "aud");
        Api.Response other = api.post("/api/jobs", "{\"topic\": \"Keys\", \"audience\": \"CTOs\"}", "Idempotency-Key", "aud");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.as(Job.class).id()).isEqualTo(first.as(Job.class).id());
        assertThat(other.status()).isEqualTo(422);
    }

    @Test
    void theUiLibrariesThePageImportsAreServedWithAScriptType() {
        // markdown.js imports them by versioned path: this catches a version bumped in the pom but not there.
        List<String> paths = java.util.regex.Pattern.compile("'(/(?:webjars|npm)/[^']+)'").matcher(api.get("/markdown.js").body())
                .results().map(m -> m.group(1)).toList();
        assertThat(paths).as("markdown.js imports marked and DOMPurify").hasSize(2);
        for (String path : paths) {
            Api.Response r = api.get(path);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.contentType()).as(path).contains("javascript");
        }
    }

    @Test
    void theWebUiIsServedAtTheRootAndForJobLinks() {
        Api.Response root = api.get("/");
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.body()).contains("<html");
        Job job = api.createJob("Shared link");
        Api.Response link = api.get("/jobs/" + job.id());
        assertThat(link.status()).isEqualTo(200);
        assertThat(link.body()).isEqualTo(root.body());
    }

    private int jobCount() {
        return api.get("/api/jobs?limit=100").as(JobPage.class).jobs().size();
    }

    static String code(Api.Response r) {
        JsonNode node = Json.read(r.body(), JsonNode.class);
        return node.get("code").asText();
    }
}
