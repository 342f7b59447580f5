package dev.contentgen.server.stream;

import dev.contentgen.api.StreamError;
import dev.contentgen.server.store.JobScope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A multiplexed stream ({@code GET /api/events}): the cursors of several jobs writing to one response, each
 * of them a per-job cursor on its job's shared feed, so a job is read from the store once per event per node
 * however many per-job and multiplexed streams watch it. It ends when every job has ended (unless it carries
 * the live job list), or at once for all when the client, the node or a write ends it. One open stream.
 */
public final class MultiplexStream implements StreamOpening.Streamed, Heartbeating {

    /** One job of the stream: a running cursor, or an error decided while opening (then {@code cursor} is null). */
    record Member(String jobId, long after, Cursor cursor, StreamError error) {}

    private final StreamHub hub;
    private final StreamSettings settings;
    private final List<Member> members;
    private final StreamQuota.Slot slot;
    /** Whose jobs the live job list shows; null when the stream carries no list. */
    private final JobScope listScope;
    /** The stream's job ids as its log lines name them. */
    private final String label;
    private final CompletableFuture<EndReason> done = new CompletableFuture<>();
    private final AtomicReference<EndReason> reason = new AtomicReference<>();
    private final AtomicInteger running = new AtomicInteger();
    private final List<CompletableFuture<EndReason>> cursorsDone = new ArrayList<>();
    private final Queue<byte[]> listed = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wakeups = new AtomicInteger();
    private volatile boolean heartbeatDue;
    /** The stream's first bytes are written and its cursors started: list items may follow. */
    private volatile boolean begun;
    private boolean outageReported;
    private MultiplexOutput output;
    private long startedNanos;
    private final AtomicBoolean slotReleased = new AtomicBoolean();

    MultiplexStream(StreamHub hub, StreamSettings settings, List<Member> members, StreamQuota.Slot slot, JobScope listScope) {
        this.hub = hub;
        this.settings = settings;
        this.members = List.copyOf(members);
        this.slot = slot;
        this.listScope = listScope;
        this.label = label(members);
    }

    private static String label(List<Member> members) {
        return members.isEmpty() ? "none" : String.join(",", members.stream().map(Member::jobId).toList());
    }

