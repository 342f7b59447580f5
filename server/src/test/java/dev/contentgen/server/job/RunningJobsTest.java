package dev.contentgen.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.contentgen.server.pipeline.RunControl;
import dev.contentgen.server.pipeline.StepInterrupted;
import dev.contentgen.server.store.JobRun;
import org.junit.jupiter.api.Test;

/** The registry holds each run of a job apart, so an old run's exit cannot take the new run's controls. */
class RunningJobsTest {
    @Test
    void anOldRunsExitLeavesTheNewRunsControls() {
        RunningJobs running = new RunningJobs();
        JobRun stalled = new JobRun("job-1", 1);
        JobRun current = new JobRun("job-1", 2);
        running.register(stalled);
        RunControl currentControl = running.register(current);

        running.remove(stalled);
        running.stop("job-1", StepInterrupted.Reason.CANCELLED);

        assertThat(running.runs()).containsExactly(current);
        assertThatThrownBy(currentControl::check).isInstanceOfSatisfying(StepInterrupted.class,
                e -> assertThat(e.reason()).isEqualTo(StepInterrupted.Reason.CANCELLED));
    }
}
