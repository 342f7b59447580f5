package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** DESIGN.md: bad input of any kind gets a 4xx problem with a clear message, never a 500, and changes nothing. */
class BadInputTest {
    @TempDir
    static Path dir;
    static Node node;
    static Api api;
    static Job existing;

    @BeforeAll
    static void start() {
        node = new Node(TestNodes.config(dir).withWorkers(0)).start();
        api = new Api(TestNodes.uri(node));
        existing = api.createJob("The only job");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Stream<Arguments> badCreates() {
        return Stream.of(
                Arguments.of("{\"topic\": ", 400, "MALFORMED_JSON"),
                Arguments.of("not json at all", 400, "MALFORMED_JSON"),
                Arguments.of("[\"a list\"]", 400, "MALFORMED_JSON"),
                Arguments.of("", 400, "MALFORMED_JSON"),
                Arguments.of("{}", 400, "INVALID_FIELD"),
                Arguments.of("{\"topic\": \"   \"}", 400, "INVALID_FIELD"),
                Arguments.of("{\"topic\": 42}", 400, "INVALID_FIELD"),
                Arguments.of("{\"topic\": \"" + "x".repeat(501) + "\"}", 400, "INVALID_FIELD"),
                Arguments.of("{\"topic\": \"bell\\u0007\"}", 400, "INVALID_FIELD"),
                Arguments.of("{\"topic\": \"ok\", \"format\": \"poem\"}", 400, "UNKNOWN_FORMAT"),
                Arguments.of("{\"topic\": \"ok\", \"tone\": \"angry\"}", 400, "INVALID_FIELD"),
                Arguments.of("{\"topic\": \"ok\", \"length\": 3}", 400, "INVALID_FIELD"),
                Arguments.of("{\"topic\": \"ok\", \"topc\": \"typo\"}", 400, "INVALID_FIELD"),
                Arguments.of("{\"topic\": \"ok\", \"audience\": 7}", 400, "INVALID_FIELD"),
                Arguments.of("{\"topic\": \"ok\", \"audience\": \"" + "x".repeat(201) + "\"}", 400, "INVALID_FIELD"),
                Arguments.of("{\"topic\": \"ok\", \"audience\": \"two\\nlines\"}", 400, "INVALID_FIELD"),
                Arguments.of("{\"topic\": \"" + "x".repeat(70_000) + "\"}", 413, "BODY_TOO_LARGE"));
    }

    @ParameterizedTest(name = "[{index}] {1} {2}")
    @MethodSource("badCreates")
    void badJobRequestsAreRefusedAndCreateNothing(String body, int status, String code) {
        Api.Response r = api.post("/api/jobs", body);
        assertProblem(r, status, code);
        assertThat(jobCount()).isEqualTo(1);
    }

    @Test
    void aBadIdempotencyKeyIsRefused() {
        assertProblem(api.post("/api/jobs", "{\"topic\": \"ok\"}", "Idempotency-Key", "x".repeat(201)), 400, "INVALID_FIELD");
        assertThat(jobCount()).isEqualTo(1);
    }

    static Stream<String> unknownIds() {
        return Stream.of("0191d7a0-0000-7000-8000-000000000000", "not-a-uuid", "%27%3B%20DROP%20TABLE%20jobs");
    }

    @ParameterizedTest
    @MethodSource("unknownIds")
    void unknownJobsAre404Everywhere(String id) {
        assertProblem(api.get("/api/jobs/" + id), 404, "JOB_NOT_FOUND");
        assertProblem(api.post("/api/jobs/" + id + "/cancel", ""), 404, "JOB_NOT_FOUND");
        assertProblem(api.get("/api/jobs/" + id + "/events"), 404, "JOB_NOT_FOUND");
    }

    static Stream<String> badLastEventIds() {
        return Stream.of("abc", "-1", "1.5", "99999999999999999999", "0x10", "1e3");
    }

    @ParameterizedTest
    @MethodSource("badLastEventIds")
    void aLastEventIdThatIsNotANonNegativeIntegerIs400(String lastEventId) {
        assertProblem(api.get("/api/jobs/" + existing.id() + "/events", "Last-Event-ID", lastEventId), 400, "INVALID_LAST_EVENT_ID");
    }

    @Test
    void aBadAfterParameterIs400() {
        assertProblem(api.get("/api/jobs/" + existing.id() + "/events?after=abc"), 400, "INVALID_LAST_EVENT_ID");
    }

    @Test
    void aLastEventIdWithControlCharactersIs400() throws Exception {
        // java.net.http refuses control characters in headers, so send the raw request over a socket.
        try (var socket = new java.net.Socket("127.0.0.1", node.port())) {
            socket.getOutputStream().write(("GET /api/jobs/" + existing.id() + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Last-Event-ID: 1\u00012\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void badListParametersAre400() {
        assertProblem(api.get("/api/jobs?limit=0"), 400, "INVALID_FIELD");
        assertProblem(api.get("/api/jobs?limit=lots"), 400, "INVALID_FIELD");
        assertProblem(api.get("/api/jobs?cursor=nonsense"), 400, "INVALID_CURSOR");
    }

    @Test
    void unknownApiRoutesAreProblemsToo() throws Exception {
        assertProblem(api.get("/api/nothing-here"), 404, "ROUTE_NOT_FOUND");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base() + "/api/jobs/" + existing.id()))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isIn(404, 405);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    private static void assertProblem(Api.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(JobsApiTest.code(r)).isEqualTo(code);
        assertThat(r.body()).contains("\"detail\"", "\"title\"", "\"type\"");
    }

    private static int jobCount() {
        return api.get("/api/jobs?limit=100").as(JobPage.class).jobs().size();
    }
}
