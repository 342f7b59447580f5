package dev.contentgen.server.stream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The notifier of a single node: a direct call to each listener. */
public final class LocalNotifier implements Notifier {
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void publishAppended(String jobId, long lastSeq) {
        listeners.forEach(l -> l.onAppended(jobId, lastSeq));
    }

    @Override
    public void publishQueued(String jobId) {
        listeners.forEach(l -> l.onQueued(jobId));
    }

    @Override
    public void subscribe(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        listeners.clear();
    }
}
