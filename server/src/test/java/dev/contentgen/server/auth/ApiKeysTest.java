package dev.contentgen.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.ApiKeyInfo;
import dev.contentgen.api.Json;
import dev.contentgen.api.NewApiKey;
import dev.contentgen.server.Node;
import dev.contentgen.server.config.Config;
import dev.contentgen.server.testing.Api;
import dev.contentgen.server.testing.Keys;
import dev.contentgen.server.testing.TestNodes;
import dev.contentgen.server.testing.TestStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Keys are created through the admin API, work at once, are stored only as hashes, and a revoked key is refused at once. */
@ParameterizedClass
@EnumSource(TestStore.class)
class ApiKeysTest {
    @Parameter
    TestStore store;

    @TempDir
    Path dir;

    @Test
    void anAdminCreatesAKeyThatWorksAndIsStoredOnlyAsAHash() {
        try (Node node = new Node(store.config(dir).withWorkers(0).withAuth(AccessMode.Setting.KEYS)).start()) {
            Api admin = new Api(TestNodes.uri(node)).withKey(Keys.create(node, "ops", true));
            Api.Response created = admin.post("/api/keys", "{\"name\":\"alice\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            NewApiKey key = created.as(NewApiKey.class);
            assertThat(key.secret()).startsWith("cgk_").hasSize(4 + 43);
            assertThat(key.secret()).startsWith(key.key().prefix());
            assertThat(key.key().admin()).isFalse();

            Api alice = new Api(TestNodes.uri(node)).withKey(key.secret());
            assertThat(alice.post("/api/jobs", Json.write(Map.of("topic", "With my own key"))).status()).isEqualTo(201);

            List<String> stored = node.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT id || '|' || name || '|' || prefix || '|' || secret_hash FROM api_keys").mapTo(String.class).list());
            assertThat(stored).hasSize(2).noneMatch(row -> row.contains(key.secret()));
            assertThat(stored).anyMatch(row -> row.endsWith("|" + Secrets.sha256(key.secret())));

            ApiKeyInfo listed = admin.get("/api/keys").as(KeyList.class).keys().stream()
                    .filter(k -> k.id().equals(key.key().id())).findFirst().orElseThrow();
            assertThat(listed.name()).isEqualTo("alice");
            assertThat(listed.lastUsedAt()).as("last used is recorded").isNotNull();
        }
    }

    record KeyList(List<ApiKeyInfo> keys) {}

    @Test
    void aRevokedKeyIsRefusedAtOnceOnEveryNode() {
        Config config = store.config(dir).withAuth(AccessMode.Setting.KEYS).withWorkers(0);
        boolean cluster = store == TestStore.POSTGRESQL;
        try (Node a = new Node(config).start(); Node b = cluster ? new Node(config).start() : null) {
            Api admin = new Api(TestNodes.uri(a)).withKey(Keys.create(a, "ops", true));
            NewApiKey key = admin.post("/api/keys", "{\"name\":\"alice\"}").as(NewApiKey.class);
            Api onA = new Api(TestNodes.uri(a)).withKey(key.secret());
            Api onB = cluster ? new Api(TestNodes.uri(b)).withKey(key.secret()) : onA;
            assertThat(onA.get("/api/jobs").status()).isEqualTo(200);
            assertThat(onB.get("/api/jobs").status()).isEqualTo(200);

            Api.Response revoked = admin.post("/api/keys/" + key.key().id() + "/revoke", "");
            assertThat(revoked.status()).isEqualTo(200);
            assertThat(revoked.as(ApiKeyInfo.class).revoked()).isTrue();
            assertThat(onA.get("/api/jobs").status()).isEqualTo(401);
            assertThat(onB.get("/api/jobs").status()).as("the other node, with no delay").isEqualTo(401);
            assertThat(admin.post("/api/keys/01900000-0000-7000-8000-000000000000/revoke", "").status()).isEqualTo(404);
        }
    }

    @Test
    void badKeyRequestsAreRefusedAndStoreNothing() {
        try (Node node = new Node(store.config(dir).withWorkers(0).withAuth(AccessMode.Setting.KEYS)).start()) {
            Api admin = new Api(TestNodes.uri(node)).withKey(Keys.create(node, "ops", true));
            for (String body : List.of("{\"name\":\"Has Spaces\"}", "{\"name\":\"local\"}", "{}", "{\"name\":\"a\",\"extra\":1}",
                    "{\"name\":\"a\",\"name\":\"b\"}", "{\"name\":\"a\"} trailing", "[]", "")) {
                Api.Response r = admin.post("/api/keys", body);
                assertThat(r.status()).as(body + " → " + r.body()).isEqualTo(400);
                assertThat(r.contentType()).startsWith("application/problem+json");
            }
            assertThat(Keys.of(node).list()).hasSize(1);
        }
    }
}
