package dev.contentgen.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.contentgen.api.JobPage;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.RawHttp;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode (loopback, no keys) needs no set-up, yet no web page the user visits can drive the
 * node: foreign Host names (DNS rebinding) and foreign origins are refused, and nothing is stored.
 */
class LocalModeTest {
    private static final String JOB = "{\"topic\":\"Planted by a web page\"}";

    @TempDir
    Path dir;

    Node node;
    Api api;

    @BeforeEach
    void start() {
        node = new Node(TestNodes.config(dir).withWorkers(0)).start();
        api = new Api(TestNodes.uri(node));
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theCrossSiteSimpleRequestFromTheIssueIsRefused() {
        RawHttp.Response answer = RawHttp.send(node.port(), "POST", "/api/jobs", JOB,
                "Host: evil.example", "Origin: http://evil.example", "Content-Type: text/plain");
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(jobCount()).isZero();
    }

    @Test
    void aRebindingHostNameIsRefusedEvenForReadsAndThePage() {
        int port = node.port();
        for (String path : new String[] {"/api/jobs", "/", "/healthz"}) {
            RawHttp.Response answer = RawHttp.send(port, "GET", path, null, "Host: rebind.evil.example:" + port);
            assertThat(answer.status()).as(path).isEqualTo(403);
            assertThat(answer.body()).contains("HOST_NOT_ALLOWED");
        }
        assertThat(RawHttp.send(port, "POST", "/api/jobs", JOB, "Host: rebind.evil.example:" + port,
                "Content-Type: application/json").status()).isEqualTo(403);
        assertThat(jobCount()).isZero();
    }

    @Test
    void aForeignOriginCannotCreateOrCancelEvenWithJson() {
        int port = node.port();
        RawHttp.Response create = RawHttp.send(port, "POST", "/api/jobs", JOB, "Host: 127.0.0.1:" + port,
                "Origin: http://evil.example", "Content-Type: application/json");
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.body()).contains("ORIGIN_NOT_ALLOWED");
        assertThat(create.header("Access-Control-Allow-Origin")).isNull();
        String id = api.createJob("Mine").id();
        assertThat(RawHttp.send(port, "POST", "/api/jobs/" + id + "/cancel", "", "Host: 127.0.0.1:" + port,
                "Origin: http://localhost.evil.example").status()).isEqualTo(403);
        assertThat(RawHttp.send(port, "POST", "/api/jobs", JOB, "Host: 127.0.0.1:" + port, "Origin: null",
                "Content-Type: application/json").status()).as("sandboxed pages send Origin: null").isEqualTo(403);
        assertThat(jobCount()).isEqualTo(1);
        assertThat(api.job(id).status().isTerminal()).as("the foreign cancel did nothing").isFalse();
    }

    @Test
    void loopbackNamesAndTheNodesOwnPagesWork() {
        int port = node.port();
        for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "app.localhost:" + port, "127.0.0.1"}) {
            assertThat(RawHttp.send(port, "GET", "/api/jobs", null, "Host: " + host).status()).as(host).isEqualTo(200);
        }
        RawHttp.Response own = RawHttp.send(port, "POST", "/api/jobs", JOB, "Host: localhost:" + port,
                "Origin: http://localhost:" + port, "Content-Type: application/json");
        assertThat(own.status()).as(own.body()).isEqualTo(201);
        assertThat(jobCount()).isEqualTo(1);
    }

    @Test
    void theFirstKeyEndsLocalMode() throws Exception {
        assertThat(api.get("/api/jobs").status()).isEqualTo(200);
        String key = Keys.create(node, "alice", false);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (api.get("/api/jobs").status() == 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(api.get("/api/jobs").status()).isEqualTo(401);
        assertThat(api.withKey(key).get("/api/jobs").status()).isEqualTo(200);
    }

    @Test
    void listeningBeyondLoopbackWithoutAKeyRefusesToStartAndSaysHowToMakeOne() {
        node.close();
        node = null;
        assertThatThrownBy(() -> new Node(TestNodes.config(dir).withHost("0.0.0.0")).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("contentgen keys create");
        try (Node opted = new Node(TestNodes.config(dir).withHost("0.0.0.0").withAuth(AccessMode.Setting.NONE)).start()) {
            assertThat(new Api(TestNodes.uri(opted)).get("/api/jobs").status()).as("--auth none serves without keys").isEqualTo(200);
        }
        try (Node first = new Node(TestNodes.config(dir)).start()) {
            Keys.create(first, "ops", true);
        }
        try (Node keyed = new Node(TestNodes.config(dir).withHost("0.0.0.0")).start()) {
            assertThat(new Api(TestNodes.uri(keyed)).get("/api/jobs").status()).as("with a key it starts, in key mode").isEqualTo(401);
        }
    }

    private int jobCount() {
        return api.get("/api/jobs?limit=100").as(JobPage.class).jobs().size();
    }
}
