package dev.contentgen.client.testing;

import dev.contentgen.client.ClientListener;
import dev.contentgen.client.Failure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Records what the SDK reports, and lets a test wait (with a deadline) until it has reported something. */
public final class RecordingListener implements ClientListener {
    public final List<Retrying> retries = new CopyOnWriteArrayList<>();
    public final List<Failure.ErrorEvent> errorEvents = new CopyOnWriteArrayList<>();
    public final List<Long> connections = new CopyOnWriteArrayList<>();
    /** "seq type" of each event the SDK passed over because it does not know its type. */
    public final List<String> unknownEvents = new CopyOnWriteArrayList<>();

    @Override
    public void onRetrying(Retrying retrying) {
        retries.add(retrying);
    }

    @Override
    public void onConnected(String jobId, long afterSeq) {
        connections.add(afterSeq);
    }

    @Override
    public void onErrorEvent(String jobId, Failure.ErrorEvent error) {
        errorEvents.add(error);
    }

    @Override
    public void onUnknownEvent(String jobId, long seq, String type) {
        unknownEvents.add(seq + " " + type);
    }

    public void awaitRetry(Predicate<Failure> cause, Duration deadline) {
        await(() -> retries.stream().anyMatch(r -> cause.test(r.cause())), deadline, "a retry with the expected cause; saw " + retries);
    }

    /** Polls {@code condition} until it holds; fails the test when the deadline passes first. */
    public static void await(BooleanSupplier condition, Duration deadline, String what) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
