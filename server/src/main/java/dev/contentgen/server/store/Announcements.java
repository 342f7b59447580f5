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
 * What one write appended, as the notifications its commit sends: one per job with its new last
 * seq (however many events it appended), and one more for a job that now waits to be claimed.
 */
final class Announcements {
    private final Map<String, Long> lastSeqs = new LinkedHashMap<>();
    private final Set<String> queued = new LinkedHashSet<>();

    void appended(StoredEvent stored, JobEvent event) {
        lastSeqs.merge(stored.jobId(), stored.seq(), Math::max);
        if (event instanceof JobEvent.Status s && (s.status() == JobStatus.PENDING || s.status() == JobStatus.RETRYING)) {
            queued.add(stored.jobId());
        }
    }

    List<Notification> notifications() {
        List<Notification> out = new ArrayList<>(lastSeqs.size() + queued.size());
        lastSeqs.forEach((jobId, seq) -> out.add(new Notification.Appended(jobId, seq)));
        queued.forEach(jobId -> out.add(new Notification.Queued(jobId)));
        return out;
    }
}