    @Override
    public CompletableFuture<EndReason> start(SseWriter writer) {
        startedNanos = System.nanoTime();
        long[] after = members.stream().mapToLong(Member::after).toArray();
        output = new MultiplexOutput(writer, after, settings.heartbeat());
        hub.multiplexOpened();
        StreamLog.multiplexStart(label, members.size(), listScope != null);
        if (listScope != null) {
            // Before the first bytes reach the client (it reloads its list then), so no change after that is missed.
            hub.watchJobList(this);
        }
        try {
            output.begin(settings.clientRetry());
            for (Member m : members) {
                if (m.error() != null) {
                    output.jobError(m.jobId(), m.error());
                }
            }
        } catch (IOException e) {
            members.stream().filter(m -> m.cursor() != null).forEach(m -> m.cursor().close());
            finishNow(EndReason.CLIENT_CLOSED);
            return done;
        }
        List<Member> live = members.stream().filter(m -> m.cursor() != null).toList();
        running.set(live.size());
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            if (m.cursor() != null) {
                cursorsDone.add(m.cursor().start(output.forJob(i)));
            }
        }
        // Only once every cursor started: an end that comes at once then finds them all to stop and wait for.
        for (CompletableFuture<EndReason> ended : cursorsDone) {
            ended.whenComplete((r, failure) -> memberEnded(r == null ? EndReason.INTERNAL_ERROR : r));
        }
        // The list's own drain, too, may end the stream (its client left): only now, with every cursor started.
        begun = true;
        if (listScope != null) {
            wake(); // items that came while the stream began
        }
        if (live.isEmpty() && listScope == null) {
            finish(EndReason.JOBS_ENDED);
        }
        return done;
    }

    /** A job's cursor ended: its own end (terminal event, deleted…) leaves the others going; the stream's end stops them all. */
    private void memberEnded(EndReason r) {
        boolean streamLevel = switch (r) {
            case CLIENT_CLOSED, WRITE_TIMEOUT, SHUTDOWN, INTERNAL_ERROR -> true;
            default -> false;
        };
        if (streamLevel) {
            finish(r);
        } else if (running.decrementAndGet() == 0 && listScope == null) {
            finish(EndReason.JOBS_ENDED);
        }
    }

    /** Ends the stream: every cursor stops with {@code r}; once they all have, the response ends. */
    private void finish(EndReason r) {
        if (!reason.compareAndSet(null, r)) {
            return;
        }
        for (Member m : members) {
            if (m.cursor() != null) {
                m.cursor().stop(r);
            }
        }
        CompletableFuture.allOf(cursorsDone.toArray(CompletableFuture[]::new)).whenComplete((v, t) -> finishNow(r));
    }

    private void finishNow(EndReason r) {
        reason.compareAndSet(null, r);
        if (listScope != null) {
            hub.unwatchJobList(this);
        }
        output.close();
        StreamLog.multiplexEnd(label, reason.get(), startedNanos);
        // The slot before the count: a node that no longer counts the stream has given its slot back (the owner's next one opens).
        releaseSlot();
        hub.multiplexClosed();
        done.complete(reason.get());
    }

    // ---- the live job list (list=1): the stream's own drain, for its items, heartbeats and the node's state ----

    boolean listsJobsOf(String owner) {
        return switch (listScope) {
            case JobScope.Everyone e -> true;
            case JobScope.Owner(String id) -> id.equals(owner);
            case null -> false;
        };
    }

    /** A job list item (encoded once per node) for this stream. */
    void listed(byte[] frame) {
        listed.add(frame);
        wake();
    }

    void wake() {
        if (wakeups.getAndIncrement() == 0) {
            hub.drain(this::drain);
        }
    }

    @Override
    public void heartbeatIfDue(long nowNanos, long dueAfterNanos) {
        if (output != null && nowNanos - output.lastWriteNanos() >= dueAfterNanos) {
            heartbeatDue = true;
            wake();
        }
    }

    private void drain() {
        int seen;
        do {
            seen = wakeups.get();
            if (reason.get() == null && begun) {
                deliver();
            }
        } while (!wakeups.compareAndSet(seen, 0));
    }

    private void deliver() {
        try {
            if (hub.isShuttingDown()) {
                output.streamError(StreamMessages.shuttingDown());
                finish(EndReason.SHUTDOWN);
                return;
            }
            byte[] item;
            while ((item = listed.poll()) != null) {
                output.unnumbered(item);
            }
            boolean heartbeat = heartbeatDue;
            heartbeatDue = false;
            boolean unreachable = hub.isStoreUnreachable();
            if (unreachable && (!outageReported || heartbeat)) {
                StreamLog.error(label, "store unreachable; live updates paused");
                output.streamError(StreamMessages.storeUnavailable());
                outageReported = true;
                return;
            }
            outageReported = unreachable;
            if (heartbeat) {
                output.keepalive();
            }
        } catch (IOException e) {
            finish(EndReason.CLIENT_CLOSED);
        } catch (RuntimeException e) {
            StreamLog.error(label, "stream failed: " + e);
            finish(EndReason.INTERNAL_ERROR);
        }
    }

    /** Ends the stream for all its jobs, off the caller's thread: the end waits for the cursors' drains. */
    @Override
    public void clientGone(EndReason r) {
        hub.drain(() -> finish(r));
    }

    @Override
    public boolean holdsSlot() {
        return slot != StreamQuota.UNLIMITED;
    }

    /** Releases the cursors' subscriptions (idempotent) and the stream's slot. */
    @Override
    public void close() {
        try {
            for (Member m : members) {
                if (m.cursor() != null) {
                    m.cursor().close();
                }
            }
        } finally {
            releaseSlot();
        }
    }

    private void releaseSlot() {
        if (slotReleased.compareAndSet(false, true)) {
            slot.close();
        }
    }
}
