package dev.contentgen.client;

import dev.contentgen.api.LoggedEvent;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A job's events as a {@link Flow.Publisher}: each subscriber gets its own {@link EventStream},
 * read on a virtual thread only as fast as it requests. Completes after the terminal status;
 * fails with a {@link ContentGenException}.
 */
final class EventPublisher implements Flow.Publisher<LoggedEvent> {
    private final Supplier<EventStream> open;

    EventPublisher(Supplier<EventStream> open) {
        this.open = open;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super LoggedEvent> subscriber) {
        Objects.requireNonNull(subscriber);
        Delivery delivery = new Delivery(subscriber, open.get());
        subscriber.onSubscribe(delivery);
        Thread.ofVirtual().name("contentgen-events").start(delivery::run);
    }

    /** One subscription: demand in, events out. */
    private static final class Delivery implements Flow.Subscription {
        private final Flow.Subscriber<? super LoggedEvent> subscriber;
        private final EventStream stream;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition demanded = lock.newCondition();
        private long demand;
        private volatile boolean cancelled;
        private volatile IllegalArgumentException badRequest;

        Delivery(Flow.Subscriber<? super LoggedEvent> subscriber, EventStream stream) {
            this.subscriber = subscriber;
            this.stream = stream;
        }

        @Override
        public void request(long n) {
            lock.lock();
            try {
                if (n <= 0) {
                    badRequest = new IllegalArgumentException("request(" + n + "): demand must be positive (rule 3.9)");
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                demanded.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            stream.close();
            lock.lock();
            try {
                demanded.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void run() {
            try (stream) {
                Iterator<LoggedEvent> events = stream.iterator();
                while (awaitDemand() && events.hasNext()) {
                    if (cancelled) {
                        return;
                    }
                    subscriber.onNext(events.next());
                }
                if (badRequest != null) {
                    subscriber.onError(badRequest);
                } else if (!cancelled) {
                    subscriber.onComplete();
                }
            } catch (RuntimeException e) {
                // A ContentGenException from the stream, or a subscriber that threw (rule 2.13): either way, the end.
                if (!cancelled) {
                    cancelled = true;
                    subscriber.onError(e);
                }
            }
        }

        /** Waits until the subscriber wants one more; false when it cancelled or broke the rules. */
        private boolean awaitDemand() {
            lock.lock();
            try {
                while (demand == 0 && !cancelled && badRequest == null) {
                    demanded.awaitUninterruptibly();
                }
                if (cancelled || badRequest != null) {
                    return false;
                }
                demand--;
                return true;
            } finally {
                lock.unlock();
            }
        }
    }
}
