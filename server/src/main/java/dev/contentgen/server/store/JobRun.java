package dev.contentgen.server.store;

/**
 * One run of a job, the unit a lease fences: every claim (and every rescue or cancel that takes
 * the job away) starts a new run, so a worker that stalled past its lease cannot write to the
 * job, or renew it, after it was taken, even on the node that took it.
 */
public record JobRun(String jobId, long number) {}
