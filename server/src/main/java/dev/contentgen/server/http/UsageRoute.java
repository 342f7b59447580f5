package dev.contentgen.server.http;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.Json;
import dev.contentgen.server.job.JobService;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /api/usage[?since=…]}: the caller's own tokens and cost (its key's owner, or
 * {@code local}); an admin key sees its own too, never another owner's.
 */
final class UsageRoute {
    private final JobService jobs;

    UsageRoute(JobService jobs) {
        this.jobs = jobs;
    }

    void handle(Context ctx) {
        String owner = Caller.writer(ctx).owner();
        ctx.contentType("application/json").result(Json.write(jobs.usage(owner, since(ctx.queryParam("since")))));
    }

    /** An instant (2026-12-01T09:00:00Z) or a day (2026-12-01, from its start in UTC); null for ever. */
    static Instant since(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD,
                    "'since' must be a day (2026-12-01) or an instant in UTC (2026-12-01T09:00:00Z).");
        }
    }
}
