package dev.contentgen.server.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Artifact;
import dev.contentgen.api.ArtifactStatus;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.api.RevisionList;
import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regenerating one step of a completed job on the offline generator (docs/REVISIONS.md): a new job,
 * linked to its parent, whose log copies every other finished step byte for byte and reruns only
 * the chosen step and what depends on it; and every way to ask wrongly.
 */
@ParameterizedClass
@EnumSource(TestStore.class)
class RegenerateTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    @Test
    void aRevisionCopiesEveryStepButTheChosenOneAndItsDependentsByteForByte() throws Exception {
        try (Node node = new Node(store.config(dir)).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job parent = completed(api, api.createJob(Map.of("topic", "Heat pumps in old houses", "length", "short")));

            Api.Response answer = api.post("/api/jobs/" + parent.id() + "/regenerate", "{\"step\": \"section-2\", \"instruction\": \"shorter\"}");
            assertThat(answer.status()).isEqualTo(202);
            Job revision = answer.as(Job.class);
            assertThat(revision.id()).isNotEqualTo(parent.id());
            assertThat(revision.status()).isEqualTo(JobStatus.PENDING);
            assertThat(revision.topic()).isEqualTo(parent.topic());
            assertThat(revision.revision().parentId()).isEqualTo(parent.id());
            assertThat(revision.revision().revisionOf()).isEqualTo(parent.id());
            assertThat(revision.revision().number()).isEqualTo(1);
            assertThat(revision.revision().step()).isEqualTo("section-2");
            assertThat(revision.revision().instruction()).isEqualTo("shorter");

            List<SseEvent> log = api.fullLog(revision.id());
            var rebuilt = JobLogAssertions.assertConsistent(log);
            assertThat(rebuilt.terminal().status()).isEqualTo(JobStatus.COMPLETED);
            Set<Integer> reusedSteps = log.stream().map(e -> e.logged().event())
                    .filter(e -> e instanceof JobEvent.ArtifactCreated c && Boolean.TRUE.equals(c.reused()))
                    .map(e -> ((JobEvent.ArtifactCreated) e).step()).collect(Collectors.toSet());
            // article, short: 0 outline, 1-3 sections, 4 summary (reads the sections), 5 the assembly.
            assertThat(reusedSteps).containsExactlyInAnyOrder(0, 1, 3);
            assertThat(rebuilt.completed().values().stream().filter(c -> Boolean.TRUE.equals(c.reused())).count()).isEqualTo(3);

            Map<Integer, Artifact> before = byStep(parent);
            Map<Integer, Artifact> after = byStep(api.job(revision.id()));
            assertThat(after.keySet()).isEqualTo(before.keySet());
            for (int step : List.of(0, 1, 3)) {
                assertThat(after.get(step).content()).as("step %d is the parent's, byte for byte", step).isEqualTo(before.get(step).content());
                assertThat(after.get(step).title()).isEqualTo(before.get(step).title());
                assertThat(after.get(step).id()).isNotEqualTo(before.get(step).id());
            }
            assertThat(after.get(2).content()).as("the regenerated section, shorter").isNotEqualTo(before.get(2).content());
            assertThat(after.get(2).content().length()).isLessThan(before.get(2).content().length());
            assertThat(after.get(2).title()).isEqualTo(before.get(2).title());
            assertThat(after.get(5).content()).as("the article holds the new section").contains(after.get(2).content().strip())
                    .doesNotContain(before.get(2).content().strip()).contains(before.get(1).content().strip());
            Job parentAfter = api.job(parent.id());
            assertThat(parentAfter.lastSeq()).as("the parent's log is untouched").isEqualTo(parent.lastSeq());
            assertThat(parentAfter.revision()).isNull();
        }
    }

    @Test
    void revisionsChainAndTheHistoryListsThePieceInOrderFromAnyOfItsJobs() throws Exception {
        try (Node node = new Node(store.config(dir)).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job root = completed(api, api.createJob(Map.of("topic", "Community gardens", "length", "short")));
            Job first = completed(api, api.post("/api/jobs/" + root.id() + "/regenerate", "{\"step\": \"outline\"}").as(Job.class));
            Job second = completed(api, api.post("/api/jobs/" + first.id() + "/regenerate",
                    "{\"step\": \"section-1\", \"instruction\": \"more examples\"}").as(Job.class));
            Job sibling = completed(api, api.post("/api/jobs/" + root.id() + "/regenerate", "{\"step\": \"summary\"}").as(Job.class));
            Job unrelated = completed(api, api.createJob(Map.of("topic", "Something else", "length", "short")));

            assertThat(second.revision().parentId()).isEqualTo(first.id());
            assertThat(second.revision().revisionOf()).isEqualTo(root.id());
            assertThat(second.revision().number()).isEqualTo(2);
            assertThat(sibling.revision().number()).isEqualTo(3);
            assertThat(byStep(second).get(1).content()).as("more examples").contains("For example:");

            for (Job member : List.of(root, first, second, sibling)) {
                RevisionList history = api.get("/api/jobs/" + member.id() + "/revisions").as(RevisionList.class);
                assertThat(history.revisionOf()).isEqualTo(root.id());
                assertThat(history.revisions()).extracting(Job::id).containsExactly(root.id(), first.id(), second.id(), sibling.id());
            }
            assertThat(api.get("/api/jobs/" + unrelated.id() + "/revisions").as(RevisionList.class).revisions())
                    .extracting(Job::id).containsExactly(unrelated.id());
            // Regenerating the outline reran every section (they read it) and the summary (it reads them).
            List<SseEvent> log = api.fullLog(first.id());
            assertThat(log.stream().map(e -> e.logged().event())
                    .filter(e -> e instanceof JobEvent.ArtifactCreated c && Boolean.TRUE.equals(c.reused()))).isEmpty();
        }
    }

    @Test
    void concurrentRegenerationsOfOnePieceGetDistinctNumbersAndOneKeyMakesOneRevision() throws Exception {
        try (Node node = new Node(store.config(dir).withWorkers(1)).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job root = completed(api, api.createJob(Map.of("topic", "Parallel edits", "length", "short")));
            Job first = completed(api, api.post("/api/jobs/" + root.id() + "/regenerate", "{\"step\": \"summary\"}").as(Job.class));
            List<String> steps = List.of("outline", "section-1", "section-2", "section-3", "summary");
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<Api.Response>> answers = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    // Half from the root, half from its first revision: both lock the piece's root row.
                    String parent = i % 2 == 0 ? root.id() : first.id();
                    String body = "{\"step\": \"" + steps.get(i % steps.size()) + "\"}";
                    answers.add(pool.submit(() -> api.post("/api/jobs/" + parent + "/regenerate", body)));
                }
                List<java.util.concurrent.Future<Api.Response>> sameKey = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    sameKey.add(pool.submit(() -> api.post("/api/jobs/" + root.id() + "/regenerate", "{\"step\": \"outline\"}",
                            "Idempotency-Key", "one-key")));
                }
                Set<Integer> numbers = new java.util.HashSet<>();
                for (var answer : answers) {
                    assertThat(answer.get().status()).isEqualTo(202);
                    numbers.add(answer.get().as(Job.class).revision().number());
                }
                Set<String> keyed = new java.util.HashSet<>();
                for (var answer : sameKey) {
                    assertThat(answer.get().status()).isIn(200, 202);
                    keyed.add(answer.get().as(Job.class).id());
                    numbers.add(answer.get().as(Job.class).revision().number());
                }
                assertThat(keyed).as("one key, one revision").hasSize(1);
                assertThat(numbers).containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7, 8, 9, 10);
            }
            assertThat(api.get("/api/jobs/" + first.id() + "/revisions").as(RevisionList.class).revisions()).hasSize(11)
                    .extracting(j -> j.revision() == null ? 0 : j.revision().number()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        }
    }

    @Test
    void wrongRequestsAreRefusedClearlyAndStoreNothing() throws Exception {
        try (Node node = new Node(store.config(dir).withAuth(AccessMode.Setting.KEYS)).start()) {
            Api anonymous = new Api(TestNodes.uri(node));
            Api alice = anonymous.withKey(Keys.create(node, "alice", false));
            Api bob = anonymous.withKey(Keys.create(node, "bob", false));
            Job job = completed(alice, alice.createJob(Map.of("topic", "Tidy desks", "length", "short")));
            String path = "/api/jobs/" + job.id() + "/regenerate";

            Api.Response unknown = alice.post(path, "{\"step\": \"section-9\"}");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(code(unknown)).isEqualTo("UNKNOWN_STEP");
            assertThat(unknown.body()).contains("outline, section-1, section-2, section-3, summary");
            assertThat(code(alice.post(path, "{\"step\": \"article\"}"))).as("the assembly is not a step to regenerate").isEqualTo("UNKNOWN_STEP");
            assertThat(code(alice.post(path, "{}"))).isEqualTo("INVALID_FIELD");
            assertThat(code(alice.post(path, "{\"step\": \"outline\", \"tone\": \"playful\"}"))).isEqualTo("INVALID_FIELD");
            assertThat(code(alice.post(path, "{\"step\": \"outline\", \"instruction\": \"" + "x".repeat(501) + "\"}"))).isEqualTo("INVALID_FIELD");
            assertThat(code(alice.post(path, "{\"step\": 2}"))).isEqualTo("INVALID_FIELD");
            assertThat(code(alice.post(path, "not json"))).isEqualTo("MALFORMED_JSON");

            Api.Response foreign = bob.post(path, "{\"step\": \"outline\"}");
            assertThat(foreign.status()).as("another owner's job does not exist").isEqualTo(404);
            assertThat(code(foreign)).isEqualTo("JOB_NOT_FOUND");
            assertThat(bob.get("/api/jobs/" + job.id() + "/revisions").status()).isEqualTo(404);
            assertThat(anonymous.post(path, "{\"step\": \"outline\"}").status()).isEqualTo(401);
            assertThat(alice.post("/api/jobs/no-such-job/regenerate", "{\"step\": \"outline\"}").status()).isEqualTo(404);

            Api.Response first = alice.post(path, "{\"step\": \"summary\", \"instruction\": \"shorter\"}", "Idempotency-Key", "again-1");
            Api.Response retry = alice.post(path, "{\"step\": \"summary\", \"instruction\": \"shorter\"}", "Idempotency-Key", "again-1");
            assertThat(first.status()).isEqualTo(202);
            assertThat(retry.status()).isEqualTo(200);
            assertThat(retry.as(Job.class).id()).isEqualTo(first.as(Job.class).id());
            assertThat(alice.post(path, "{\"step\": \"summary\"}", "Idempotency-Key", "again-1").status())
                    .as("the same key for another request").isEqualTo(422);
            assertThat(bob.post(path, "{\"step\": \"summary\", \"instruction\": \"shorter\"}", "Idempotency-Key", "again-1").status())
                    .as("bob's key namespace is his own, and alice's job is not his").isEqualTo(404);

            RevisionList history = alice.get("/api/jobs/" + job.id() + "/revisions").as(RevisionList.class);
            assertThat(history.revisions()).extracting(Job::id).containsExactly(job.id(), first.as(Job.class).id());
            assertThat(alice.get("/api/jobs?limit=100").as(dev.contentgen.api.JobPage.class).jobs()).hasSize(2);
        }
    }

    @Test
    void aJobThatHasNotCompletedCannotBeRegenerated() {
        try (Node node = new Node(store.config(dir).withWorkers(0)).start()) {
            Api api = new Api(TestNodes.uri(node));
            Job pending = api.createJob("Never runs");
            Api.Response answer = api.post("/api/jobs/" + pending.id() + "/regenerate", "{\"step\": \"outline\"}");
            assertThat(answer.status()).isEqualTo(409);
            assertThat(code(answer)).isEqualTo("JOB_NOT_COMPLETED");
            assertThat(answer.body()).contains("pending");
            api.post("/api/jobs/" + pending.id() + "/cancel", "");
            Api.Response cancelled = api.post("/api/jobs/" + pending.id() + "/regenerate", "{\"step\": \"outline\"}");
            assertThat(code(cancelled)).isEqualTo("JOB_NOT_COMPLETED");
            assertThat(cancelled.body()).contains("cancelled");
        }
    }

    static Job completed(Api api, Job job) throws Exception {
        var log = JobLogAssertions.assertConsistent(api.fullLog(job.id()));
        assertThat(log.terminal().status()).as("job %s", job.id()).isEqualTo(JobStatus.COMPLETED);
        return api.job(job.id());
    }

    static Map<Integer, Artifact> byStep(Job job) {
        return job.artifacts().stream().filter(a -> a.status() == ArtifactStatus.COMPLETED)
                .collect(Collectors.toMap(Artifact::step, a -> a));
    }

    private static String code(Api.Response response) {
        return Json.read(response.body(), Map.class).get("code").toString();
    }
}
