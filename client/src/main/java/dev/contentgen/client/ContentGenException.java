package dev.contentgen.client;

/** Thrown when a call or a stream cannot go on; {@link #failure()} says why, as one of a sealed set. */
public final class ContentGenException extends RuntimeException {
    private final transient Failure failure;

    ContentGenException(Failure failure) {
        super(failure.message());
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
