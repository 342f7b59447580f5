package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.RawHttp;
import dev.contentgen.server.testing.TestNodes;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every answer — the UI, its assets, the API, problems from routes and from Jetty, streams — carries the security headers. */
class SecurityHeadersTest {
    @TempDir
    static Path dir;
    static Node node;
    static Api api;
    static RawHttp raw;
    static Job job;

    @BeforeAll
    static void start() {
        // No workers: the job stays pending, so its stream stays open while the test reads it.
        node = new Node(TestNodes.config(dir).withWorkers(0)).start();
        api = new Api(TestNodes.uri(node));
        raw = new RawHttp(TestNodes.uri(node));
        job = api.createJob("Headers");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Stream<String> pages() {
        return Stream.of("/", "/jobs/" + job.id(), "/app.js", "/style.css", library("dompurify"), library("marked"),
                "/api/jobs", "/api/jobs/" + job.id(), "/api/providers", "/healthz", "/api/jobs/no-such-job", "/api/no-such-route",
                "/api/jobs/%zz", "/api/jobs/" + "a".repeat(20_000));
    }

    @ParameterizedTest
    @MethodSource("pages")
    void everyAnswerCarriesTheSecurityHeaders(String target) {
        assertSecurityHeaders(raw.get(target));
    }

    @Test
    void refusedBodiesCarryThemToo() {
        RawHttp.Response r = raw.post("/api/jobs", "text/plain", "{\"topic\": \"x\"}");
        assertThat(r.status()).isEqualTo(415);
        assertSecurityHeaders(r);
    }

    @Test
    void theUiPageHasNoInlineScriptOrStyleForTheCspToBlock() {
        String page = api.get("/").body();
        assertThat(page).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>")
                .doesNotContainPattern("\\son[a-z]+\\s*=")
                .doesNotContain("<style", " style=", "javascript:");
    }

    @Test
    void aStreamCarriesThemAndIsStillFlushedAtOnce() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(api.base().resolve("/api/jobs/" + job.id() + "/events"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        try (var lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(SecurityHeaders.CONTENT_SECURITY_POLICY);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            // The job is pending and will not move: this line arrives only if the stream is not held back.
            assertThat(lines.readLine()).startsWith("retry:");
        }
    }

    /** The path markdown.js imports the library from, so the test follows a version bump. */
    private static String library(String name) {
        return java.util.regex.Pattern.compile("'(/(?:webjars|npm)/" + name + "/[^']+)'").matcher(api.get("/markdown.js").body())
                .results().map(m -> m.group(1)).findFirst().orElseThrow();
    }

    private static void assertSecurityHeaders(RawHttp.Response r) {
        assertThat(r.header("Content-Security-Policy")).as(r.toString().substring(0, Math.min(300, r.toString().length())))
                .isEqualTo(SecurityHeaders.CONTENT_SECURITY_POLICY)
                .contains("default-src 'self'", "img-src 'self' data:", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
    }
}
