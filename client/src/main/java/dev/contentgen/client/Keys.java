package dev.contentgen.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.contentgen.api.ApiKeyInfo;
import dev.contentgen.api.Json;
import dev.contentgen.api.KeyRequest;
import dev.contentgen.api.NewApiKey;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
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

    /** Revokes a key at once on every node; revoking it again changes nothing. */
    public ApiKeyInfo revoke(String keyId) {
        HttpRequest post = http.request("api/keys/" + Http.segment(keyId) + "/revoke")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return calls.send("revoke key " + keyId, post, null, r -> Json.read(r.body(), ApiKeyInfo.class));
    }
}
