package dev.contentgen.server.store;

import dev.contentgen.api.ApiKeyInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** All SQL of API keys and of the secrets the nodes of a cluster share. Portable between SQLite and PostgreSQL. */
public final class KeyStore {
    private static final String KEY_COLUMNS = "id, name, prefix, admin, created_at, last_used_at, revoked_at";

    private final Jdbi jdbi;
    private final Clock clock;

    public KeyStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A key that authenticates: its listing and whether it is an admin key. */
    public record ActiveKey(String id, String name, boolean admin, Long lastUsedAt) {}

    public ApiKeyInfo insert(String name, String prefix, String secretHash, boolean admin) {
        return guarded(() -> jdbi.withHandle(h -> {
            String id = Ids.newId(clock);
            h.createUpdate("""
                    INSERT INTO api_keys (id, name, prefix, secret_hash, admin, created_at)
                    VALUES (:id, :name, :prefix, :hash, :admin, :now)""")
                    .bind("id", id).bind("name", name).bind("prefix", prefix).bind("hash", secretHash)
                    .bind("admin", admin ? 1 : 0).bind("now", clock.millis())
                    .execute();
            return h.createQuery("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE id = :id").bind("id", id)
                    .map((rs, ctx) -> info(rs)).one();
        }));
    }

    /** Every key, newest first, revoked ones included (an operator wants to see them). */
    public List<ApiKeyInfo> list() {
        return guarded(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + KEY_COLUMNS + " FROM api_keys ORDER BY id DESC")
                .map((rs, ctx) -> info(rs)).list()));
    }

    public Optional<ApiKeyInfo> find(String id) {
        return guarded(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> info(rs)).findOne()));
    }

    /** The unrevoked key with this secret hash; read on every request, so a revocation holds at once on every node. */
    public Optional<ActiveKey> findActive(String secretHash) {
        return guarded(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, name, admin, last_used_at FROM api_keys WHERE secret_hash = :hash AND revoked_at IS NULL""")
                .bind("hash", secretHash)
                .map((rs, ctx) -> activeKey(rs)).findOne()));
    }

    /** Whether the key with this id exists and is not revoked (sessions carry the id, not the secret). */
    public Optional<ActiveKey> findActiveById(String id) {
        return guarded(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, name, admin, last_used_at FROM api_keys WHERE id = :id AND revoked_at IS NULL""")
                .bind("id", id)
                .map((rs, ctx) -> activeKey(rs)).findOne()));
    }

    /** Revokes a key; false when there is no such key. Revoking twice keeps the first time. */
    public boolean revoke(String id) {
        return guarded(() -> jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, :now) WHERE id = :id")
                .bind("now", clock.millis()).bind("id", id).execute() == 1));
    }

    public void touch(String id, long usedAt) {
        guarded(() -> jdbi.withHandle(h -> h.createUpdate("UPDATE api_keys SET last_used_at = :at WHERE id = :id")
                .bind("at", usedAt).bind("id", id).execute()));
    }

    public boolean anyActive() {
        return guarded(() -> jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL")
                .mapTo(Long.class).one() > 0));
    }

    /** Sets (or replaces) the key's default webhook; false when there is no such key. */
    public boolean setWebhook(String keyId, WebhookEndpoint endpoint) {
        return guarded(() -> jdbi.inTransaction(h -> {
            if (h.createQuery("SELECT 1 FROM api_keys WHERE id = :id").bind("id", keyId).mapTo(Integer.class).findOne().isEmpty()) {
                return false;
            }
            h.createUpdate("DELETE FROM api_key_webhooks WHERE key_id = :id").bind("id", keyId).execute();
            h.createUpdate("""
                            INSERT INTO api_key_webhooks (key_id, url, steps, secret, created_at)
                            VALUES (:id, :url, :steps, :secret, :now)""")
                    .bind("id", keyId).bind("url", endpoint.url()).bind("steps", endpoint.steps() ? 1 : 0)
                    .bind("secret", endpoint.secret()).bind("now", clock.millis()).execute();
            return true;
        }));
    }

    /** The key's default webhook, secret included (copied into each job created with the key). */
    public Optional<WebhookEndpoint> webhook(String keyId) {
        return guarded(() -> jdbi.withHandle(h -> h.createQuery("SELECT url, steps, secret FROM api_key_webhooks WHERE key_id = :id")
                .bind("id", keyId)
                .map((rs, ctx) -> new WebhookEndpoint(rs.getString("url"), rs.getInt("steps") == 1, rs.getString("secret")))
                .findOne()));
    }

    /** Removes the key's default webhook; false when it had none. Jobs created before keep their copy. */
    public boolean clearWebhook(String keyId) {
        return guarded(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM api_key_webhooks WHERE key_id = :id")
                .bind("id", keyId).execute() > 0));
    }

    /**
     * The cluster-wide secret called {@code name}; the first node to ask stores {@code candidate},
     * every later ask (on any node) gets that same value.
     */
    public String sharedSecret(String name, String candidate) {
        return guarded(() -> jdbi.withHandle(h -> {
            h.createUpdate("INSERT INTO server_secrets (name, value, created_at) VALUES (:name, :value, :now) ON CONFLICT DO NOTHING")
                    .bind("name", name).bind("value", candidate).bind("now", clock.millis()).execute();
            return h.createQuery("SELECT value FROM server_secrets WHERE name = :name").bind("name", name)
                    .mapTo(String.class).one();
        }));
    }

    private static ActiveKey activeKey(ResultSet rs) throws SQLException {
        long used = rs.getLong("last_used_at");
        return new ActiveKey(rs.getString("id"), rs.getString("name"), rs.getInt("admin") == 1, rs.wasNull() ? null : used);
    }

    private static ApiKeyInfo info(ResultSet rs) throws SQLException {
        return new ApiKeyInfo(rs.getString("id"), rs.getString("name"), rs.getString("prefix"), rs.getInt("admin") == 1,
                Instant.ofEpochMilli(rs.getLong("created_at")), instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static <T> T guarded(Supplier<T> work) {
        try {
            return work.get();
        } catch (JdbiException e) {
            throw new StoreException("key store operation failed: " + e.getMessage(), e);
        }
    }
}
