package dev.contentgen.server.store;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.server.notify.Notification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one transaction appended, as the notifications its commit sends: each job's new last seq
 * (however many events it appended), and the jobs that now wait to be claimed; and, for this node
 * alone, whether it queued a webhook delivery.
 */
final class Announcements {
    private final Map<String, Long> lastSeqs = new LinkedHashMap<>();
    private final Set<String> queued = new LinkedHashSet<>();
    private final Set<String> statusChanged = new LinkedHashSet<>();
    private final List<StoredEvent> stored = new ArrayList<>();
    private int events;
    private boolean deliveriesQueued;

    void appended(StoredEvent stored, JobEvent event, boolean deliveryQueued) {
        events++;
        this.stored.add(stored);
        deliveriesQueued |= deliveryQueued;
        lastSeqs.merge(stored.jobId(), stored.seq(), Math::max);
        if (event instanceof JobEvent.Status s) {
            // Creation appends the first status, so a new job is announced like any change of status.
            statusChanged.add(stored.jobId());
            if (s.status() == JobStatus.PENDING || s.status() == JobStatus.RETRYING) {
                queued.add(stored.jobId());
            }
        }
    }

    /** Takes in what another write of the same transaction appended. */
    void addAll(Announcements other) {
        other.lastSeqs.forEach((jobId, seq) -> lastSeqs.merge(jobId, seq, Math::max));
        queued.addAll(other.queued);
        statusChanged.addAll(other.statusChanged);
        events += other.events;
        stored.addAll(other.stored);
        deliveriesQueued |= other.deliveriesQueued;
    }

    /** Whether the transaction queued a webhook delivery (its node's deliverer can start at once). */
    boolean deliveriesQueued() {
        return deliveriesQueued;
    }

    /** The events appended, in the order they were (each job's in seq order). */
    List<StoredEvent> stored() {
        return stored;
    }

    /** How many events were appended (a retried append's earlier events count again). */
    int events() {
        return events;
    }

    List<Notification> notifications() {
        List<Notification> out = new ArrayList<>(lastSeqs.size() + queued.size() + statusChanged.size());
        lastSeqs.forEach((jobId, seq) -> out.add(new Notification.Appended(jobId, seq)));
        queued.forEach(jobId -> out.add(new Notification.Queued(jobId)));
        statusChanged.forEach(jobId -> out.add(new Notification.StatusChanged(jobId)));
        return out;
    }
}
