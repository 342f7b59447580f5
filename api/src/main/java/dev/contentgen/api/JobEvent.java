package dev.contentgen.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What happened in a job: the payload of one entry of its durable log.
 * The log's envelope (seq, jobId, at) lives in {@link LoggedEvent}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JobEvent.Status.class, name = "status"),
        @JsonSubTypes.Type(value = JobEvent.Progress.class, name = "progress"),
        @JsonSubTypes.Type(value = JobEvent.ArtifactCreated.class, name = "artifact.created"),
        @JsonSubTypes.Type(value = JobEvent.ArtifactDelta.class, name = "artifact.delta"),
        @JsonSubTypes.Type(value = JobEvent.ArtifactCompleted.class, name = "artifact.completed"),
        @JsonSubTypes.Type(value = JobEvent.ArtifactDiscarded.class, name = "artifact.discarded"),
        @JsonSubTypes.Type(value = JobEvent.Snapshot.class, name = "snapshot")
})
public sealed interface JobEvent {

    /** The event types this version knows, read from the one list above. A newer server may send others. */
    Set<String> KNOWN_TYPES = Arrays.stream(JobEvent.class.getAnnotation(JsonSubTypes.class).value())
            .map(JsonSubTypes.Type::name).collect(Collectors.toUnmodifiableSet());

    /** Whether this version can read events of {@code type}; clients pass over the others. */
    static boolean isKnownType(String type) {
        return KNOWN_TYPES.contains(type);
    }

    /** The SSE event name, also the {@code type} field of the data. */
    default String type() {
        return switch (this) {
            case Status s -> "status";
            case Progress p -> "progress";
            case ArtifactCreated c -> "artifact.created";
            case ArtifactDelta d -> "artifact.delta";
            case ArtifactCompleted c -> "artifact.completed";
            case ArtifactDiscarded d -> "artifact.discarded";
            case Snapshot s -> "snapshot";
        };
    }

    /** The job changed state; {@code error} only when failed, {@code summary} only when terminal. */
    record Status(JobStatus status, int attempt, JobError error, Map<String, Object> summary) implements JobEvent {
        @JsonIgnore
        public boolean isTerminal() {
            return status.isTerminal();
        }
    }

    /** The pipeline moved to step {@code index} (1-based) of {@code total}. */
    record Progress(String step, int index, int total, String label) implements JobEvent {}

    /**
     * A new artifact for pipeline step {@code step} (0-based); its text follows as deltas. {@code reused}
     * is true in a revision for a step copied from the parent job without calling the model (else null).
     */
    record ArtifactCreated(String artifactId, String kind, String title, int step, Boolean reused) implements JobEvent {
        public ArtifactCreated(String artifactId, String kind, String title, int step) {
            this(artifactId, kind, title, step, null);
        }
    }

    /** A piece of an artifact's text, coalesced from tokens. */
    record ArtifactDelta(String artifactId, String text) implements JobEvent {}

    /**
     * An artifact is final; {@code content} is its whole text; {@code reused} as on {@link ArtifactCreated};
     * {@code usage} is what its step used (null for a step that called no provider, or whose provider
     * reported nothing).
     */
    record ArtifactCompleted(String artifactId, String kind, String title, String content, Boolean reused, StepUsage usage)
            implements JobEvent {
        public ArtifactCompleted(String artifactId, String kind, String title, String content) {
            this(artifactId, kind, title, content, null, null);
        }

        public ArtifactCompleted(String artifactId, String kind, String title, String content, Boolean reused) {
            this(artifactId, kind, title, content, reused, null);
        }
    }

    /** The artifact's partial text is retracted: its step was interrupted and will run again. */
    record ArtifactDiscarded(String artifactId, String reason) implements JobEvent {}

    /**
     * Stands for every event of the log up to its seq, on a stream that resumed into a range retention
     * compacted away (docs/PROTOCOL.md, "Snapshots"): the job's last status and progress as of that seq
     * ({@code progress} null before the first), and its artifacts in the order they were created, each
     * {@code streaming} (its partial text), {@code completed} (its whole text) or {@code discarded} (no text).
     * Never stored in the log: a stream sends it in place of the events it replaces.
     */
    record Snapshot(Status status, Progress progress, java.util.List<Artifact> artifacts) implements JobEvent {
        @JsonIgnore
        public boolean isTerminal() {
            return status.isTerminal();
        }
    }
}
