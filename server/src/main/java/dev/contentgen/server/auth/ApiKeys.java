package dev.contentgen.server.auth;

import dev.contentgen.api.ApiKeyInfo;
import dev.contentgen.api.NewApiKey;
import dev.contentgen.server.store.KeyStore;
import dev.contentgen.server.store.WebhookEndpoint;
import dev.contentgen.server.webhook.AddressPolicy;
import dev.contentgen.server.webhook.Signature;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys: minted here as {@code cgk_} and 43 random characters, stored only as a hash, looked up
 * on every request (so a revoked key is refused at once on every node). A key's name is its owner:
 * keys of one name share their jobs, so a key is rotated by creating a new one and revoking the old.
 */
public final class ApiKeys {
    public static final String SECRET_PREFIX = "cgk_";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final int SHOWN_PREFIX = SECRET_PREFIX.length() + 8;
    // "Last used" is a write; once a minute per key is plenty for an operator and spares the store.
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final int MAX_WEBHOOK_URL_LENGTH = 2000;

    private final KeyStore keys;
    private final Clock clock;

    public ApiKeys(KeyStore keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    public NewApiKey create(String name, boolean admin) {
        String why = invalidName(name);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        String secret = SECRET_PREFIX + Secrets.random(32);
        ApiKeyInfo info = keys.insert(name, secret.substring(0, SHOWN_PREFIX), Secrets.sha256(secret), admin);
        return new NewApiKey(info, secret);
    }

    /** Why {@code name} cannot name an owner, or null when it can. */
    private static String invalidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "A key's name (its owner) must be 1 to 64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.";
        }
        if (name.equals(Principal.LocalUser.OWNER)) {
            return "'local' is the owner of jobs created without a key; choose another name.";
        }
        return null;
    }

    public List<ApiKeyInfo> list() {
        return keys.list();
    }

    public Optional<ApiKeyInfo> find(String id) {
        return keys.find(id);
    }

    public boolean revoke(String id) {
        return keys.revoke(id);
    }

    /**
     * Gives the key a default webhook with a new secret (returned here, the one time it is shown):
     * jobs created with the key that name no webhook get a copy. Empty when there is no such key.
     */
    public Optional<WebhookEndpoint> setWebhook(String keyId, String url, boolean steps) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("The webhook URL is not a valid URL (" + e.getReason() + ").");
        }
        if (uri.toString().length() > MAX_WEBHOOK_URL_LENGTH) {
            throw new IllegalArgumentException("The webhook URL must be at most " + MAX_WEBHOOK_URL_LENGTH + " characters.");
        }
        AddressPolicy.shapeRefusal(uri).ifPresent(reason -> {
            throw new IllegalArgumentException("The webhook URL is refused: " + reason + ".");
        });
        return setWebhook(keyId, new WebhookEndpoint(uri.toString(), steps, Signature.newSecret()));
    }

    /** As above, with an endpoint the API has already checked. */
    public Optional<WebhookEndpoint> setWebhook(String keyId, WebhookEndpoint endpoint) {
        return keys.setWebhook(keyId, endpoint) ? Optional.of(endpoint) : Optional.empty();
    }

    /** The key's default webhook, secret included: callers show only its URL and events. */
    public Optional<WebhookEndpoint> webhook(String keyId) {
        return keys.webhook(keyId);
    }

    public boolean clearWebhook(String keyId) {
        return keys.clearWebhook(keyId);
    }

    public boolean anyActive() {
        return keys.anyActive();
    }

    /** The holder of {@code secret}, if it is a key we issued and it is not revoked. */
    public Optional<Principal.KeyHolder> authenticate(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        return keys.findActive(Secrets.sha256(secret)).map(key -> {
            touch(key);
            return new Principal.KeyHolder(key.id(), key.name(), key.admin(), false);
        });
    }

    /** The holder of the key with this id, if it is still active (a session names its key by id). */
    public Optional<Principal.KeyHolder> byId(String keyId) {
        return keys.findActiveById(keyId).map(key -> {
            touch(key);
            return new Principal.KeyHolder(key.id(), key.name(), key.admin(), true);
        });
    }

    private void touch(KeyStore.ActiveKey key) {
        long now = clock.millis();
        if (key.lastUsedAt() == null || now - key.lastUsedAt() >= TOUCH_EVERY.toMillis()) {
            keys.touch(key.id(), now);
        }
    }
}
