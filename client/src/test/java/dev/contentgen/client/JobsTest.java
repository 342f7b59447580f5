package dev.contentgen.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Format;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Length;
import dev.contentgen.api.Tone;
import dev.contentgen.client.testing.FaultyProxy;
import dev.contentgen.client.testing.RecordingListener;
import dev.contentgen.client.testing.TestClients;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.FaultyDataSource;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's calls against a real node: typed results, idempotent creation, failures with the server's code. */
class JobsTest {
    @TempDir
    Path dir;

    @Test
    void createGetListAndCancelReturnTypedResults() {
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            Jobs jobs = client.jobs();
            Job first = jobs.create(new JobRequest("First", Format.SOCIAL_THREAD, Tone.PLAYFUL, Length.SHORT));
            Job second = jobs.create(JobRequest.of("Second"));
            Job third = jobs.create(JobRequest.of("Third"));
            assertThat(first.status()).isEqualTo(JobStatus.PENDING);
            assertThat(first.format()).isEqualTo(Format.SOCIAL_THREAD);
            assertThat(first.tone()).isEqualTo(Tone.PLAYFUL);

            assertThat(jobs.get(second.id()).topic()).isEqualTo("Second");
            JobPage page = jobs.list(null, 2);
            assertThat(page.jobs()).extracting(Job::id).containsExactly(third.id(), second.id());
            assertThat(jobs.list(page.nextCursor(), 2).jobs()).extracting(Job::id).containsExactly(first.id());

            CancelResult cancelled = jobs.cancel(first.id());
            assertThat(cancelled.stopping()).as("a pending job is cancelled at once").isFalse();
            assertThat(cancelled.job().status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(jobs.cancel(first.id()).job().status()).as("cancel is idempotent").isEqualTo(JobStatus.CANCELLED);
        }
    }

