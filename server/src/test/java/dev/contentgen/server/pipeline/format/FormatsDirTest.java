package dev.contentgen.server.pipeline.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.FormatList;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.JobLogAssertions;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator's --formats-dir adds formats: listed, usable, checked at start-up, and never fatal at run time. */
class FormatsDirTest {
    @TempDir
    Path dir;

    Path formats() throws Exception {
        Path formats = Files.createDirectories(dir.resolve("formats"));
        Files.writeString(formats.resolve("haiku.yaml"), FormatFileTest.GOOD);
        return formats;
    }

    @Test
    void aFormatFromTheFolderIsListedAndRunsEndToEnd() throws Exception {
        try (Node node = new Node(TestNodes.config(dir.resolve("data")).withFormatsDir(formats())).start()) {
            Api api = new Api(TestNodes.uri(node));
            FormatList list = api.get("/api/formats").as(FormatList.class);
            FormatList.Entry haiku = list.find("haiku").orElseThrow();
            assertThat(haiku.label()).isEqualTo("Haiku");
            assertThat(haiku.steps()).extracting(FormatList.StepEntry::kind).containsExactly("poem", "note");
            assertThat(list.names()).contains("article", "blog-post");

            Job job = api.createJob(Map.of("topic", "Autumn rain", "format", "haiku"));
            var log = JobLogAssertions.assertConsistent(api.fullLog(job.id()));
            assertThat(log.terminal().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(log.finalArtifact().kind()).isEqualTo("haiku");
            assertThat(log.finalArtifact().title()).isEqualTo("Haiku: Autumn rain");
            assertThat(log.ofKind("poem")).hasSize(1);
            assertThat(api.job(job.id()).format().wireName()).isEqualTo("haiku");
        }
    }

    @Test
    void anUnknownFormatIsRefusedWithTheList() throws Exception {
        try (Node node = new Node(TestNodes.config(dir.resolve("data")).withFormatsDir(formats())).start()) {
            Api api = new Api(TestNodes.uri(node));
            for (String format : new String[] {"sonnet", "Not A Name!"}) {
                Api.Response r = api.post("/api/jobs", Json.write(Map.of("topic", "x", "format", format)));
                assertThat(r.status()).isEqualTo(400);
                JsonNode problem = Json.MAPPER.readTree(r.body());
                assertThat(problem.get("code").asText()).isEqualTo(ErrorCode.UNKNOWN_FORMAT.name());
                assertThat(problem.get("detail").asText()).contains("article", "social-thread", "blog-post", "haiku", "GET /api/formats");
            }
        }
    }

    @Test
    void aBrokenFileStopsTheStartNamingFileAndLine() throws Exception {
        Path formats = formats();
        Path broken = formats.resolve("zz-broken.yaml");
        Files.writeString(broken, FormatFileTest.GOOD.replace("name: haiku", "name: broken").replace("parts: [poem, note]", "parts: [poem, verse]"));
        assertThatThrownBy(() -> new Node(TestNodes.config(dir.resolve("data")).withFormatsDir(formats)).start())
                .isInstanceOf(FormatFileException.class)
                .hasMessageStartingWith(broken + " line 19: assemble uses 'verse'");
    }

    @Test
    void aJobWhoseFormatIsNoLongerLoadedFailsAndTheNodeCarriesOn() throws Exception {
        Path data = dir.resolve("data");
        String id;
        try (Node node = new Node(TestNodes.config(data).withFormatsDir(formats()).withWorkers(0)).start()) {
            id = new Api(TestNodes.uri(node)).createJob(Map.of("topic", "Autumn rain", "format", "haiku")).id();
        }
        try (Node node = new Node(TestNodes.config(data)).start()) {
            Api api = new Api(TestNodes.uri(node));
            var log = JobLogAssertions.assertConsistent(api.fullLog(id));
            assertThat(log.terminal().status()).isEqualTo(JobStatus.FAILED);
            assertThat(log.terminal().error().message()).contains("format 'haiku' is not loaded");
            Job next = api.createJob(Map.of("topic", "Still here", "length", "short"));
            assertThat(JobLogAssertions.assertConsistent(api.fullLog(next.id())).terminal().status()).isEqualTo(JobStatus.COMPLETED);
        }
    }
}
