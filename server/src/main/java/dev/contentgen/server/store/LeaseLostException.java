package dev.contentgen.server.store;

/** The worker no longer holds the job's lease (it expired and was rescued, or the job was cancelled). */
public class LeaseLostException extends RuntimeException {
    public LeaseLostException(String jobId) {
        super("lease on job " + jobId + " is no longer held");
    }
}
