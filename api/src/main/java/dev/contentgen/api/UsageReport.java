package dev.contentgen.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/usage}: an owner's token use and cost since {@code since} (null: ever), in total
 * and per provider and model; {@code jobs} counts the jobs with at least one step that used tokens.
 */
public record UsageReport(String owner, Instant since, long jobs, long inputTokens, long outputTokens, Double costUsd,
                          List<ModelUsage> models) {
    /** One provider and model's share. */
    public record ModelUsage(String provider, String model, long jobs, long inputTokens, long outputTokens, Double costUsd) {}
}
