package dev.contentgen.server.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The streams' meters on {@code GET /metrics}: opened, ended by reason, answered without opening, reconnects,
 * events replayed and live, delivery lag, write timeouts and store errors. Every counter of every reason is
 * registered up front, so a rate query sees 0 instead of a missing series.
 */
final class StreamMetrics {
    private final Counter opened;
    private final Counter reconnects;
    private final Counter replayed;
    private final Counter live;
    private final Counter writeTimeouts;
    private final Counter storeErrorsOpening;
    private final Counter storeErrorsStreaming;
    private final Timer deliveryLag;
    private final Map<EndReason, Counter> ended = new EnumMap<>(EndReason.class);
    private final Map<EndReason, Counter> notOpened = new EnumMap<>(EndReason.class);

    StreamMetrics(MeterRegistry meters) {
        opened = Counter.builder("contentgen.streams.opened").description("event streams opened").register(meters);
        reconnects = Counter.builder("contentgen.streams.reconnects")
                .description("streams opened with a resume point (Last-Event-ID or ?after above 0)").register(meters);
        replayed = events(meters, "replayed");
        live = events(meters, "live");
        writeTimeouts = Counter.builder("contentgen.streams.write.timeouts")
                .description("streams closed because the client stopped reading and a write blocked past its timeout").register(meters);
        storeErrorsOpening = storeErrors(meters, "opening");
        storeErrorsStreaming = storeErrors(meters, "streaming");
        deliveryLag = Timer.builder("contentgen.streams.delivery.lag")
                .description("from a live event's creation in its appending transaction to its write on a stream")
                .serviceLevelObjectives(millis(5), millis(10), millis(25), millis(50), millis(100), millis(250), millis(500),
                        millis(1000), millis(2500), millis(5000), millis(10_000), millis(30_000))
                .register(meters);
        for (EndReason reason : EndReason.values()) {
            ended.put(reason, Counter.builder("contentgen.streams.ended").tag("reason", reason.logName())
                    .description("open streams that ended, by reason").register(meters));
            notOpened.put(reason, Counter.builder("contentgen.streams.not.opened").tag("reason", reason.logName())
                    .description("stream requests answered without opening a stream (204, 400, 404, or one retryable error event), by reason")
                    .register(meters));
        }
    }

    void opened(boolean reconnect) {
        opened.increment();
        if (reconnect) {
            reconnects.increment();
        }
    }

    void replayed() {
        replayed.increment();
    }

    void live(long lagMillis) {
        live.increment();
        deliveryLag.record(Duration.ofMillis(Math.max(0, lagMillis)));
    }

    void ended(EndReason reason) {
        ended.get(reason).increment();
        if (reason == EndReason.WRITE_TIMEOUT) {
            writeTimeouts.increment();
        }
    }

    void notOpened(EndReason reason) {
        notOpened.get(reason).increment();
    }

    void storeErrorWhileOpening() {
        storeErrorsOpening.increment();
    }

    void storeErrorWhileStreaming() {
        storeErrorsStreaming.increment();
    }

    private static Counter events(MeterRegistry meters, String kind) {
        return Counter.builder("contentgen.streams.events").tag("kind", kind)
                .description("job events written to streams: replayed (in the log when the stream opened) or live").register(meters);
    }

    private static Counter storeErrors(MeterRegistry meters, String phase) {
        return Counter.builder("contentgen.streams.store.errors").tag("phase", phase)
                .description("store failures a stream met, while opening or while streaming").register(meters);
    }

    private static Duration millis(long ms) {
        return Duration.ofMillis(ms);
    }
}
