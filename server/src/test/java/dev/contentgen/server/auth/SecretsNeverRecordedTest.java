package dev.contentgen.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.Json;
import dev.contentgen.server.Node;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flight recording of a node (what an operator takes to profile it, and may pass on) holds no
 * secret: Jdbi records every statement with its bound parameters, the server's stream-token signing
 * key among them, unless told not to.
 */
class SecretsNeverRecordedTest {
    @TempDir
    Path dir;

    @Test
    void statementEventsOfARecordingCarryNoBoundValues() throws Exception {
        List<RecordedEvent> statements = new ArrayList<>();
        String secret;
        try (Recording recording = new Recording()) {
            recording.enable("jdbi.statement");
            recording.start();
            try (Node node = new Node(TestNodes.config(dir).withAuth(AccessMode.Setting.KEYS)).start()) {
                secret = Keys.of(node).create("alice", false).secret();
                Api alice = new Api(TestNodes.uri(node)).withKey(secret);
                alice.createJob("Recorded without secrets");
                assertThat(alice.post("/api/session", Json.write(Map.of("key", secret))).status()).isEqualTo(200);
            }
            recording.stop();
            Path file = dir.resolve("node.jfr");
            recording.dump(file);
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (event.getEventType().getName().equals("jdbi.statement")) {
                    statements.add(event);
                }
            }
        }
        String signingKey = signingKeyOf(dir.resolve("contentgen.db"));

        assertThat(statements).as("the recording has the statement that stored the signing key")
                .anySatisfy(e -> assertThat(e.getString("sql")).contains("server_secrets"));
        assertThat(statements).allSatisfy(e -> assertThat(e.getString("parameters")).doesNotContain(signingKey)
                .doesNotContain(secret).doesNotContain("cgss_"));
    }

    private static String signingKeyOf(Path sqlite) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT value FROM server_secrets")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
