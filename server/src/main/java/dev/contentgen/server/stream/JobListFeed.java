package dev.contentgen.server.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.contentgen.api.Job;
import dev.contentgen.api.Json;
import dev.contentgen.server.store.Store;
import dev.contentgen.server.store.StoreException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The live job list of this node's streams that asked for it ({@code list=1}). A status change (creation
 * included) arrives as a pointer from the notifier; while at least one such stream is open, the job's row is
 * read once per change per node, encoded once as an {@code event: job} frame and handed to the streams whose
 * caller may see the job. Nobody waits here: one short drain at a time reads what changed, in order, so a
 * later read never overtakes an earlier one. Jobs nobody lists cost nothing.
 */
final class JobListFeed {
    private final Store store;
    private final ThreadFactory threads;
    private final Set<MultiplexStream> streams = ConcurrentHashMap.newKeySet();
    /** Jobs that changed and were not read yet; several changes of one job before the read make one item. */
    private final Set<String> changed = new LinkedHashSet<>();
    private final AtomicInteger wakeups = new AtomicInteger();

    JobListFeed(Store store, ThreadFactory threads) {
        this.store = store;
        this.threads = threads;
    }

    void add(MultiplexStream stream) {
        streams.add(stream);
    }

    void remove(MultiplexStream stream) {
        streams.remove(stream);
    }

    void changed(String jobId) {
        if (streams.isEmpty()) {
            return;
        }
        synchronized (changed) {
            changed.add(jobId);
        }
        if (wakeups.getAndIncrement() == 0) {
            threads.newThread(this::drain).start();
        }
    }

    void wakeAll() {
        streams.forEach(MultiplexStream::wake);
    }

    void forEachStream(Consumer<MultiplexStream> action) {
        streams.forEach(action);
    }

    private void drain() {
        int seen;
        do {
            seen = wakeups.get();
            List<String> jobs;
            synchronized (changed) {
                jobs = new ArrayList<>(changed);
                changed.clear();
            }
            jobs.forEach(this::announce);
        } while (!wakeups.compareAndSet(seen, 0));
    }

    private void announce(String jobId) {
        if (streams.isEmpty()) {
            return;
        }
        Optional<Job> job;
        try {
            job = store.findListed(jobId);
        } catch (StoreException e) {
            // The list is best effort between connects: every client reloads GET /api/jobs when it (re)connects.
            StreamLog.error(jobId, "job list item not sent, store unavailable: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            StreamLog.error(jobId, "job list item not sent: " + e);
            return;
        }
        if (job.isEmpty()) {
            return; // deleted meanwhile
        }
        byte[] frame = SseFrames.utf8Frame("job", itemData(job.get()));
        String owner = job.get().owner();
        for (MultiplexStream stream : streams) {
            if (stream.listsJobsOf(owner)) {
                stream.listed(frame);
            }
        }
    }

    /** The item as {@code GET /api/jobs} shows it, with {@code jobId} beside {@code id} as every stream event has. */
    static String itemData(Job job) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("jobId", job.id());
        data.setAll((ObjectNode) Json.MAPPER.valueToTree(job));
        return data.toString();
    }
}
