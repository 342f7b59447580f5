package dev.contentgen.server.store;

/** Whose jobs a read or a cancel may see: one owner's, or (for an admin) everyone's. */
public sealed interface JobScope {
    /** An admin's view: every owner's jobs. */
    record Everyone() implements JobScope {}

    /** One owner's jobs; another owner's job does not exist for it. */
    record Owner(String id) implements JobScope {}

    static JobScope everyone() {
        return new Everyone();
    }

    static JobScope owner(String id) {
        return new Owner(id);
    }

    /** The SQL condition on {@code jobs.owner_id}, binding {@code :owner}. */
    default String sql() {
        return this instanceof Owner ? " AND owner_id = :owner" : "";
    }

    /** Whether a job of {@code owner} is in this scope: the SQL condition, in memory. */
    default boolean includes(String owner) {
        return !(this instanceof Owner(String id)) || id.equals(owner);
    }

    default String ownerOrNull() {
        return this instanceof Owner(String id) ? id : null;
    }
}
