package dev.contentgen.server.stream;

import dev.contentgen.server.testing.Api;

/** The node's count of events read from the store, from /metrics. */
final class FanOutCostTestSupport {
    private FanOutCostTestSupport() {}

    static double eventsRead(Api api) {
        String metrics = api.get("/metrics").body();
        return metrics.lines().filter(l -> l.startsWith("contentgen_store_events_read_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
