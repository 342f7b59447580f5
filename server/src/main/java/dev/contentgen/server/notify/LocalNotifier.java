package dev.contentgen.server.notify;

import java.sql.Connection;
import java.util.List;

/** The notifier of a single node (SQLite): delivers to each listener in-process, after the commit. */
public final class LocalNotifier implements Notifier {
    private final Listeners listeners = new Listeners();

    @Override
    public void beforeCommit(Connection transaction, List<Notification> notifications) {
        // Nothing to send: no other node shares this database.
    }

    @Override
    public void afterCommit(List<Notification> notifications) {
        notifications.forEach(listeners::deliver);
    }

    @Override
    public void subscribe(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public void close() {
        listeners.clear();
    }
}
