package dev.contentgen.server.job;

import dev.contentgen.server.pipeline.RunControl;
import dev.contentgen.server.pipeline.StepInterrupted;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The jobs this node is running now, so cancel, lease loss and drain reach them at once. */
public final class RunningJobs {
    private final Map<String, RunControl> controls = new ConcurrentHashMap<>();

    RunControl register(String jobId) {
        RunControl control = new RunControl();
        controls.put(jobId, control);
        return control;
    }

    void remove(String jobId) {
        controls.remove(jobId);
    }

    void stop(String jobId, StepInterrupted.Reason reason) {
        RunControl control = controls.get(jobId);
        if (control != null) {
            control.stop(reason);
        }
    }

    void stopAll(StepInterrupted.Reason reason) {
        controls.values().forEach(c -> c.stop(reason));
    }

    Set<String> ids() {
        return Set.copyOf(controls.keySet());
    }

    boolean isEmpty() {
        return controls.isEmpty();
    }
}
