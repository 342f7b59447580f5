package dev.contentgen.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.RawHttp;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --cors-origin: the allowed origins get CORS answers (never with credentials); every other origin is refused. */
class CorsTest {
    @TempDir
    Path dir;

    @Test
    void anAllowedOriginsPreflightAndRequestsGetCorsHeadersAndOthersAreRefused() {
        try (Node node = new Node(TestNodes.config(dir).withAuth(AccessMode.Setting.KEYS).withWorkers(0)
                .withCorsOrigins(List.of("https://app.example.com"))).start()) {
            String key = Keys.create(node, "app", false);
            int port = node.port();
            RawHttp.Response preflight = RawHttp.send(port, "OPTIONS", "/api/jobs", null, "Host: 127.0.0.1:" + port,
                    "Origin: https://app.example.com", "Access-Control-Request-Method: POST",
                    "Access-Control-Request-Headers: authorization, content-type, idempotency-key");
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
            assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization", "Idempotency-Key", "Last-Event-ID");
            assertThat(preflight.header("Access-Control-Allow-Credentials")).as("cookies are for our own pages").isNull();

            RawHttp.Response create = RawHttp.send(port, "POST", "/api/jobs", "{\"topic\":\"From the app\"}", "Host: 127.0.0.1:" + port,
                    "Origin: https://app.example.com", "Authorization: Bearer " + key, "Content-Type: application/json");
            assertThat(create.status()).as(create.body()).isEqualTo(201);
            assertThat(create.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
            assertThat(create.header("Access-Control-Expose-Headers")).contains("Location");

            for (String origin : List.of("https://evil.example.com", "https://app.example.com.evil.example", "http://app.example.com")) {
                RawHttp.Response foreign = RawHttp.send(port, "OPTIONS", "/api/jobs", null, "Host: 127.0.0.1:" + port,
                        "Origin: " + origin, "Access-Control-Request-Method: POST");
                assertThat(foreign.status()).as(origin).isEqualTo(403);
                assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
                RawHttp.Response refused = RawHttp.send(port, "POST", "/api/jobs", "{\"topic\":\"Not from the app\"}",
                        "Host: 127.0.0.1:" + port, "Origin: " + origin, "Authorization: Bearer " + key, "Content-Type: application/json");
                assertThat(refused.status()).as(origin).isEqualTo(403);
            }
            assertThat(RawHttp.send(port, "GET", "/api/jobs", null, "Host: 127.0.0.1:" + port, "Authorization: Bearer " + key).body())
                    .contains("From the app").doesNotContain("Not from the app");
        }
    }
}
