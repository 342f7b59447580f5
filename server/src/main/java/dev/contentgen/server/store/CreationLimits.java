package dev.contentgen.server.store;

import dev.contentgen.api.ErrorCode;
import java.time.Duration;
import org.jdbi.v3.core.Handle;

/**
 * What one owner may create: jobs per minute, and jobs queued or running at once ({@code 0} is
 * unlimited). Counted in the store, so the limits hold across every node of a cluster.
 */
public record CreationLimits(int perMinute, int active) {
    public static final CreationLimits NONE = new CreationLimits(0, 0);
    private static final long WINDOW = Duration.ofMinutes(1).toMillis();

    public boolean unlimited() {
        return perMinute == 0 && active == 0;
    }

    void check(Handle h, String owner, long now) {
        if (perMinute > 0) {
            record Recent(long count, long oldest) {}
            Recent recent = h.createQuery("""
                            SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM jobs WHERE owner_id = :owner AND created_at > :since""")
                    .bind("owner", owner).bind("since", now - WINDOW)
                    .map((rs, ctx) -> new Recent(rs.getLong("n"), rs.getLong("oldest"))).one();
            if (recent.count() >= perMinute) {
                long waitMillis = Math.max(1000, recent.oldest() + WINDOW - now);
                throw new LimitExceededException(ErrorCode.RATE_LIMITED, "This key may create " + perMinute
                        + " jobs a minute; wait before creating another.", (waitMillis + 999) / 1000);
            }
        }
        if (active > 0) {
            long unfinished = h.createQuery("""
                            SELECT COUNT(*) FROM jobs WHERE owner_id = :owner AND status IN ('pending', 'running', 'retrying')""")
                    .bind("owner", owner).mapTo(Long.class).one();
            if (unfinished >= active) {
                throw new LimitExceededException(ErrorCode.TOO_MANY_ACTIVE_JOBS, "This key may have " + active
                        + " jobs queued or running at once; wait for one to finish, or cancel one.", 5);
            }
        }
    }
}
