package dev.contentgen.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Job;
import dev.contentgen.api.Json;
import dev.contentgen.api.StreamToken;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.LogCapture;
import dev.contentgen.server.testing.SseStream;
import dev.contentgen.server.testing.TestNodes;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys, stream tokens and session cookies reach no log line: not on success, refusal, expiry or revocation. */
class SecretsNeverLoggedTest {
    @TempDir
    Path dir;

    @Test
    void noKeyTokenOrSessionAppearsInTheLog() throws Exception {
        try (LogCapture log = new LogCapture(); Node node = new Node(TestNodes.config(dir).withAuth(AccessMode.Setting.KEYS)
                .withStreamTokenTtl(Duration.ofSeconds(1))).start()) {
            var created = Keys.of(node).create("alice", false);
            Api alice = new Api(TestNodes.uri(node)).withKey(created.secret());
            Job job = alice.createJob("Secrets stay secret");
            StreamToken token = Json.read(alice.post("/api/jobs/" + job.id() + "/stream-token", "").body(), StreamToken.class);
            String url = "/api/jobs/" + job.id() + "/events?token=" + token.token();
            try (SseStream stream = alice.open(HttpRequest.newBuilder(alice.base().resolve(url)).GET().build())) {
                stream.readAll();
            }
            Thread.sleep(1_200);
            try (SseStream expired = alice.open(HttpRequest.newBuilder(alice.base().resolve(url)).GET().build())) {
                assertThat(expired.status()).isEqualTo(401);
            }
            Api.Response session = alice.post("/api/session", Json.write(java.util.Map.of("key", created.secret())));
            assertThat(session.status()).isEqualTo(200);
            alice.get("/api/jobs/" + job.id() + "/events?token=" + token.token() + "x");
            Keys.of(node).revoke(created.key().id());
            assertThat(alice.get("/api/jobs").status()).isEqualTo(401);

            assertThat(log.lines()).allSatisfy(line -> assertThat(line).doesNotContain(created.secret())
                    .doesNotContain(token.token()).doesNotContain(token.token().substring(5, 25)).doesNotContain("cgss_"));
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("reason=stream_token_expired"));
        }
    }
}
