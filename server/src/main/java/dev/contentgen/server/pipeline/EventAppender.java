package dev.contentgen.server.pipeline;

import dev.contentgen.api.JobEvent;
import java.util.List;

/** Where the pipeline writes a job's events: durably, under the job's lease. */
@FunctionalInterface
public interface EventAppender {
    void append(List<JobEvent> events);

    default void append(JobEvent event) {
        append(List.of(event));
    }
}
