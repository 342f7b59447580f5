package dev.contentgen.server.notify;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners of one notifier, each shielded from the others: one that throws neither stops delivery nor the notifier. */
final class Listeners {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<Notifier.Listener> listeners = new CopyOnWriteArrayList<>();

    void add(Notifier.Listener listener) {
        listeners.add(listener);
    }

    void clear() {
        listeners.clear();
    }

    void deliver(Notification notification) {
        each(notification.payload(), l -> {
            switch (notification) {
                case Notification.Appended a -> l.onAppended(a.jobId(), a.lastSeq());
                case Notification.Queued q -> l.onQueued(q.jobId());
                case Notification.StatusChanged c -> l.onStatusChanged(c.jobId());
            }
        });
    }

    void storeUnreachable() {
        each("store unreachable", Notifier.Listener::onStoreUnreachable);
    }

    void resync() {
        each("re-sync", Notifier.Listener::onResync);
    }

    private void each(String what, Consumer<Notifier.Listener> call) {
        for (Notifier.Listener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                // Safe to go on: the others still hear it, and the stream hub's head check heals whatever this one missed.
                log.warn("notifier listener {} failed on {}: {}", listener.getClass().getSimpleName(), what, e.toString(), e);
            }
        }
    }
}
