package dev.contentgen.server.stream;

import dev.contentgen.server.store.StoredEvent;
import java.util.List;

/** A gap is answered with one snapshot, for a client that asked for snapshots ({@code snapshots=1}). */
record SnapshotFill(String jobId, Snapshots snapshots) implements GapFill {
    @Override
    public List<StoredEvent> fill(long position, StoredEvent next) {
        return snapshots.covering(jobId, position).filter(s -> s.seq() >= next.seq()).map(List::of).orElse(List.of());
    }
}
