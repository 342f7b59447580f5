package dev.contentgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.server.Node;
import dev.contentgen.server.auth.AccessMode;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.TestNodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code contentgen keys create|list|revoke}: in the store itself (beside a running node) and through the admin API. */
class KeysCommandTest {
    @TempDir
    Path dir;

    @Test
    void keysMadeInTheStoreWorkOnTheRunningNodeAndRevokingThemStopsThem() {
        Path data = dir.resolve("data");
        try (Node node = new Node(TestNodes.config(data).withAuth(AccessMode.Setting.KEYS).withWorkers(0)).start()) {
            CliRun created = CliRun.of("keys", "create", "--name", "alice", "--data-dir", data.toString());
            assertThat(created.exit()).as(created.err()).isZero();
            String secret = created.out().strip();
            assertThat(secret).startsWith("cgk_");
            assertThat(created.err()).contains("shown this once");

            Api alice = new Api(TestNodes.uri(node)).withKey(secret);
            assertThat(alice.get("/api/jobs").status()).isEqualTo(200);

            CliRun list = CliRun.of("keys", "list", "--data-dir", data.toString());
            assertThat(list.exit()).isZero();
            assertThat(list.out()).contains("alice", secret.substring(0, 12)).doesNotContain(secret);
            String id = list.out().lines().filter(l -> l.contains("alice")).findFirst().orElseThrow().split("\\s+")[0];

            CliRun revoked = CliRun.of("keys", "revoke", id, "--data-dir", data.toString());
            assertThat(revoked.exit()).isZero();
            assertThat(alice.get("/api/jobs").status()).isEqualTo(401);
            assertThat(CliRun.of("keys", "list", "--data-dir", data.toString()).out()
                    .lines().filter(l -> l.contains("alice")).findFirst().orElseThrow()).doesNotEndWith("-");
            assertThat(CliRun.of("keys", "revoke", "01900000-0000-7000-8000-000000000000", "--data-dir", data.toString()).exit())
                    .isEqualTo(ExitCode.NOT_FOUND);
        }
    }

    @Test
    void anOperatorManagesARemoteNodesKeysWithAnAdminKey() {
        Path data = dir.resolve("data");
        String admin = CliRun.of("keys", "create", "--name", "ops", "--admin", "--data-dir", data.toString()).out().strip();
        try (Node node = new Node(TestNodes.config(data).withAuth(AccessMode.Setting.KEYS).withWorkers(0)).start()) {
            String server = TestNodes.uri(node).toString();
            CliRun created = CliRun.of("keys", "create", "--name", "bob", "--server", server, "--api-key", admin);
            assertThat(created.exit()).as(created.err()).isZero();
            String bob = created.out().strip();
            assertThat(new Api(TestNodes.uri(node)).withKey(bob).get("/api/jobs").status()).isEqualTo(200);

            assertThat(CliRun.of("keys", "list", "--server", server, "--api-key", admin).out()).contains("bob", "ops");
            CliRun notAdmin = CliRun.of("keys", "list", "--server", server, "--api-key", bob);
            assertThat(notAdmin.exit()).isEqualTo(ExitCode.UNAUTHORIZED);
            assertThat(notAdmin.err()).contains("admin key");
            CliRun badName = CliRun.of("keys", "create", "--name", "Not Valid", "--data-dir", data.toString());
            assertThat(badName.exit()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(badName.err()).contains("lower-case letters");
        }
    }
}
