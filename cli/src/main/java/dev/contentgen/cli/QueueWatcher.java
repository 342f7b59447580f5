package dev.contentgen.cli;

import dev.contentgen.api.Job;
import dev.contentgen.api.JobStatus;
import dev.contentgen.api.QueuePosition;
import dev.contentgen.client.ContentGenClient;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * While a followed job waits for a worker, asks the server where it stands every few seconds and
 * says so when that changes ("waiting: 3 jobs ahead, all 4 workers busy"): its stream is silent until
 * a worker takes it, and "pending" alone does not say for how long.
 */
final class QueueWatcher implements AutoCloseable {
    private final ContentGenClient client;
    private final String jobId;
    private final Consumer<String> say;
    private final Duration interval;
    private Thread thread;

    QueueWatcher(ContentGenClient client, String jobId, Consumer<String> say, Duration interval) {
        this.client = client;
        this.jobId = jobId;
        this.say = say;
        this.interval = interval;
    }

    /** Starts asking, unless it already is. */
    synchronized void start() {
        if (thread == null || !thread.isAlive()) {
            thread = Thread.ofVirtual().name("queue-watcher").start(this::watch);
        }
    }

    /** Stops asking: the job left the queue (or the stream ended). */
    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.interrupt();
            thread = null;
        }
    }

    private void watch() {
        String said = null;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Job job = client.jobs().get(jobId);
                if (job.status() != JobStatus.PENDING && job.status() != JobStatus.RETRYING) {
                    return;
                }
                String line = job.queue() == null ? null : describe(job.queue());
                if (line != null && !Objects.equals(line, said) && !Thread.currentThread().isInterrupted()) {
                    say.accept(line);
                    said = line;
                }
                Thread.sleep(interval);
            }
        } catch (InterruptedException e) {
            // Told to stop: the job is running or over.
        } catch (RuntimeException e) {
            // Only a hint is lost; the stream itself carries on and reports any real trouble.
        }
    }

    /** One line for a person: how many jobs are ahead and how busy the workers are. */
    static String describe(QueuePosition q) {
        String ahead = q.ahead() == 0 ? "next in line" : q.ahead() == 1 ? "1 job ahead" : q.ahead() + " jobs ahead";
        String workers;
        if (q.workers() == 0) {
            workers = "no node runs jobs (every node has --workers 0)";
        } else if (q.busy() >= q.workers()) {
            workers = q.workers() == 1 ? "the one worker busy" : "all " + q.workers() + " workers busy";
        } else {
            workers = q.busy() + " of " + q.workers() + " workers busy";
        }
        return "waiting: " + ahead + ", " + workers;
    }
}
