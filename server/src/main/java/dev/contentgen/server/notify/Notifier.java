package dev.contentgen.server.notify;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Carries what each transaction appended to every part of every node: in-process on SQLite,
 * LISTEN/NOTIFY on PostgreSQL. The store is its only publisher; everything else listens.
 */
public interface Notifier extends AutoCloseable {

    /** Inside the writing transaction, just before it commits (PostgreSQL: NOTIFY, delivered only if it commits). */
    void beforeCommit(Connection transaction, List<Notification> notifications) throws SQLException;

    /** Right after the transaction committed (in-process delivery). */
    void afterCommit(List<Notification> notifications);

    void subscribe(Listener listener);

    /** False while this node cannot hear notifications (its PostgreSQL listener is down). */
    boolean isConnected();

    @Override
    void close();

    /** Callbacks must return quickly: they run on the publisher's (or listener's) thread. */
    interface Listener {
        default void onAppended(String jobId, long lastSeq) {}

        default void onQueued(String jobId) {}

        /** Job {@code jobId} was created or changed status (its log got a status event). */
        default void onStatusChanged(String jobId) {}

        /** The store cannot be reached: live updates pause until {@link #onResync()}. */
        default void onStoreUnreachable() {}

        /** Notifications may have been lost (a reconnect, a payload that was not ours): catch up. */
        default void onResync() {}
    }
}
