package dev.contentgen.server.stream;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.server.store.CompactedDeltas;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deltas compaction dropped, rebuilt for a client that does not take snapshots (an SDK older
 * than them checks that seqs have no gap): the same seqs and the same text, sliced from each
 * artifact's final text (a discarded artifact's is the partial text its row keeps). Their
 * {@code at} is that of the next kept event. Loaded once per stream, when the first gap is met.
 */
final class RebuiltDeltas implements GapFill {
    private final Store store;
    private final String jobId;
    private CompactedDeltas dropped;
    private Map<String, String> finalTexts;

    RebuiltDeltas(Store store, String jobId) {
        this.store = store;
        this.jobId = jobId;
    }

    @Override
    public List<StoredEvent> fill(long position, StoredEvent next) {
        if (dropped == null) {
            Optional<CompactedDeltas> found = store.findCompactedDeltas(jobId);
            if (found.isEmpty()) {
                return List.of();
            }
            dropped = found.get();
            finalTexts = finalTexts();
        }
        Instant at = Json.readEvent(next.data()).at();
        List<StoredEvent> rebuilt = new ArrayList<>();
        for (long seq = position + 1; seq < next.seq(); seq++) {
            Optional<CompactedDeltas.Slice> slice = dropped.slice(seq);
            if (slice.isEmpty()) {
                return List.of();
            }
            String text = finalTexts.getOrDefault(slice.get().artifactId(), "");
            int from = Math.min(text.length(), slice.get().offset());
            String piece = text.substring(from, Math.min(text.length(), from + slice.get().length()));
            String data = Json.writeEvent(new LoggedEvent(seq, jobId, at, new JobEvent.ArtifactDelta(slice.get().artifactId(), piece)));
            rebuilt.add(new StoredEvent(jobId, seq, "artifact.delta", data, false, next.createdAtMillis()));
        }
        return rebuilt;
    }

    private Map<String, String> finalTexts() {
        Map<String, String> texts = new HashMap<>();
        for (List<StoredEvent> page = store.readEvents(jobId, 0, 1000); !page.isEmpty();
             page = store.readEvents(jobId, page.getLast().seq(), 1000)) {
            for (StoredEvent stored : page) {
                if (stored.type().equals("artifact.completed")
                        && Json.readEvent(stored.data()).event() instanceof JobEvent.ArtifactCompleted c) {
                    texts.put(c.artifactId(), c.content());
                }
            }
        }
        // A discarded artifact keeps the partial text it had, in its row (see EventWriter).
        store.findJob(jobId).ifPresent(job -> job.artifacts().stream()
                .filter(a -> a.status() == dev.contentgen.api.ArtifactStatus.DISCARDED)
                .forEach(a -> texts.putIfAbsent(a.id(), a.content())));
        return texts;
    }
}
