package dev.contentgen.server.testing;

import dev.contentgen.server.notify.Notification;
import dev.contentgen.server.notify.Notifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A node's notifier that loses every "log grew" notification on the way to this node's listeners,
 * as a dropped packet, a failed listener or a bug would; everything else passes through.
 */
public final class LossyNotifier implements Notifier {
    private final Notifier real;
    private volatile boolean losing = true;

    public LossyNotifier(Notifier real) {
        this.real = real;
    }

    public void losing(boolean losing) {
        this.losing = losing;
    }

    @Override
    public void beforeCommit(Connection transaction, List<Notification> notifications) throws SQLException {
        real.beforeCommit(transaction, notifications);
    }

    @Override
    public void afterCommit(List<Notification> notifications) {
        real.afterCommit(notifications);
    }

    @Override
    public void subscribe(Listener listener) {
        real.subscribe(new Listener() {
            @Override
            public void onAppended(String jobId, long lastSeq) {
                if (!losing) {
                    listener.onAppended(jobId, lastSeq);
                }
            }

            @Override
            public void onQueued(String jobId) {
                listener.onQueued(jobId);
            }

            @Override
            public void onStoreUnreachable() {
                listener.onStoreUnreachable();
            }

            @Override
            public void onResync() {
                listener.onResync();
            }
        });
    }

    @Override
    public boolean isConnected() {
        return real.isConnected();
    }

    @Override
    public void close() {
        real.close();
    }
}
