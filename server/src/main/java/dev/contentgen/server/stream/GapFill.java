package dev.contentgen.server.stream;

import dev.contentgen.server.store.StoredEvent;
import java.util.List;

/**
 * What a stream sends in place of a range of the log that retention compacted away (docs/PROTOCOL.md,
 * "Snapshots"): one snapshot to a client that takes them, the rebuilt deltas to any other.
 */
sealed interface GapFill permits SnapshotFill, RebuiltDeltas {

    /** The events that stand for the dropped range between the client's {@code position} and {@code next}, the next kept event. */
    List<StoredEvent> fill(long position, StoredEvent next);
}
