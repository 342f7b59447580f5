package dev.contentgen.server.store;

/** An Idempotency-Key was reused with a different request body. */
public class IdempotencyConflictException extends RuntimeException {
    public IdempotencyConflictException(String existingJobId) {
        super("this Idempotency-Key was already used for job " + existingJobId + " with a different request");
    }
}
