package dev.contentgen.server.testing;

import dev.contentgen.server.pipeline.RunControl;
import dev.contentgen.server.pipeline.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the backoff waits the pipeline asks for and returns at once, so tests never wait for real. */
public final class RecordingSleeper implements Sleeper {
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration time, RunControl control) {
        waits.add(time);
        control.check();
    }

    public List<Duration> waits() {
        return List.copyOf(waits);
    }
}
