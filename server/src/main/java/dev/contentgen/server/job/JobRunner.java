package dev.contentgen.server.job;

import dev.contentgen.api.ErrorCode;
import dev.contentgen.api.JobError;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.UsageTotals;
import dev.contentgen.server.pipeline.Pipeline;
import dev.contentgen.server.pipeline.RunControl;
import dev.contentgen.server.pipeline.StepInterrupted;
import dev.contentgen.server.pipeline.providers.ProviderException;
import dev.contentgen.server.pipeline.providers.ProviderFailure;
import dev.contentgen.server.store.ClaimedJob;
import dev.contentgen.server.store.ClaimedJob.FinishedArtifact;
import dev.contentgen.server.store.LeaseLostException;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.UsageLedger;
import dev.contentgen.server.store.StoreException;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one claimed job to its end: completed, failed, cancelled, or handed back when the node drains. */
public final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final Store store;
    private final Pipeline pipeline;
    private final RunningJobs running;
    private final StoreRetry retry;
    private final MeterRegistry meters;
    private final UsageLedger usage;

    public JobRunner(Store store, Pipeline pipeline, RunningJobs running, StoreRetry retry,
                     MeterRegistry meters, UsageLedger usage) {
        this.meters = meters;
        this.usage = usage;
        this.store = store;
        this.pipeline = pipeline;
        this.running = running;
        this.retry = retry;
    }

    void run(ClaimedJob job) {
        RunControl control = running.register(job.run());
        JobLog jobLog = new JobLog(job.run(), job.lastSeq(), store, retry);
        long started = System.nanoTime();
        log.info("job={} started attempt={} fromStep={} provider={} model={}", job.id(), job.attempt(), job.nextStep(),
                job.request().provider() == null ? "default" : job.request().provider(), job.request().model() == null ? "default" : job.request().model());
        try {
            FinishedArtifact result = pipeline.run(job, jobLog, control);
            jobLog.append(new JobEvent.Status(JobStatus.COMPLETED, job.attempt(), null, summary(result, started, usage.job(job.id()))));
            finished("completed");
            log.info("job={} completed in {} ms", job.id(), (System.nanoTime() - started) / 1_000_000);
        } catch (StepInterrupted e) {
            switch (e.reason()) {
                case CANCELLED -> {
                    end(job, jobLog, new JobEvent.Status(JobStatus.CANCELLED, job.attempt(), null,
                            Map.of("cancelledAtStep", job.nextStep())), "the job was cancelled");
                    finished("cancelled");
                }
                case SHUTDOWN -> handBack(job, jobLog);
                case LEASE_LOST -> {
                    log.warn("job={} lease lost; another worker takes it over", job.id());
                    interrupted("lease_lost");
                }
            }
        } catch (LeaseLostException e) {
            log.warn("job={} lease lost while writing; another worker takes it over", job.id());
            interrupted("lease_lost");
        } catch (StoreException e) {
            // Nothing is wrong with the job: it is not failed (and the driver's text is no user's business).
            // Its lease runs out, and once the store is back a rescuer re-queues it at its first unfinished step.
            log.warn("job={} store unavailable for longer than the lease; leaving the job to be rescued: {}", job.id(), e.getMessage());
            interrupted("store_unavailable");
        } catch (InterruptedException e) {
            handBack(job, jobLog);
            Thread.currentThread().interrupt();
        } catch (ProviderException e) {
            // Its message is ours and safe to show: it never quotes the provider's answer.
            log.warn("job={} failed: {}", job.id(), e.getMessage());
            ProviderFailure failure = e.failure();
            String message = "Generation failed: " + e.getMessage()
                    + (failure.retryable() ? " (gave up after " + pipeline.maxAttempts() + " attempts)" : "") + ".";
            end(job, jobLog, new JobEvent.Status(JobStatus.FAILED, job.attempt(), new JobError(failure.code(), message), null),
                    "the step failed");
            finished("failed");
        } catch (RuntimeException e) {
            log.error("job={} failed: {}", job.id(), e.toString(), e);
            end(job, jobLog, new JobEvent.Status(JobStatus.FAILED, job.attempt(),
                    new JobError(ErrorCode.GENERATION_FAILED, "Generation failed: " + e.getMessage()), null),
                    "the step failed");
            finished("failed");
        } finally {
            running.remove(job.run());
        }
    }

    private void handBack(ClaimedJob job, JobLog jobLog) {
        if (end(job, jobLog, new JobEvent.Status(JobStatus.PENDING, job.attempt(), null, null),
                "the node stopped; the step will run again")) {
            log.info("job={} handed back: node is draining", job.id());
        }
    }

    /** Logs the run's end; false when the lease or the store was lost (the rescuer then takes over). */
    private boolean end(ClaimedJob job, JobLog jobLog, JobEvent.Status status, String discardReason) {
        try {
            jobLog.end(status, discardReason);
            return true;
        } catch (LeaseLostException e) {
            log.warn("job={} lease lost before it could be marked {}", job.id(), status.status().wireName());
        } catch (RuntimeException | InterruptedException e) {
            log.error("job={} could not be marked {}; its lease will expire and it will be rescued: {}",
                    job.id(), status.status().wireName(), e.toString());
        }
        return false;
    }

    private void finished(String status) {
        meters.counter("contentgen.jobs.finished", "status", status).increment();
    }

    /** A run that stopped without ending its job: someone else (a rescuer, another run) carries it on. */
    private void interrupted(String reason) {
        meters.counter("contentgen.jobs.interrupted", "reason", reason).increment();
    }

    /** What a finished job reports; {@code used} covers every run of it, not only this one. */
    private static Map<String, Object> summary(FinishedArtifact result, long startedNanos, UsageTotals used) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("title", result.title());
        summary.put("words", result.content().isBlank() ? 0 : result.content().strip().split("\\s+").length);
        summary.put("characters", result.content().length());
        summary.put("durationMs", (System.nanoTime() - startedNanos) / 1_000_000);
        summary.put("inputTokens", used.inputTokens());
        summary.put("outputTokens", used.outputTokens());
        if (used.costUsd() != null) {
            summary.put("costUsd", used.costUsd());
        }
        return summary;
    }
}
