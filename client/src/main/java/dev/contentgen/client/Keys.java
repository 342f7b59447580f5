package dev.contentgen.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.ApiKeyInfo;
import dev.contentgen.api.Json;
import dev.contentgen.api.KeyRequest;
import dev.contentgen.api.KeyWebhook;
import dev.contentgen.api.NewApiKey;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The admin API for API keys: create (the secret is shown once), list, revoke. */
public final class Keys {
    private final Http http;
    private final Calls calls;

    Keys(Http http, Calls calls) {
        this.http = http;
        this.calls = calls;
    }

    /** A new key for owner {@code name}; keep its {@code secret}: the server keeps only a hash. */
    public NewApiKey create(String name, boolean admin) {
        Objects.requireNonNull(name, "name");
        HttpRequest post = http.request("api/keys")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(new KeyRequest(name, admin))))
                .build();
        return calls.send("create key", post, null, r -> Json.read(r.body(), NewApiKey.class));
    }

    /** Every key, newest first, revoked ones included; never their secrets. */
    public List<ApiKeyInfo> list() {
        HttpRequest get = http.request("api/keys").GET().build();
        return calls.send("list keys", get, null, r -> {
            JsonNode keys = Json.read(r.body(), JsonNode.class).path("keys");
            List<ApiKeyInfo> all = new ArrayList<>();
            keys.forEach(k -> all.add(Json.MAPPER.convertValue(k, ApiKeyInfo.class)));
            return all;
        });
    }

    /**
     * Gives the key a default webhook, for the jobs created with it that name none; the answer holds
     * its new secret, shown this once (setting it again makes a new one for later jobs).
     */
    public KeyWebhook setWebhook(String keyId, String url, boolean steps) {
        Objects.requireNonNull(url, "url");
        String body = Json.write(Map.of("url", url, "events", steps ? List.of("terminal", "step") : List.of("terminal")));
        HttpRequest put = http.request("api/keys/" + Http.segment(keyId) + "/webhook")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        return calls.send("set the default webhook of key " + keyId, put, null, r -> Json.read(r.body(), KeyWebhook.class));
    }

    /** The key's default webhook without its secret; {@code webhook()} is null when it has none. */
    public KeyWebhook webhook(String keyId) {
        HttpRequest get = http.request("api/keys/" + Http.segment(keyId) + "/webhook").GET().build();
        return calls.send("default webhook of key " + keyId, get, null, r -> Json.read(r.body(), KeyWebhook.class));
    }

    /** Removes the key's default webhook; jobs created before keep theirs. */
    public void clearWebhook(String keyId) {
        HttpRequest delete = http.request("api/keys/" + Http.segment(keyId) + "/webhook").DELETE().build();
        calls.send("clear the default webhook of key " + keyId, delete, null, r -> null);
    }

    /** Revokes a key at once on every node; revoking it again changes nothing. */
    public ApiKeyInfo revoke(String keyId) {
        HttpRequest post = http.request("api/keys/" + Http.segment(keyId) + "/revoke")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return calls.send("revoke key " + keyId, post, null, r -> Json.read(r.body(), ApiKeyInfo.class));
    }
}
