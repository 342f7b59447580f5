package dev.contentgen.server.http;

import dev.contentgen.api.ApiKeyInfo;
import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.api.KeyRequest;
import dev.contentgen.api.NewApiKey;
import dev.contentgen.server.auth.ApiKeys;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin API for keys: create, list, revoke. Only admin keys (or the local owner) may use it. */
final class KeyRoutes {
    private static final Logger log = LoggerFactory.getLogger(KeyRoutes.class);

    private final ApiKeys keys;

    KeyRoutes(ApiKeys keys) {
        this.keys = keys;
    }

    void create(Context ctx) throws IOException {
        requireAdmin(ctx);
        KeyRequest request = JsonBody.read(ctx, KeyRequest.class);
        NewApiKey created;
        try {
            created = keys.create(request.name(), request.isAdmin());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
        log.info("api key id={} created for owner {} (admin={})", created.key().id(), created.key().name(), created.key().admin());
        ctx.status(201).header("Cache-Control", "no-store").header("Location", "/api/keys/" + created.key().id());
        ctx.contentType("application/json").result(Json.write(created));
    }

    void list(Context ctx) {
        requireAdmin(ctx);
        List<ApiKeyInfo> all = keys.list();
        ctx.contentType("application/json").result(Json.write(Map.of("keys", all)));
    }

    void revoke(Context ctx) {
        requireAdmin(ctx);
        String id = ctx.pathParam("id");
        if (!JobIds.isJobId(id) || !keys.revoke(id)) {
            throw new ApiException(ErrorCode.KEY_NOT_FOUND, "No key with id '" + JobIds.shown(id) + "'.");
        }
        ApiKeyInfo revoked = keys.find(id).orElseThrow();
        log.info("api key id={} of owner {} revoked", revoked.id(), revoked.name());
        ctx.contentType("application/json").result(Json.write(revoked));
    }

    private static void requireAdmin(Context ctx) {
        if (!Caller.writer(ctx).mayManageKeys()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Managing keys needs an admin key (contentgen keys create --name NAME --admin).");
        }
    }
}
