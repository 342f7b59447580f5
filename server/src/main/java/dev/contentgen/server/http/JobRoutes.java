package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Job;
import dev.contentgen.api.JobRequest;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.server.auth.Principal;
import dev.contentgen.server.auth.StreamTokens;
import dev.contentgen.server.config.Limits;
import dev.contentgen.server.job.JobService;
import dev.contentgen.server.pipeline.Providers;
import dev.contentgen.server.pipeline.format.Formats;
import dev.contentgen.server.store.CancelOutcome;
import dev.contentgen.server.store.CreationLimits;
import dev.contentgen.server.store.JobFilter;
import dev.contentgen.server.store.JobScope;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.WebhookEndpoint;
import dev.contentgen.server.store.WebhookStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The jobs API: create, list, get, cancel, delete, and stream tokens; each caller sees only its own jobs. */
final class JobRoutes {
    private static final int MAX_KEY_LENGTH = 200;
    /** A topic search longer than any topic can match nothing: refused instead of scanned for. */
    private static final int MAX_TOPIC_QUERY = JobRequest.MAX_TOPIC_LENGTH;

    private final JobService jobs;
    private final Providers providers;
    private final Formats formats;
    private final int maxBodyBytes;
    private final StreamTokens tokens;
    private final Limits limits;
    private final Consumer<String> deleted;
    private final WebhookStore webhooks;
    private final Function<String, Optional<WebhookEndpoint>> keyWebhooks;

    /**
     * {@code deleted}: told of each job deleted here, so this node's streams of it end at once;
     * {@code keyWebhooks}: a key's default webhook, by key id.
     */
    JobRoutes(JobService jobs, Providers providers, Formats formats, int maxBodyBytes, StreamTokens tokens, Limits limits,
              Consumer<String> deleted, WebhookStore webhooks, Function<String, Optional<WebhookEndpoint>> keyWebhooks) {
        this.deleted = deleted;
        this.webhooks = webhooks;
        this.keyWebhooks = keyWebhooks;
        this.jobs = jobs;
        this.providers = providers;
        this.formats = formats;
        this.maxBodyBytes = maxBodyBytes;
        this.tokens = tokens;
        this.limits = limits;
    }

