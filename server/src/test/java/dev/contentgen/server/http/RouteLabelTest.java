package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code uri} label of the request meters: a route's template, never an id, and {@code other} for anything else. */
class RouteLabelTest {
    @ParameterizedTest
    @CsvSource({
            // a path with an id: its route
            "/api/jobs/j-1, /api/jobs/{id}",
            "/api/jobs/j-1/events, /api/jobs/{id}/events",
            "/api/jobs/j-1/streams, /api/jobs/{id}/streams",
            "/api/jobs/j-1/cancel, /api/jobs/{id}/cancel",
            "/api/jobs/j-1/stream-token, /api/jobs/{id}/stream-token",
            "/api/keys/k-1/revoke, /api/keys/{id}/revoke",
            "/jobs/j-1, /jobs/{id}",
            // a fixed path: itself
            "/api/jobs, /api/jobs",
            "/metrics, /metrics",
            "/, /",
            // anything else: other
            "/api/jobs/, other",
            "/api/jobs//events, other",
            "/api/jobs/a/b/events, other",
            "/api/jobs/a/b, other",
            "/api/jobs/a/eventsx, other",
            "/nothing/here, other"})
    void aPathIsLabelledByItsRouteOrAsOther(String path, String label) {
        assertThat(HttpMetrics.route(path)).isEqualTo(label);
    }

    @Test
    void noPathIsOther() {
        assertThat(HttpMetrics.route((String) null)).isEqualTo("other");
    }
}
