package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.ArtifactStatus;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.JobLogAssertions.Rebuilt;
import dev.contentgen.server.testing.SseEvent;
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

/** DESIGN.md "The stream protocol": create → stream → terminal status, the article built from its deltas. */
@ParameterizedClass
@EnumSource(TestStore.class)
class FullFlowTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;
    Node node;
    Api api;

    @BeforeEach
    void start() {
        node = new Node(store.config(dir)).start();
        api = new Api(TestNodes.uri(node));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void articleJobStreamsEveryStepAndEndsCompleted() throws Exception {
        Job job = api.createJob(Map.of("topic", "Why SSE streams die", "length", "short"));
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);

        List<SseEvent> events;
        try (SseStream stream = api.events(job.id(), null)) {
            assertThat(stream.status()).isEqualTo(200);
            events = stream.readAll();
            assertThat(stream.retryMillis()).as("retry: is sent first").isEqualTo(2000L);
        }
        Rebuilt log = JobLogAssertions.assertConsistent(events);

        assertThat(log.terminal().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(events.getFirst().event()).isEqualTo("status");
        assertThat(events.stream().map(SseEvent::event)).contains("progress", "artifact.created", "artifact.delta", "artifact.completed");
        assertThat(log.ofKind("outline")).hasSize(1);
        List<JobEvent.ArtifactCompleted> sections = log.ofKind("section");
        assertThat(sections).hasSize(3);
        JobEvent.ArtifactCompleted article = log.finalArtifact();
        assertThat(article.kind()).isEqualTo("article");
        for (JobEvent.ArtifactCompleted section : sections) {
            assertThat(log.ofKind("outline").getFirst().content()).contains(section.title());
            assertThat(countOf(article.content(), section.content().strip())).as("section %s once", section.title()).isEqualTo(1);
            assertThat(countOf(article.content(), "## " + section.title())).isEqualTo(1);
        }
        assertThat(article.content()).contains("Why SSE streams die");

        Job done = api.job(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.lastSeq()).isEqualTo(events.getLast().seq());
        assertThat(done.artifacts()).allMatch(a -> a.status() == ArtifactStatus.COMPLETED);
        assertThat(done.artifacts().getLast().content()).isEqualTo(article.content());
    }

    @Test
    void socialThreadIsItsHookAndPosts() throws Exception {
        Job job = api.createJob(Map.of("topic", "sourdough baking", "format", "social-thread", "tone", "playful"));
        Rebuilt log = JobLogAssertions.assertConsistent(api.fullLog(job.id()));

        assertThat(log.terminal().status()).isEqualTo(JobStatus.COMPLETED);
        String thread = log.finalArtifact().content();
        assertThat(log.finalArtifact().kind()).isEqualTo("thread");
        assertThat(thread).contains(log.ofKind("hook").getFirst().content().strip());
        assertThat(thread).contains("1/ ", "6/ ");
    }

    @Test
    void theSameTopicAndOptionsGiveTheSameText() throws Exception {
        Job first = api.createJob(Map.of("topic", "Kubernetes cost control", "length", "short"));
        Job second = api.createJob(Map.of("topic", "Kubernetes cost control", "length", "short"));
        String a = JobLogAssertions.assertConsistent(api.fullLog(first.id())).finalArtifact().content();
        String b = JobLogAssertions.assertConsistent(api.fullLog(second.id())).finalArtifact().content();
        assertThat(a).isEqualTo(b);
    }

    private static int countOf(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }
}
