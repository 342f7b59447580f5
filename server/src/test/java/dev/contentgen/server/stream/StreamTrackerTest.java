package dev.contentgen.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.contentgen.server.store.StoredEvent;
import dev.contentgen.server.testing.SettableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the tracker counts and keeps for the cases a test on loopback cannot reach cheaply. */
class StreamTrackerTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final StreamTracker tracker = new StreamTracker(meters, clock);

    @Test
    void aWriteTimeoutIsAnEndByItsReasonAndAWriteTimeout() {
        tracker.opened("job-a", 0, 0).ended(EndReason.WRITE_TIMEOUT, 0);
        assertThat(meters.get("contentgen.streams.ended").tag("reason", "write_timeout").counter().count()).isEqualTo(1);
        assertThat(meters.get("contentgen.streams.write.timeouts").counter().count()).isEqualTo(1);
        assertThat(tracker.report("job-a").ended()).singleElement().extracting(StreamReport.End::reason).isEqualTo("write_timeout");
    }

    @Test
    void liveEventsAreTimedFromTheirCreationAndReplayedOnesAreNot() {
        StreamObserver stream = tracker.opened("job-a", 0, 1);
        long created = clock.millis();
        clock.advance(Duration.ofMillis(40));
        stream.written(new StoredEvent("job-a", 1, "status", "{}", false, created));
        stream.written(new StoredEvent("job-a", 2, "progress", "{}", false, created));
        assertThat(meters.get("contentgen.streams.events").tag("kind", "replayed").counter().count()).isEqualTo(1);
        assertThat(meters.get("contentgen.streams.delivery.lag").timer().count()).isEqualTo(1);
        assertThat(meters.get("contentgen.streams.delivery.lag").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
        // Another node's clock may run behind: a lag is never negative.
        stream.written(new StoredEvent("job-a", 3, "progress", "{}", false, clock.millis() + 5_000));
        assertThat(meters.get("contentgen.streams.delivery.lag").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
    }

    @Test
    void keepsTheLastEndsOfAJobNewestFirstAndEndsAStreamOnce() {
        for (int i = 0; i < StreamTracker.ENDS_KEPT + 5; i++) {
            StreamObserver stream = tracker.opened("job-a", i, i);
            stream.ended(EndReason.CLIENT_CLOSED, i);
            stream.ended(EndReason.SHUTDOWN, i);
        }
        tracker.notOpened("job-a", 99, EndReason.TOO_MANY_STREAMS);
        var ended = tracker.report("job-a").ended();
        assertThat(ended).hasSize(StreamTracker.ENDS_KEPT);
        assertThat(ended.getFirst().reason()).isEqualTo("too_many_streams");
        assertThat(ended.getFirst().opened()).isFalse();
        assertThat(ended.get(1).after()).isEqualTo(StreamTracker.ENDS_KEPT + 4);
        assertThat(meters.get("contentgen.streams.ended").tag("reason", "shutdown").counter().count()).isZero();
        assertThat(tracker.report("job-a").open()).isEmpty();
    }

    @Test
    void forgetsTheEndsOfTheLeastRecentlyEndedJobsBeyondItsBound() {
        for (int i = 0; i <= StreamTracker.JOBS_KEPT; i++) {
            tracker.notOpened("job-" + i, 0, EndReason.JOB_NOT_FOUND);
        }
        assertThat(tracker.report("job-0").ended()).isEmpty();
        assertThat(tracker.report("job-1").ended()).hasSize(1);
    }
}
