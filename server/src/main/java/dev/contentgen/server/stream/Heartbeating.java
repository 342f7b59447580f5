package dev.contentgen.server.stream;

/** Something the heartbeat sweep visits: a cursor, or a multiplexed stream that carries the live job list. */
interface Heartbeating {
    /** When nothing was written for {@code dueAfterNanos}, a keepalive goes out soon. */
    void heartbeatIfDue(long nowNanos, long dueAfterNanos);
}
