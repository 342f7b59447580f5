package dev.contentgen.server.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The open-streams limit, counted in the store so it holds across a cluster: a stream takes a slot
 * when it opens and gives it back when it ends; a node renews its slots in one statement, and the
 * slots of a node that died expire after {@link #TTL}.
 */
public final class StreamSlots {
    public static final Duration TTL = Duration.ofMinutes(2);

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Clock clock;
    private final String nodeId;

    public StreamSlots(Jdbi jdbi, Dialect dialect, Clock clock, String nodeId) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.clock = clock;
        this.nodeId = nodeId;
    }

    /** A slot for one of {@code owner}'s streams, or empty when the owner already holds {@code limit}. */
    public Optional<String> take(String owner, int limit) {
        try {
            return jdbi.inTransaction(h -> {
                dialect.lockOwner(h, owner);
                long now = clock.millis();
                h.createUpdate("DELETE FROM open_streams WHERE owner_id = :owner AND expires_at < :now")
                        .bind("owner", owner).bind("now", now).execute();
                long open = h.createQuery("SELECT COUNT(*) FROM open_streams WHERE owner_id = :owner")
                        .bind("owner", owner).mapTo(Long.class).one();
                if (open >= limit) {
                    return Optional.<String>empty();
                }
                String id = Ids.newId(clock);
                h.createUpdate("INSERT INTO open_streams (id, owner_id, node_id, expires_at) VALUES (:id, :owner, :node, :expires)")
                        .bind("id", id).bind("owner", owner).bind("node", nodeId).bind("expires", now + TTL.toMillis()).execute();
                return Optional.of(id);
            });
        } catch (JdbiException e) {
            throw new StoreException("stream slot could not be taken: " + e.getMessage(), e);
        }
    }

    public void release(String slot) {
        try {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM open_streams WHERE id = :id").bind("id", slot).execute());
        } catch (JdbiException e) {
            // Not fatal: the slot expires by itself within TTL.
            throw new StoreException("stream slot could not be released: " + e.getMessage(), e);
        }
    }

    /** Keeps this node's slots alive: one statement for all its streams. */
    public void renew() {
        try {
            jdbi.useHandle(h -> h.createUpdate("UPDATE open_streams SET expires_at = :expires WHERE node_id = :node")
                    .bind("expires", clock.millis() + TTL.toMillis()).bind("node", nodeId).execute());
        } catch (JdbiException e) {
            throw new StoreException("stream slots could not be renewed: " + e.getMessage(), e);
        }
    }
}
