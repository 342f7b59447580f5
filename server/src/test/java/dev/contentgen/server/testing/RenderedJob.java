package dev.contentgen.server.testing;

import dev.contentgen.api.Artifact;
import dev.contentgen.api.ArtifactStatus;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client shows after the events it received, snapshots included (a snapshot replaces what
 * came before it): the job's status and its artifacts as they stand. Two streams of one job are
 * equivalent when they render the same.
 */
public record RenderedJob(JobStatus status, int attempt, List<Artifact> artifacts) {

    public static RenderedJob of(List<SseEvent> received) {
        JobEvent.Status status = null;
        Map<String, Artifact> artifacts = new LinkedHashMap<>();
        for (SseEvent e : received) {
            if (e.isError()) {
                continue;
            }
            switch (e.logged().event()) {
                case JobEvent.Status s -> status = s;
                case JobEvent.Progress p -> { }
                case JobEvent.ArtifactCreated c -> artifacts.put(c.artifactId(),
                        new Artifact(c.artifactId(), c.kind(), c.title(), c.step(), ArtifactStatus.STREAMING, ""));
                case JobEvent.ArtifactDelta d -> artifacts.computeIfPresent(d.artifactId(),
                        (id, a) -> new Artifact(id, a.kind(), a.title(), a.step(), a.status(), a.content() + d.text()));
                case JobEvent.ArtifactCompleted c -> artifacts.computeIfPresent(c.artifactId(),
                        (id, a) -> new Artifact(id, c.kind(), c.title(), a.step(), ArtifactStatus.COMPLETED, c.content(), c.usage()));
                case JobEvent.ArtifactDiscarded d -> artifacts.computeIfPresent(d.artifactId(),
                        (id, a) -> new Artifact(id, a.kind(), a.title(), a.step(), ArtifactStatus.DISCARDED, ""));
                case JobEvent.Snapshot snapshot -> {
                    status = snapshot.status();
                    artifacts.clear();
                    snapshot.artifacts().forEach(a -> artifacts.put(a.id(), a));
                }
            }
        }
        return new RenderedJob(status == null ? null : status.status(), status == null ? 0 : status.attempt(),
                new ArrayList<>(artifacts.values()));
    }
}
