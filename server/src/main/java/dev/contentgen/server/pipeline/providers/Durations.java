package dev.contentgen.server.pipeline.providers;

import java.time.Duration;

/** Durations as people read them in labels and messages: 300ms, 4s, 2.5s. */
final class Durations {
    private Durations() {}

    static String show(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
