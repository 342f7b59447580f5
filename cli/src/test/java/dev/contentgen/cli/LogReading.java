package dev.contentgen.cli;

import dev.contentgen.api.JobEvent;
import dev.contentgen.server.testing.SseEvent;
import dev.contentgen.server.testing.SseStream;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

/** Reading a job's stream around a node's death, shared by the restart and cluster tests. */
final class LogReading {
    private LogReading() {}

    /** True at the first delta of {@code step} (e.g. "section-2"): mid-step, after its earlier steps finished. */
    static Predicate<SseEvent> midStep(String step) {
        boolean[] inStep = {false};
        return e -> {
            if (e.event().equals("progress")) {
                inStep[0] = ((JobEvent.Progress) e.logged().event()).step().equals(step);
            }
            return inStep[0] && e.event().equals("artifact.delta");
        };
    }

    /** Reads what the server still sends until the connection ends, as a client would. */
    static void readUntilCut(SseStream stream, List<SseEvent> received) {
        try {
            SseEvent e;
            while ((e = stream.next()) != null) {
                received.add(e);
            }
        } catch (IOException expected) {
            // The node went away under the stream: exactly the cut a client would see.
        }
    }

    static List<String> statuses(List<SseEvent> events) {
        return events.stream().filter(e -> e.event().equals("status"))
                .map(e -> ((JobEvent.Status) e.logged().event()).status().wireName()).toList();
    }
}
