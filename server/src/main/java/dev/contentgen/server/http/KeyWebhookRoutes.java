package dev.contentgen.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.server.auth.ApiKeys;
import dev.contentgen.server.store.WebhookEndpoint;
import io.javalin.http.Context;
import java.net.URI;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key's default webhook, for the jobs created with it that name none: show, set (with a new
 * secret, shown in that answer only) and clear. Admin only, like the rest of the keys API.
 */
final class KeyWebhookRoutes {
    private static final Logger log = LoggerFactory.getLogger(KeyWebhookRoutes.class);

    private final ApiKeys keys;

    KeyWebhookRoutes(ApiKeys keys) {
        this.keys = keys;
    }

    void show(Context ctx) {
        String id = existingKey(ctx);
        ObjectNode body = Json.MAPPER.createObjectNode().put("keyId", id);
        Optional<WebhookEndpoint> webhook = keys.webhook(id);
        if (webhook.isPresent()) {
            shown(body, webhook.get());
        } else {
            body.putNull("webhook");
        }
        ctx.contentType("application/json").result(body.toString());
    }

    void set(Context ctx) {
        String id = existingKey(ctx);
        JsonNode request = JsonBody.read(ctx, JsonNode.class);
        WebhookEndpoint endpoint = keys.setWebhook(id, JobRequestParser.webhook(request))
                .orElseThrow(() -> notFound(id));
        log.info("api key id={} default webhook set to host {}", id, URI.create(endpoint.url()).getHost());
        ObjectNode body = Json.MAPPER.createObjectNode().put("keyId", id);
        shown(body, endpoint).put("secret", endpoint.secret());
        ctx.header("Cache-Control", "no-store").contentType("application/json").result(body.toString());
    }

    void clear(Context ctx) {
        String id = existingKey(ctx);
        if (keys.clearWebhook(id)) {
            log.info("api key id={} default webhook cleared", id);
        }
        ctx.status(204);
    }

    private static ObjectNode shown(ObjectNode body, WebhookEndpoint endpoint) {
        ObjectNode webhook = body.putObject("webhook").put("url", endpoint.url());
        webhook.putArray("events").add("terminal");
        if (endpoint.steps()) {
            webhook.withArray("events").add("step");
        }
        return webhook;
    }

    private String existingKey(Context ctx) {
        if (!Caller.writer(ctx).mayManageKeys()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Managing keys needs an admin key (contentgen keys create --name NAME --admin).");
        }
        String id = ctx.pathParam("id");
        if (!JobIds.isJobId(id) || keys.find(id).isEmpty()) {
            throw notFound(id);
        }
        return id;
    }

    private static ApiException notFound(String id) {
        return new ApiException(ErrorCode.KEY_NOT_FOUND, "No key with id '" + JobIds.shown(id) + "'.");
    }
}
