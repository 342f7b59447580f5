package dev.contentgen.cli;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;
import java.io.PrintWriter;

/** Shows a job's events as they arrive: as text for people, or as JSON lines for programs. */
sealed interface EventPrinter {

    void print(LoggedEvent event);

    /** A line about the job that is not one of its events (e.g. its place in the queue); JSON lines leave it out. */
    default void note(String line) {}

    /** Each event as one line of the server's JSON (the {@code data} of the SSE event). */
    record JsonLines(PrintWriter out) implements EventPrinter {
        public void print(LoggedEvent event) {
            out.println(Json.writeEvent(event));
            out.flush();
        }
    }

    /** Artifact text on stdout as it streams; status and steps on stderr, as a progress bar on a terminal. */
    record Text(PrintWriter out, PrintWriter err, boolean terminal) implements EventPrinter {
        private static final String BOLD = "\u001b[1m";
        private static final String DIM = "\u001b[2m";
        private static final String RESET = "\u001b[0m";

        public void print(LoggedEvent logged) {
            switch (logged.event()) {
                case JobEvent.Status s -> note("status: " + s.status().wireName() + (s.attempt() > 1 ? " (attempt " + s.attempt() + ")" : "")
                        + (s.error() != null ? " — " + s.error().code() + ": " + s.error().message() : "")
                        + (s.status() == JobStatus.COMPLETED && s.summary() != null ? " — " + SummaryLine.of(s.summary()) : ""));
                case JobEvent.Progress p -> note(terminal ? bar(p) : "step " + p.index() + "/" + p.total() + ": " + p.label());
                case JobEvent.ArtifactCreated c -> {
                    out.println();
                    out.println(terminal ? BOLD + "── " + c.title() + " ──" + RESET : "--- " + c.title() + " (" + c.kind() + ") ---");
                    out.flush();
                }
                case JobEvent.ArtifactDelta d -> {
                    out.print(d.text());
                    out.flush();
                }
                case JobEvent.ArtifactCompleted c -> {
                    out.println();
                    out.flush();
                }
                case JobEvent.ArtifactDiscarded d -> note("(the partial text above is discarded: " + d.reason() + "; the step runs again)");
                case JobEvent.Snapshot snapshot -> printSnapshot(snapshot);
            }
        }

        /** The job as it stood at the snapshot's seq (its deltas were compacted), printed as its events would have been. */
        private void printSnapshot(JobEvent.Snapshot snapshot) {
            note("(a snapshot of the job as of this point: the server compacted the events before it)");
            for (var artifact : snapshot.artifacts()) {
                if (artifact.status() == dev.contentgen.api.ArtifactStatus.DISCARDED) {
                    continue;
                }
                out.println();
                out.println(terminal ? BOLD + "── " + artifact.title() + " ──" + RESET : "--- " + artifact.title() + " (" + artifact.kind() + ") ---");
                out.print(artifact.content());
                if (artifact.status() == dev.contentgen.api.ArtifactStatus.COMPLETED) {
                    out.println();
                }
                out.flush();
            }
            if (snapshot.progress() != null) {
                print(new LoggedEvent(0, "", java.time.Instant.EPOCH, snapshot.progress()));
            }
            print(new LoggedEvent(0, "", java.time.Instant.EPOCH, snapshot.status()));
        }

        @Override
        public synchronized void note(String line) {
            out.flush();
            err.println(terminal ? DIM + line + RESET : line);
            err.flush();
        }

        private static String bar(JobEvent.Progress p) {
            int width = 20;
            int filled = p.total() == 0 ? width : Math.min(width, width * (p.index() - 1) / p.total());
            return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + p.index() + "/" + p.total() + " " + p.label();
        }
    }
}
