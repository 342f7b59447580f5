package dev.contentgen.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.LoggedEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks that a log a subscriber received is one consistent story (DESIGN.md, "The stream protocol"). */
public final class JobLogAssertions {
    private JobLogAssertions() {}

    /** What a subscriber can rebuild from the log: the artifacts that were completed, by id. */
    public record Rebuilt(Map<String, JobEvent.ArtifactCompleted> completed, Map<String, String> discarded,
                          JobEvent.Status terminal) {
        public JobEvent.ArtifactCompleted finalArtifact() {
            return completed.values().stream().reduce((a, b) -> b).orElseThrow();
        }

        public List<JobEvent.ArtifactCompleted> ofKind(String kind) {
            return completed.values().stream().filter(a -> a.kind().equals(kind)).toList();
        }
    }

    /**
     * Seqs run 1..n without gap or repeat; one terminal status, last; every artifact is created,
     * grows by deltas, and ends completed (content = its deltas) or discarded.
     */
    public static Rebuilt assertConsistent(List<SseEvent> received) {
        List<SseEvent> events = received.stream().filter(e -> !e.isError()).toList();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).seq()).as("seq of event %d", i).isEqualTo(i + 1L);
        }
        Map<String, StringBuilder> growing = new LinkedHashMap<>();
        Map<String, JobEvent.ArtifactCompleted> completed = new LinkedHashMap<>();
        Map<String, String> discarded = new LinkedHashMap<>();
        JobEvent.Status terminal = null;
        for (SseEvent e : events) {
            LoggedEvent logged = e.logged();
            assertThat(logged.event().type()).isEqualTo(e.event());
            assertThat(terminal).as("nothing after the terminal status").isNull();
            switch (logged.event()) {
                case JobEvent.ArtifactCreated c -> assertThat(growing.put(c.artifactId(), new StringBuilder())).isNull();
                case JobEvent.ArtifactDelta d -> {
                    assertThat(growing).as("delta for an open artifact").containsKey(d.artifactId());
                    growing.get(d.artifactId()).append(d.text());
                }
                case JobEvent.ArtifactCompleted c -> {
                    assertThat(growing).containsKey(c.artifactId());
                    assertThat(c.content()).as("artifact %s equals its deltas", c.title())
                            .isEqualTo(growing.remove(c.artifactId()).toString());
                    completed.put(c.artifactId(), c);
                }
                case JobEvent.ArtifactDiscarded d -> {
                    assertThat(growing).containsKey(d.artifactId());
                    discarded.put(d.artifactId(), growing.remove(d.artifactId()).toString());
                }
                case JobEvent.Status s -> {
                    if (s.status().isTerminal()) {
                        terminal = s;
                    }
                }
                case JobEvent.Progress p -> { }
                case JobEvent.Snapshot snapshot -> throw new AssertionError("a snapshot in a log that should be whole: " + e);
            }
        }
        assertThat(terminal).as("the log ends with a terminal status").isNotNull();
        if (terminal.status() == JobStatus.COMPLETED) {
            assertThat(growing).as("no artifact left open").isEmpty();
        }
        return new Rebuilt(completed, discarded, terminal);
    }
}
