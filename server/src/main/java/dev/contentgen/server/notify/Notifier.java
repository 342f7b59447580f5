package dev.contentgen.server.stream;

/**
 * Tells every part of every node that a job's log grew or that a job waits to be claimed.
 * In-process for SQLite; LISTEN/NOTIFY for PostgreSQL. Publish only after the commit.
 */
public interface Notifier extends AutoCloseable {

    void publishAppended(String jobId, long lastSeq);

    void publishQueued(String jobId);

    void subscribe(Listener listener);

    @Override
    void close();

    /** Callbacks must return quickly: they run on the publisher's (or listener's) thread. */
    interface Listener {
        default void onAppended(String jobId, long lastSeq) {}

        default void onQueued(String jobId) {}

        /** The store cannot be reached: live updates pause until {@link #onResync()}. */
        default void onStoreUnreachable() {}

        /** Notifications may have been lost (the listening connection was re-established): catch up. */
        default void onResync() {}
    }
}