    @Test
    void listFiltersByStatusAndTopicAndPagesThroughTheFilteredList() {
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            Jobs jobs = client.jobs();
            Job why = jobs.create(JobRequest.of("Why SSE streams die"));
            Job sourdough = jobs.create(JobRequest.of("Sourdough"));
            Job browsers = jobs.create(JobRequest.of("sse in browsers"));
            Job cancelled = jobs.create(JobRequest.of("Cancelled SSE talk"));
            Job salt = jobs.create(JobRequest.of("Salt & pepper?"));
            jobs.cancel(cancelled.id());

            assertThat(jobs.list(JobFilter.statuses(JobStatus.CANCELLED), null, 10).jobs())
                    .extracting(Job::id).containsExactly(cancelled.id());
            assertThat(jobs.list(JobFilter.statuses(JobStatus.PENDING, JobStatus.CANCELLED), null, 10).jobs())
                    .hasSize(5);
            assertThat(jobs.list(JobFilter.topicContains("SSE"), null, 10).jobs()).as("any case, any status")
                    .extracting(Job::id).containsExactly(cancelled.id(), browsers.id(), why.id());
            assertThat(jobs.list(JobFilter.topicContains("t & p"), null, 10).jobs()).as("the text is sent encoded")
                    .extracting(Job::id).containsExactly(salt.id());
            assertThat(jobs.list(JobFilter.statuses(JobStatus.RUNNING), null, 10)).isEqualTo(new JobPage(java.util.List.of(), null));

            JobFilter pendingSse = JobFilter.statuses(JobStatus.PENDING).withTopicContains("sse");
            JobPage first = jobs.list(pendingSse, null, 1);
            assertThat(first.jobs()).extracting(Job::id).containsExactly(browsers.id());
            assertThat(first.nextCursor()).isNotNull();
            JobPage second = jobs.list(pendingSse, first.nextCursor(), 1);
            assertThat(second.jobs()).as("the cursor goes on through the filtered list").extracting(Job::id).containsExactly(why.id());
            assertThat(second.nextCursor()).as("no third pending job about SSE").isNull();
            assertThat(jobs.list(JobFilter.ALL, null, 10).jobs()).extracting(Job::id)
                    .containsExactly(salt.id(), cancelled.id(), browsers.id(), sourdough.id(), why.id());
        }
    }

    @Test
    void aTopicQueryLongerThanATopicIsRejected() {
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            String tooLong = "x".repeat(JobRequest.MAX_TOPIC_LENGTH + 1);
            ContentGenException e = catchThrowableOfType(ContentGenException.class,
                    () -> client.jobs().list(JobFilter.topicContains(tooLong), null, 10));
            assertThat(e.failure()).isInstanceOfSatisfying(Failure.Rejected.class, r -> {
                assertThat(r.code()).isEqualTo(ErrorCode.INVALID_FIELD);
                assertThat(r.detail()).contains("'q' is too long");
            });
        }
    }

    @Test
    void theSameKeyReturnsTheSameJob() {
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            Job a = client.jobs().create(JobRequest.of("Once"), "key-1");
            Job b = client.jobs().create(JobRequest.of("Once"), "key-1");
            assertThat(b.id()).isEqualTo(a.id());
            assertThat(client.jobs().list(null, 10).jobs()).hasSize(1);
        }
    }

    @Test
    void anAnswerLostOnTheWayIsRetriedUnderTheSameKeyAndCreatesOneJob() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0)).start();
             FaultyProxy proxy = new FaultyProxy(node.port());
             ContentGenClient client = TestClients.client(proxy.uri(), listener, 5)) {
            proxy.swallowAnswers(1);
            Job job = client.jobs().create(JobRequest.of("Exactly one"));

            assertThat(listener.retries).hasSize(1);
            assertThat(listener.retries.getFirst().cause()).isInstanceOf(Failure.ConnectionClosed.class);
            assertThat(client.jobs().list(null, 10).jobs()).as("the server created it once")
                    .extracting(Job::id).containsExactly(job.id());
        }
    }

    @Test
    void aServerThatIsBrieflyUnavailableIsRetried() throws Exception {
        AtomicReference<FaultyDataSource> faults = new AtomicReference<>();
        RecordingListener listener = new RecordingListener();
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0)).dataSourceWrapper(real -> {
                    faults.set(new FaultyDataSource(real));
                    return faults.get();
                }).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node), listener, 10)) {
            faults.get().down(true);
            CompletableFuture<Job> created = CompletableFuture.supplyAsync(() -> client.jobs().create(JobRequest.of("Patience")));
            listener.awaitRetry(f -> f instanceof Failure.ServerUnavailable u && u.status() == 503
                    && u.code() == ErrorCode.STORE_UNAVAILABLE && u.retryAfter().equals(Duration.ofSeconds(2)), Duration.ofSeconds(20));
            assertThat(listener.retries.getFirst().delay()).as("Retry-After is honoured").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            faults.get().down(false);

            Job job = created.get();
            assertThat(client.jobs().get(job.id()).topic()).isEqualTo("Patience");
        }
    }

    @Test
    void aBadRequestIsRejectedWithTheProblemsCodeAndDetailAndNotRetried() {
        RecordingListener listener = new RecordingListener();
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node), listener, 5)) {
            ContentGenException e = catchThrowableOfType(ContentGenException.class, () -> client.jobs().create(JobRequest.of("   ")));

            assertThat(e.failure()).isInstanceOfSatisfying(Failure.Rejected.class, r -> {
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.code()).isEqualTo(ErrorCode.INVALID_FIELD);
                assertThat(r.detail()).contains("'topic' must not be blank");
            });
            assertThat(e.getMessage()).contains("400", "INVALID_FIELD", "must not be blank");
            assertThat(listener.retries).isEmpty();
        }
    }

    @Test
    void anUnknownJobIsJobNotFound() {
        try (Node node = new Node(TestNodes.config(dir).withWorkers(0)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            String id = "01900000-0000-7000-8000-000000000000";
            for (Runnable call : new Runnable[] {() -> client.jobs().get(id), () -> client.jobs().cancel(id)}) {
                ContentGenException e = catchThrowableOfType(ContentGenException.class, call::run);
                assertThat(e.failure()).isInstanceOfSatisfying(Failure.JobNotFound.class,
                        f -> assertThat(f.jobId()).isEqualTo(id));
            }
        }
    }

    @Test
    void cancellingAFinishedJobIsRejectedAsJobFinished() {
        try (Node node = new Node(TestNodes.config(dir)).start();
             ContentGenClient client = TestClients.client(TestNodes.uri(node))) {
            Job job = client.jobs().create(JobRequest.of("Quick"));
            try (EventStream events = client.jobs().events(job.id())) {
                events.forEach(e -> { });
            }
            ContentGenException e = catchThrowableOfType(ContentGenException.class, () -> client.jobs().cancel(job.id()));
            assertThat(e.failure()).isInstanceOfSatisfying(Failure.Rejected.class,
                    r -> assertThat(r.code()).isEqualTo(ErrorCode.JOB_FINISHED));
        }
    }
}
