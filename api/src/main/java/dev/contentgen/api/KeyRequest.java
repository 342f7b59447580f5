package dev.contentgen.api;

/** {@code POST /api/keys}: a key for owner {@code name}; {@code admin} keys see every owner's jobs and manage keys. */
public record KeyRequest(String name, Boolean admin) {
    public boolean isAdmin() {
        return Boolean.TRUE.equals(admin);
    }
}
