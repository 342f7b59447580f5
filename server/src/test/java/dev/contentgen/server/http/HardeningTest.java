package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobPage;
import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.RawHttp;
import dev.contentgen.server.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input on raw sockets against a real node (in the spirit of Mercure's hardening_test.go).
 * DESIGN.md: bad input of any kind gets a 4xx problem with a stable code, never a 500 or an HTML
 * page, and stores nothing — including what the HTTP layer refuses before a route sees it.
 * {@link BadInputTest} covers the well-formed but invalid job requests.
 */
class HardeningTest {
    private static final String JOB = "{\"topic\": \"Why SSE streams die\"}";

    @TempDir
    static Path dir;
    static Node node;
    static Api api;
    static RawHttp raw;
    int jobsBefore;

    @BeforeAll
    static void start() {
        node = new Node(TestNodes.config(dir).withWorkers(0)).start();
        api = new Api(TestNodes.uri(node));
        raw = new RawHttp(TestNodes.uri(node));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @BeforeEach
    void countJobs() {
        jobsBefore = jobCount();
    }

    // JSON bodies

    @ParameterizedTest
    @ValueSource(strings = {"{\"topic\": \"a\"} {\"topic\": \"b\"}", "{\"topic\": \"a\"}]", "{\"topic\": \"a\"} trailing"})
    void trailingDataAfterTheObjectIsMalformed(String body) {
        assertRefused(raw.post("/api/jobs", "application/json", body), 400, "MALFORMED_JSON");
    }

    @Test
    void duplicateFieldsAreMalformed() {
        assertRefused(raw.post("/api/jobs", "application/json", "{\"topic\": \"a\", \"topic\": \"b\"}"), 400, "MALFORMED_JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ff", "c0af", "eda080", "e282"})
    void invalidUtf8IsMalformed(String hexBytes) {
        // ff: never UTF-8; c0af: an overlong "/"; eda080: an encoded surrogate; e282: a sequence cut short.
        byte[] bad = java.util.HexFormat.of().parseHex(hexBytes);
        byte[] body = concat("{\"topic\": \"x".getBytes(StandardCharsets.UTF_8), bad, "y\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused(raw.post("/api/jobs", "application/json", body), 400, "MALFORMED_JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"topic\": \"a\\ud800b\"}", "{\"topic\": \"end\\ud83d\"}", "{\"topic\": \"\\udc00\"}",
            "{\"topic\": \"ok\", \"audience\": \"x\\udfff\"}"})
    void loneSurrogateEscapesAreRefused(String body) {
        assertRefused(raw.post("/api/jobs", "application/json", body), 400, "INVALID_FIELD");
    }

    @Test
    void aLoneSurrogateInAFieldNameIsMalformed() {
        assertRefused(raw.post("/api/jobs", "application/json", "{\"topic\": \"ok\", \"\\ud800\": 1}"), 400, "MALFORMED_JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"topic\": [\"a\"]}", "{\"topic\": {\"a\": 1}}", "{\"topic\": true}", "{\"topic\": \"ok\", \"tone\": {}}",
            "{\"topic\": \"ok\", \"audience\": []}", "{\"topic\": \"ok\", \"provider\": 5}", "{\"topic\": \"ok\", \"model\": false}"})
    void wrongTypesAreInvalidFields(String body) {
        assertRefused(raw.post("/api/jobs", "application/json", body), 400, "INVALID_FIELD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "\"just a string\"", "42", "true"})
    void aBodyThatIsNotAnObjectIsMalformed(String body) {
        assertRefused(raw.post("/api/jobs", "application/json", body), 400, "MALFORMED_JSON");
    }

    @Test
    void deeplyNestedJsonIsMalformed() {
        String body = "{\"topic\": \"ok\", \"format\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        assertRefused(raw.post("/api/jobs", "application/json", body), 400, "MALFORMED_JSON");
    }

    // Framing: lengths and chunks

    @Test
    void aHugeDeclaredContentLengthIsRefusedWithoutWaitingForTheBody() {
        RawHttp.Response r = raw.sendAndKeepOpen("POST /api/jobs HTTP/1.1\r\n" + raw.hostLine()
                + "Content-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n", JOB.getBytes(StandardCharsets.UTF_8));
        assertRefused(r, 413, "BODY_TOO_LARGE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999999", "-1", "12abc", "1, 2"})
    void aContentLengthThatIsNotANumberOfBytesIsABadRequest(String length) {
        assertRefused(raw.send("POST /api/jobs HTTP/1.1\r\n" + raw.hostLine() + "Content-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\nConnection: close\r\n\r\n", JOB.getBytes(StandardCharsets.UTF_8)), 400, "BAD_REQUEST");
    }

    @Test
    void twoDifferentContentLengthsAreABadRequest() {
        assertRefused(raw.send("POST /api/jobs HTTP/1.1\r\n" + raw.hostLine() + "Content-Type: application/json\r\n"
                + "Content-Length: 31\r\nContent-Length: 5\r\nConnection: close\r\n\r\n", JOB.getBytes(StandardCharsets.UTF_8)), 400, "BAD_REQUEST");
    }

    @Test
    void aBodyCutShortOfItsContentLengthIsABadRequest() {
        assertRefused(raw.send("POST /api/jobs HTTP/1.1\r\n" + raw.hostLine() + "Content-Type: application/json\r\n"
                + "Content-Length: 200\r\n\r\n", JOB.getBytes(StandardCharsets.UTF_8)), 400, "BAD_REQUEST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz\r\n{}\r\n0\r\n\r\n", "1f\r\n" + JOB + "XXXX\r\n0\r\n\r\n", "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n"})
    void brokenChunkedEncodingIsABadRequest(String chunks) {
        assertRefused(raw.send("POST /api/jobs HTTP/1.1\r\n" + raw.hostLine() + "Content-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n", chunks.getBytes(StandardCharsets.ISO_8859_1)), 400, "BAD_REQUEST");
    }

    @Test
    void aChunkedBodyThatEndsBeforeItsLastChunkIsABadRequest() {
        assertRefused(raw.send("POST /api/jobs HTTP/1.1\r\n" + raw.hostLine() + "Content-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", "64\r\n{\"topic\": \"cut".getBytes(StandardCharsets.ISO_8859_1)), 400, "BAD_REQUEST");
    }

    @Test
    void aChunkedBodyOverTheLimitIsTooLarge() {
        String chunk = "{\"topic\": \"" + "x".repeat(70_000) + "\"}";
        assertRefused(raw.send("POST /api/jobs HTTP/1.1\r\n" + raw.hostLine() + "Content-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                (Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)), 413, "BODY_TOO_LARGE");
    }

    @Test
    void chunkedWithAContentLengthIsABadRequest() {
        // The classic request-smuggling shape: two framings, and a proxy and the node may pick different ones.
        String chunks = Integer.toHexString(JOB.length()) + "\r\n" + JOB + "\r\n0\r\n\r\n";
        assertRefused(raw.send("POST /api/jobs HTTP/1.1\r\n" + raw.hostLine() + "Content-Type: application/json\r\n"
                + "Content-Length: " + chunks.length() + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                chunks.getBytes(StandardCharsets.ISO_8859_1)), 400, "BAD_REQUEST");
    }

    @Test
    void anUnknownTransferEncodingIsABadRequest() {
        assertRefused(raw.send("POST /api/jobs HTTP/1.1\r\n" + raw.hostLine() + "Content-Type: application/json\r\n"
                + "Transfer-Encoding: gzip\r\nConnection: close\r\n\r\n", JOB.getBytes(StandardCharsets.UTF_8)), 400, "BAD_REQUEST");
    }

    // The request line and headers

    @Test
    void anOverLongUrlIsUriTooLong() {
        assertRefused(raw.get("/api/jobs/" + "a".repeat(20_000)), 414, "URI_TOO_LONG");
    }

    @Test
    void overLongHeadersAreHeadersTooLarge() {
        assertRefused(raw.send("POST /api/jobs HTTP/1.1\r\n" + raw.hostLine() + "Content-Type: application/json\r\n"
                + "X-Padding: " + "p".repeat(20_000) + "\r\nContent-Length: " + JOB.length() + "\r\nConnection: close\r\n\r\n",
                JOB.getBytes(StandardCharsets.UTF_8)), 431, "HEADERS_TOO_LARGE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/jobs/%zz", "/api/jobs/%00", "/api/jobs/..%2f..%2fetc%2fpasswd", "/api/jobs/%2e%2e/%2e%2e/etc/passwd",
            "/api/jobs/%c0%ae%c0%ae", "/api/jobs/%e2%82", "/api/jobs/%ff", "/%2e%2e/%2e%2e/etc/passwd", "/webjars/..%2f..%2fMETA-INF",
            "/npm/%2e%2e/%2e%2e/logback.xml",
            "/api/jobs/a%5cb", "/..;/api/jobs"})
    void badPathEncodingsAreBadRequests(String target) {
        assertRefused(raw.get(target), 400, "BAD_REQUEST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /api/jobs HTTP/1.1\r\nConnection: close\r\n\r\n",
            "GET /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nNo colon here\r\nConnection: close\r\n\r\n",
            "GET /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: a\u0001b\r\nConnection: close\r\n\r\n",
            "GET /api/jo bs HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            "GET /api/jobs\u00e9 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            "GET /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n Folded: header\r\nConnection: close\r\n\r\n",
            "G(T /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            "GET /api/jobs HTTP/9.9\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"})
    void malformedRequestLinesAndHeadersAreBadRequests(String request) {
        assertRefused(raw.send(request), 400, "BAD_REQUEST");
    }

    // JSON only: the cross-site "simple request" content types

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/json; charset=iso-8859-1", "application/jsonx", "text/json", "application/problem+json"})
    void aBodyThatIsNotJsonIsUnsupported(String contentType) {
        assertRefused(raw.post("/api/jobs", contentType, JOB), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void aBodyWithoutAContentTypeIsUnsupported() {
        assertRefused(raw.post("/api/jobs", null, JOB), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void aCrossSiteFormPostToCancelIsUnsupported() {
        Job job = api.createJob("Cancel me by form");
        jobsBefore = jobCount();
        assertRefused(raw.post("/api/jobs/" + job.id() + "/cancel", "application/x-www-form-urlencoded", ""), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(api.job(job.id()).status().wireName()).isEqualTo("pending");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON; Charset=\"UTF-8\""})
    void jsonBodiesAreAccepted(String contentType) {
        RawHttp.Response r = raw.post("/api/jobs", contentType, JOB);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(jobCount()).isEqualTo(jobsBefore + 1);
    }

    @Test
    void aPostWithoutABodyNeedsNoContentType() {
        Job job = api.createJob("Cancel me");
        RawHttp.Response r = raw.send("POST /api/jobs/" + job.id() + "/cancel HTTP/1.1\r\n" + raw.hostLine()
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(Json.read(r.body(), Job.class).status().wireName()).isEqualTo("cancelled");
        RawHttp.Response again = raw.send("POST /api/jobs/" + job.id() + "/cancel HTTP/1.1\r\n" + raw.hostLine() + "Connection: close\r\n\r\n");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
    }

    private void assertRefused(RawHttp.Response r, int status, String code) {
        assertProblem(r, status, code);
        assertThat(jobCount()).as("jobs stored").isEqualTo(jobsBefore);
    }

    static void assertProblem(RawHttp.Response r, int status, String code) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        var problem = Json.read(r.body(), com.fasterxml.jackson.databind.JsonNode.class);
        assertThat(problem.path("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isNotBlank();
    }

    private static int jobCount() {
        return api.get("/api/jobs?limit=100").as(JobPage.class).jobs().size();
    }

    private static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
