package dev.contentgen.server.store;

/** The few places where SQLite and PostgreSQL need different SQL or behaviour. */
public enum Dialect {
    SQLITE("", ""),
    POSTGRESQL(" FOR UPDATE", " FOR UPDATE SKIP LOCKED");

    private final String lockRow;
    private final String claimLock;

    Dialect(String lockRow, String claimLock) {
        this.lockRow = lockRow;
        this.claimLock = claimLock;
    }

    /** Locks the selected row for the transaction (SQLite's IMMEDIATE transactions already hold the write lock). */
    String lockRow() {
        return lockRow;
    }

    /** Lets concurrent claimers on other nodes pass over a job another node is claiming. */
    String claimLock() {
        return claimLock;
    }

    /** SQLite allows one writer at a time, so this node queues its writers itself. */
    boolean serialisesWritesInProcess() {
        return this == SQLITE;
    }
}
