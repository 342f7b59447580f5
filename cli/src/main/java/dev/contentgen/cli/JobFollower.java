package dev.contentgen.cli;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobEvent;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.LoggedEvent;
import dev.contentgen.client.ContentGenClient;
import dev.contentgen.client.EventStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Follows one job's stream to its end for {@code generate} and {@code watch}: prints the events, writes
 * the final Markdown, handles Ctrl-C (cancel or detach), and turns the outcome into an exit code.
 */
final class JobFollower {
    private final ContentGenClient client;
    private final String jobId;
    private final EventPrinter printer;
    private final PrintWriter err;
    private final boolean interactive;
    private volatile boolean detached;
    /** How often a waiting job's place in the queue is asked for: a GET, cheap beside the wait it reports. */
    private static final Duration QUEUE_INTERVAL = Duration.ofSeconds(2);

    JobFollower(ContentGenClient client, String jobId, EventPrinter printer, PrintWriter err, boolean interactive) {
        this.client = client;
        this.jobId = jobId;
        this.printer = printer;
        this.err = err;
        this.interactive = interactive;
    }

    /** A follower printing text (a progress bar on a terminal) or, with {@code json}, one JSON line per event. */
    static JobFollower printing(ContentGenClient client, String jobId, boolean json, PrintWriter out, PrintWriter err) {
        boolean interactive = Terminal.interactive();
        EventPrinter printer = json ? new EventPrinter.JsonLines(out) : new EventPrinter.Text(out, err, interactive);
        return new JobFollower(client, jobId, printer, err, interactive);
    }

    /** Follows the events after {@code afterSeq}; writes the final artifact to {@code out} (if given) when the job completes. */
    int follow(long afterSeq, Path out) {
        JobEvent.Status terminal = null;
        String finalText = null;
        try (EventStream events = client.jobs().events(jobId, afterSeq);
             CtrlC ctrlC = CtrlC.onInterrupt(() -> onCtrlC(events));
             QueueWatcher queue = new QueueWatcher(client, jobId, printer::note, QUEUE_INTERVAL)) {
            for (LoggedEvent event : events) {
                printer.print(event);
                watchQueue(queue, event.event());
                switch (event.event()) {
                    case JobEvent.ArtifactCompleted c -> finalText = c.content();
                    case JobEvent.Status s when s.isTerminal() -> terminal = s;
                    case JobEvent.Snapshot snapshot -> {
                        // Stands for the events up to its seq: the last completed artifact and the status as they were.
                        for (var artifact : snapshot.artifacts()) {
                            if (artifact.status() == dev.contentgen.api.ArtifactStatus.COMPLETED) {
                                finalText = artifact.content();
                            }
                        }
                        if (snapshot.isTerminal()) {
                            terminal = snapshot.status();
                        }
                    }
                    default -> { }
                }
            }
        }
        if (detached) {
            err.println("contentgen: detached; job " + jobId + " goes on. Watch it with: contentgen watch " + jobId
                    + " --server " + client.baseUrl());
            return ExitCode.DETACHED;
        }
        if (terminal == null) {
            // Only a job that was already over (204 at the resume point) ends without a terminal event here.
            return outcomeOfFinishedJob(out);
        }
        return switch (terminal.status()) {
            // Resumed after the final artifact, this stream never saw its text: the job has it.
            case COMPLETED -> written(finalText != null ? finalText : finalArtifact(client.jobs().get(jobId)), out)
                    ? ExitCode.COMPLETED : ExitCode.OTHER_ERROR;
            case FAILED -> {
                err.println("contentgen: job " + jobId + " failed: " + (terminal.error() == null ? "no reason given"
                        : terminal.error().message() + " (" + terminal.error().code() + ")"));
                yield ExitCode.JOB_FAILED;
            }
            case CANCELLED -> {
                err.println("contentgen: job " + jobId + " was cancelled.");
                yield ExitCode.JOB_CANCELLED;
            }
            default -> ExitCode.OTHER_ERROR;
        };
    }

    /** A waiting job's stream is silent until a worker takes it: meanwhile the watcher says where it stands. */
    private void watchQueue(QueueWatcher queue, JobEvent event) {
        JobEvent.Status status = event instanceof JobEvent.Status s ? s : event instanceof JobEvent.Snapshot snapshot ? snapshot.status() : null;
        if (status != null && (status.status() == JobStatus.PENDING || status.status() == JobStatus.RETRYING)) {
            queue.start();
        } else if (status != null || event instanceof JobEvent.Progress) {
            queue.close();
        }
    }

    private int outcomeOfFinishedJob(Path out) {
        Job job = client.jobs().get(jobId);
        return switch (job.status()) {
            case COMPLETED -> written(finalArtifact(job), out) ? ExitCode.COMPLETED : ExitCode.OTHER_ERROR;
            case FAILED -> ExitCode.JOB_FAILED;
            case CANCELLED -> ExitCode.JOB_CANCELLED;
            default -> ExitCode.OTHER_ERROR;
        };
    }

    private static String finalArtifact(Job job) {
        return job.artifacts().isEmpty() ? null : job.artifacts().getLast().content();
    }

    private boolean written(String text, Path out) {
        if (out == null || text == null) {
            return true;
        }
        try {
            Files.writeString(out, text, StandardCharsets.UTF_8);
            err.println("contentgen: wrote " + out);
            return true;
        } catch (IOException e) {
            err.println("contentgen: cannot write " + out + ": " + e.getMessage());
            return false;
        }
    }

    /** At a terminal, asks; otherwise detaches, so a script's Ctrl-C never cancels work by surprise. */
    private void onCtrlC(EventStream events) {
        if (detached) {
            return;
        }
        if (interactive && askToCancel()) {
            try {
                client.jobs().cancel(jobId);
                err.println("contentgen: cancelling job " + jobId + "…");
                return; // The stream ends with the cancelled status.
            } catch (RuntimeException e) {
                err.println("contentgen: could not cancel: " + e.getMessage());
            }
        }
        detached = true;
        events.close();
    }

    private boolean askToCancel() {
        err.print("\ncontentgen: cancel job " + jobId + " on the server, or detach and let it run? [c]ancel / [d]etach: ");
        err.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("c");
        } catch (IOException e) {
            return false;
        }
    }
}
