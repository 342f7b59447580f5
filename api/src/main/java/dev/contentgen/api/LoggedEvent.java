package dev.contentgen.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * One entry of a job's durable event log: {@code seq} is gap-free and starts at 1 per job (until
 * retention drops a finished job's deltas; a {@link JobEvent.Snapshot} then stands for them).
 */
public record LoggedEvent(long seq, String jobId, Instant at, JobEvent event) {
    @JsonIgnore
    public boolean isTerminal() {
        return event instanceof JobEvent.Status s && s.isTerminal()
                || event instanceof JobEvent.Snapshot snapshot && snapshot.isTerminal();
    }
}
