package dev.contentgen.server.store;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Where a waiting job stands, read from the store so every node gives the same answer: workers
 * claim the oldest pending job first (ids sort by creation time), so the jobs ahead of one are
 * the pending jobs created before it, whoever owns them.
 */
public final class JobQueue {
    /** The jobs waiting before this one, and the jobs running now, on the whole cluster. */
    public record Standing(long ahead, long running) {}

    private final Jdbi jdbi;

    public JobQueue(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The job's standing, or empty when it is not waiting (any more). */
    public Optional<Standing> standing(String jobId) {
        try {
            return jdbi.withHandle(h -> {
                boolean waiting = h.createQuery("SELECT COUNT(*) FROM jobs WHERE id = :id AND status IN ('pending', 'retrying')")
                        .bind("id", jobId).mapTo(Long.class).one() > 0;
                if (!waiting) {
                    return Optional.empty();
                }
                long ahead = h.createQuery("SELECT COUNT(*) FROM jobs WHERE status IN ('pending', 'retrying') AND id < :id")
                        .bind("id", jobId).mapTo(Long.class).one();
                long running = h.createQuery("SELECT COUNT(*) FROM jobs WHERE status = 'running'").mapTo(Long.class).one();
                return Optional.of(new Standing(ahead, running));
            });
        } catch (JdbiException e) {
            throw new StoreException("queue read failed: " + e.getMessage(), e);
        }
    }
}
