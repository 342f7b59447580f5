package dev.contentgen.server.pipeline;

import java.time.Duration;

/** Waits out a retry's backoff; a stop (cancel, drain) cuts the wait short. Tests record waits instead. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = (time, control) -> control.await(time);

    void sleep(Duration time, RunControl control) throws InterruptedException;
}
