package dev.contentgen.server.auth;

import dev.contentgen.server.store.JobScope;

/** Who a request comes from, once authenticated; the routes decide what each may do. */
public sealed interface Principal {
    /** The owner whose jobs this principal creates and sees. */
    String owner();

    /** Whose jobs it may read and cancel. */
    JobScope scope();

    /** Whether it may create, list and revoke keys. */
    boolean mayManageKeys();

    /** Whether it may create jobs, cancel them and mint stream tokens (a stream token only reads). */
    default boolean mayWrite() {
        return true;
    }

    /** The single local owner of a loopback node without keys. */
    record LocalUser() implements Principal {
        public static final String OWNER = dev.contentgen.server.store.Store.LOCAL_OWNER;

        @Override public String owner() { return OWNER; }
        @Override public JobScope scope() { return JobScope.owner(OWNER); }
        @Override public boolean mayManageKeys() { return true; }
    }

    /** A caller with an API key (in a Bearer header, or through the UI's session cookie). */
    record KeyHolder(String keyId, String owner, boolean admin, boolean viaCookie) implements Principal {
        @Override public JobScope scope() { return admin ? JobScope.everyone() : JobScope.owner(owner); }
        @Override public boolean mayManageKeys() { return admin; }
    }

    /** A stream token's bearer: may read the events of one job, nothing else. */
    record StreamReader(String owner, String jobId) implements Principal {
        @Override public JobScope scope() { return JobScope.owner(owner); }
        @Override public boolean mayManageKeys() { return false; }
        @Override public boolean mayWrite() { return false; }
    }
}
