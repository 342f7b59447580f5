package dev.contentgen.server.stream;

import dev.contentgen.api.Artifact;
import dev.contentgen.api.ArtifactStatus;
import dev.contentgen.api.StepUsage;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoredEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code snapshot} event a stream sends in place of a range of the log that retention
 * compacted away (docs/PROTOCOL.md, "Snapshots"). Built from the log's kept events only: its seq S
 * is the first kept event after the highest dropped seq at which no artifact that lost deltas is
 * still streaming, so the state it carries is exactly the state the full log had at S.
 */
public final class Snapshots {
    private static final int PAGE = 1000;

    private final Store store;

    public Snapshots(Store store) {
        this.store = store;
    }

    /**
     * The snapshot for a client whose resume point {@code after} lies below the job's compacted seq;
     * empty when no snapshot is due (nothing dropped after {@code after}) or the job is gone.
     */
    public Optional<StoredEvent> covering(String jobId, long after) {
        return store.findHead(jobId).flatMap(head -> covering(jobId, after, head.compactedSeq()));
    }

    Optional<StoredEvent> covering(String jobId, long after, long compactedSeq) {
        if (after >= compactedSeq) {
            return Optional.empty();
        }
        List<StoredEvent> kept = new ArrayList<>();
        for (List<StoredEvent> page = store.readEvents(jobId, 0, PAGE); !page.isEmpty();
             page = store.readEvents(jobId, page.getLast().seq(), PAGE)) {
            kept.addAll(page);
            Optional<StoredEvent> snapshot = fold(jobId, compactedSeq, kept);
            if (snapshot.isPresent()) {
                return snapshot;
            }
        }
        return kept.isEmpty() ? Optional.empty() : Optional.of(at(jobId, kept.getLast(), replay(kept)));
    }

    /** The snapshot of {@code kept} (the log as it is now, oldest first) at its first exact point after {@code compactedSeq}. */
    static Optional<StoredEvent> fold(String jobId, long compactedSeq, List<StoredEvent> kept) {
        State state = new State();
        Set<String> lostDeltas = new HashSet<>();
        for (StoredEvent stored : kept) {
            JobEvent event = Json.readEvent(stored.data()).event();
            if (event instanceof JobEvent.ArtifactCreated created && stored.seq() < compactedSeq) {
                // Any artifact created before the last dropped delta may have lost some of its deltas.
                lostDeltas.add(created.artifactId());
            }
            state.apply(event);
            if (stored.seq() > compactedSeq && state.noneStreaming(lostDeltas)) {
                return Optional.of(at(jobId, stored, state));
            }
        }
        return Optional.empty();
    }

    private static State replay(List<StoredEvent> kept) {
        State state = new State();
        kept.forEach(stored -> state.apply(Json.readEvent(stored.data()).event()));
        return state;
    }

    private static StoredEvent at(String jobId, StoredEvent stored, State state) {
        LoggedEvent last = Json.readEvent(stored.data());
        JobEvent.Snapshot snapshot = state.snapshot();
        String data = Json.writeEvent(new LoggedEvent(stored.seq(), jobId, last.at(), snapshot));
        return new StoredEvent(jobId, stored.seq(), snapshot.type(), data, snapshot.isTerminal(), stored.createdAtMillis());
    }

    /** A job's state folded from its events, as a client that saw them all would hold it. */
    private static final class State {
        private JobEvent.Status status;
        private JobEvent.Progress progress;
        private final Map<String, Piece> artifacts = new LinkedHashMap<>();

        void apply(JobEvent event) {
            switch (event) {
                case JobEvent.Status s -> status = s;
                case JobEvent.Progress p -> progress = p;
                case JobEvent.ArtifactCreated c -> artifacts.put(c.artifactId(), new Piece(c.kind(), c.title(), c.step()));
                case JobEvent.ArtifactDelta d -> {
                    Piece piece = artifacts.get(d.artifactId());
                    if (piece != null) {
                        piece.text.append(d.text());
                    }
                }
                case JobEvent.ArtifactCompleted c -> {
                    Piece piece = artifacts.computeIfAbsent(c.artifactId(), id -> new Piece(c.kind(), c.title(), 0));
                    piece.status = ArtifactStatus.COMPLETED;
                    piece.kind = c.kind();
                    piece.title = c.title();
                    piece.text.setLength(0);
                    piece.text.append(c.content());
                    piece.usage = c.usage();
                }
                case JobEvent.ArtifactDiscarded d -> {
                    Piece piece = artifacts.get(d.artifactId());
                    if (piece != null) {
                        piece.status = ArtifactStatus.DISCARDED;
                        piece.text.setLength(0);
                    }
                }
                case JobEvent.Snapshot s -> { }
            }
        }

        boolean noneStreaming(Set<String> ids) {
            return ids.stream().map(artifacts::get).noneMatch(p -> p != null && p.status == ArtifactStatus.STREAMING);
        }

        JobEvent.Snapshot snapshot() {
            List<Artifact> list = new ArrayList<>();
            artifacts.forEach((id, p) -> list.add(new Artifact(id, p.kind, p.title, p.step, p.status, p.text.toString(), p.usage)));
            return new JobEvent.Snapshot(status, progress, list);
        }
    }

    private static final class Piece {
        private String kind;
        private String title;
        private final int step;
        private ArtifactStatus status = ArtifactStatus.STREAMING;
        private StepUsage usage;
        private final StringBuilder text = new StringBuilder();

        Piece(String kind, String title, int step) {
            this.kind = kind;
            this.title = title;
            this.step = step;
        }
    }
}
