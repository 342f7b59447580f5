package dev.contentgen.server.job;

import dev.contentgen.server.pipeline.RunControl;
import dev.contentgen.server.pipeline.StepInterrupted;
import dev.contentgen.server.store.JobRun;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs this node has going now, so cancel, lease loss and drain reach them at once. Keyed by
 * run, not job: a stalled run and the run that re-claimed its job can both be here for a while,
 * and the old one's exit must not take the new one's controls.
 */
public final class RunningJobs {
    private final Map<JobRun, RunControl> controls = new ConcurrentHashMap<>();

    RunControl register(JobRun run) {
        RunControl control = new RunControl();
        controls.put(run, control);
        return control;
    }

    void remove(JobRun run) {
        controls.remove(run);
    }

    void stop(JobRun run, StepInterrupted.Reason reason) {
        RunControl control = controls.get(run);
        if (control != null) {
            control.stop(reason);
        }
    }

    /** Stops every run of the job here (a cancel names the job, not a run). */
    void stop(String jobId, StepInterrupted.Reason reason) {
        controls.forEach((run, control) -> {
            if (run.jobId().equals(jobId)) {
                control.stop(reason);
            }
        });
    }

    void stopAll(StepInterrupted.Reason reason) {
        controls.values().forEach(c -> c.stop(reason));
    }

    Set<JobRun> runs() {
        return Set.copyOf(controls.keySet());
    }

    boolean isEmpty() {
        return controls.isEmpty();
    }
}
