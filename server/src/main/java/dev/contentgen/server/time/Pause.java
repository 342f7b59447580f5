package dev.contentgen.server.time;

import java.time.Duration;

/** Waits between retries; tests pass one that moves a clock instead of sleeping. */
@FunctionalInterface
public interface Pause {
    Pause REAL = Thread::sleep;

    void sleep(Duration time) throws InterruptedException;
}
