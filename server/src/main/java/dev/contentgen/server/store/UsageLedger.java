package dev.contentgen.server.store;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.StepUsage;
import dev.contentgen.api.UsageReport;
import dev.contentgen.api.UsageTotals;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * All SQL of token usage: one row per completed step that used tokens, written by the event log's
 * append in its transaction, and read back as a job's total or an owner's since a time.
 */
public final class UsageLedger {
    static final String RECORD = """
            INSERT INTO step_usage (artifact_id, job_id, owner_id, step, provider, model, input_tokens, output_tokens, cost_usd, created_at)
            SELECT ?, id, owner_id, (SELECT step FROM artifacts WHERE id = ?), ?, ?, ?, ?, ?, ? FROM jobs WHERE id = ?
            ON CONFLICT (artifact_id) DO NOTHING""";

    private final Jdbi jdbi;

    public UsageLedger(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Records what a completed step used, in the append's transaction; a step without usage writes nothing. */
    static void record(Projections out, String jobId, JobEvent.ArtifactCompleted completed, long now) throws SQLException {
        StepUsage usage = completed.usage();
        if (usage == null) {
            return;
        }
        out.run(RECORD, completed.artifactId(), completed.artifactId(), usage.provider(), usage.model(), usage.inputTokens(),
                usage.outputTokens(), usage.costUsd() == null ? new Projections.Null(Types.DOUBLE) : usage.costUsd(), now, jobId);
    }

    /** What the job's completed steps used so far. */
    public UsageTotals job(String jobId) {
        return guarded(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT COALESCE(SUM(input_tokens), 0) AS input, COALESCE(SUM(output_tokens), 0) AS output,
                               SUM(cost_usd) AS cost FROM step_usage WHERE job_id = :job""")
                .bind("job", jobId)
                .map((rs, ctx) -> new UsageTotals(rs.getLong("input"), rs.getLong("output"), cost(rs)))
                .one()));
    }

    /** The owner's usage since {@code since} (null: ever), in total and per provider and model. */
    public UsageReport owner(String owner, Instant since) {
        long from = since == null ? Long.MIN_VALUE : since.toEpochMilli();
        return guarded(() -> jdbi.withHandle(h -> {
            List<UsageReport.ModelUsage> models = h.createQuery("""
                            SELECT provider, model, COUNT(DISTINCT job_id) AS jobs, SUM(input_tokens) AS input,
                                   SUM(output_tokens) AS output, SUM(cost_usd) AS cost
                            FROM step_usage WHERE owner_id = :owner AND created_at >= :from
                            GROUP BY provider, model ORDER BY provider, model""")
                    .bind("owner", owner).bind("from", from)
                    .map((rs, ctx) -> new UsageReport.ModelUsage(rs.getString("provider"), rs.getString("model"),
                            rs.getLong("jobs"), rs.getLong("input"), rs.getLong("output"), cost(rs)))
                    .list();
            long jobs = h.createQuery("SELECT COUNT(DISTINCT job_id) FROM step_usage WHERE owner_id = :owner AND created_at >= :from")
                    .bind("owner", owner).bind("from", from).mapTo(Long.class).one();
            UsageTotals total = UsageTotals.NONE;
            for (UsageReport.ModelUsage m : models) {
                total = total.plus(m.inputTokens(), m.outputTokens(), m.costUsd());
            }
            return new UsageReport(owner, since, jobs, total.inputTokens(), total.outputTokens(), total.costUsd(), models);
        }));
    }

    private static Double cost(ResultSet rs) throws SQLException {
        double cost = rs.getDouble("cost");
        return rs.wasNull() ? null : cost;
    }

    private static <T> T guarded(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (JdbiException e) {
            throw new StoreException("usage store operation failed: " + e.getMessage(), e);
        }
    }
}
