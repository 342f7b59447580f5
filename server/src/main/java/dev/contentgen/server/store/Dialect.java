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

    /**
     * Serialises the creations of one owner across the cluster for the rest of the transaction, so
     * two nodes cannot both let the owner's last allowed job through. SQLite's single writer already does.
     */
    void lockOwner(org.jdbi.v3.core.Handle h, String owner) {
        if (this == POSTGRESQL) {
            h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(:key))) AS locked")
                    .bind("key", "contentgen-owner:" + owner).mapTo(Integer.class).one();
        }
    }

    /** SQLite allows one writer at a time, so this node queues its writers itself. */
    boolean serialisesWritesInProcess() {
        return this == SQLITE;
    }
}