    void create(Context ctx) {
        Principal caller = Caller.writer(ctx);
        String key = idempotencyKey(ctx.header("Idempotency-Key"));
        JobRequestParser.Parsed parsed = JobRequestParser.parse(RequestBody.read(ctx, maxBodyBytes), providers, formats);
        // Local mode has one trusted owner; keys get the configured limits.
        CreationLimits creation = caller instanceof Principal.LocalUser ? CreationLimits.NONE : limits.creation();
        WebhookEndpoint webhook = parsed.webhook();
        String webhookOfKey = null;
        // A job that names no webhook (and does not decline one with null) gets its key's default.
        if (webhook == null && !parsed.noWebhook() && caller instanceof Principal.KeyHolder holder) {
            webhook = keyWebhooks.apply(holder.keyId()).orElse(null);
            webhookOfKey = webhook == null ? null : holder.keyId();
        }
        Store.Created created = jobs.create(parsed.request(), webhook, webhookOfKey, key, caller.owner(), creation);
        ctx.status(created.created() ? 201 : 200)
                .header("Location", "/api/jobs/" + created.job().id());
        Optional<WebhookEndpoint> endpoint = webhook == null ? Optional.empty() : webhooks.endpoint(created.job().id());
        if (endpoint.isEmpty()) {
            json(ctx, created.job());
            return;
        }
        ctx.header("Cache-Control", "no-store");
        ObjectNode body = Json.MAPPER.valueToTree(created.job());
        ObjectNode shown = body.putObject("webhook").put("url", endpoint.get().url());
        Optional<String> ofKey = webhooks.defaultOfKey(created.job().id());
        if (ofKey.isPresent()) {
            // A key's default: its secret was shown once, when it was set on the key.
            shown.put("keyId", ofKey.get());
        } else {
            // The job's own secret is shown here only (and in the idempotent replay of this answer), never by GET.
            shown.put("secret", endpoint.get().secret());
        }
        shown.putArray("events").add("terminal");
        if (endpoint.get().steps()) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) shown.get("events")).add("step");
        }
        ctx.contentType("application/json").result(body.toString());
    }

    void list(Context ctx) {
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && !JobIds.isJobId(cursor)) {
            throw new ApiException(ErrorCode.INVALID_CURSOR, "'cursor' must be the nextCursor of a previous page.");
        }
        int limit = limit(ctx.queryParam("limit"));
        JobFilter filter = new JobFilter(statuses(ctx.queryParams("status")), topicQuery(ctx.queryParam("q")));
        json(ctx, jobs.list(Caller.writer(ctx).scope(), filter, cursor, limit));
    }

    /** {@code status=running,pending} or {@code status=running&status=pending}: any of them; none given, every status. */
    private static Set<JobStatus> statuses(List<String> values) {
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        for (String value : values) {
            for (String name : value.split(",", -1)) {
                String wire = name.strip().toLowerCase(Locale.ROOT);
                JobStatus status = Arrays.stream(JobStatus.values()).filter(s -> s.wireName().equals(wire)).findFirst()
                        .orElseThrow(() -> new ApiException(ErrorCode.INVALID_FIELD, "'status' must be one or more of "
                                + Arrays.stream(JobStatus.values()).map(JobStatus::wireName).collect(Collectors.joining(", "))
                                + ", separated by commas."));
                statuses.add(status);
            }
        }
        return statuses;
    }

    private static String topicQuery(String q) {
        if (q != null && q.length() > MAX_TOPIC_QUERY) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "'q' is too long: at most " + MAX_TOPIC_QUERY + " characters.");
        }
        return q;
    }

    void get(Context ctx) {
        json(ctx, find(ctx.pathParam("id"), Caller.writer(ctx).scope()));
    }

    void cancel(Context ctx) {
        JobScope scope = Caller.writer(ctx).scope();
        String id = ctx.pathParam("id");
        CancelOutcome outcome = JobIds.isJobId(id) ? jobs.cancel(id, scope) : CancelOutcome.NOT_FOUND;
        switch (outcome) {
            case NOT_FOUND -> throw notFound(id);
            case ALREADY_FINISHED -> throw new ApiException(ErrorCode.JOB_FINISHED,
                    "Job " + id + " has already finished and cannot be cancelled.");
            case CANCELLED, ALREADY_CANCELLED -> ctx.status(200);
            case REQUESTED -> ctx.status(202);
        }
        json(ctx, find(id, scope));
    }

    /** {@code DELETE /api/jobs/{id}}: 204, and the job is gone from every node (404 from then on). */
    void delete(Context ctx) {
        JobScope scope = Caller.writer(ctx).scope();
        String id = ctx.pathParam("id");
        if (!JobIds.isJobId(id) || !jobs.delete(id, scope)) {
            throw notFound(id);
        }
        deleted.accept(id);
        ctx.status(204);
    }

    /** A token to stream this job's events from a page that cannot send headers; it carries the job's owner. */
    void streamToken(Context ctx) {
        Job job = find(ctx.pathParam("id"), Caller.writer(ctx).scope());
        ctx.status(201);
        ctx.header("Cache-Control", "no-store");
        json(ctx, tokens.issue(job.id(), job.owner()));
    }

    private Job find(String id, JobScope scope) {
        if (!JobIds.isJobId(id)) {
            throw notFound(id);
        }
        return jobs.find(id, scope).orElseThrow(() -> notFound(id));
    }

    static ApiException notFound(String id) {
        return new ApiException(ErrorCode.JOB_NOT_FOUND, "No job with id '" + JobIds.shown(id) + "'.");
    }

    static String idempotencyKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new ApiException(ErrorCode.INVALID_FIELD,
                    "The Idempotency-Key header must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters (a UUID is ideal).");
        }
        return key;
    }

    private static int limit(String value) {
        if (value == null) {
            return 20;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= 100) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Falls through to the same answer as an out-of-range number.
        }
        throw new ApiException(ErrorCode.INVALID_FIELD, "'limit' must be a whole number from 1 to 100.");
    }

    private static void json(Context ctx, Object body) {
        ctx.contentType("application/json").result(Json.write(body));
    }
}
