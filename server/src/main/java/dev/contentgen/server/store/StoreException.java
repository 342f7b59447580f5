package dev.contentgen.server.store;

/** The database could not be reached or refused the operation; callers treat it as transient. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
