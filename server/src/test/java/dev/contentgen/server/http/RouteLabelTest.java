package dev.contentgen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@code uri} label of the request meters: a route's template, never an id, and {@code other} for anything else. */
class RouteLabelTest {
    @Test
    void aPathWithAnIdIsLabelledByItsRoute() {
        assertThat(HttpMetrics.route("/api/jobs/j-1")).isEqualTo("/api/jobs/{id}");
        assertThat(HttpMetrics.route("/api/jobs/j-1/events")).isEqualTo("/api/jobs/{id}/events");
        assertThat(HttpMetrics.route("/api/jobs/j-1/streams")).isEqualTo("/api/jobs/{id}/streams");
        assertThat(HttpMetrics.route("/api/jobs/j-1/cancel")).isEqualTo("/api/jobs/{id}/cancel");
        assertThat(HttpMetrics.route("/api/jobs/j-1/stream-token")).isEqualTo("/api/jobs/{id}/stream-token");
        assertThat(HttpMetrics.route("/api/keys/k-1/revoke")).isEqualTo("/api/keys/{id}/revoke");
        assertThat(HttpMetrics.route("/jobs/j-1")).isEqualTo("/jobs/{id}");
    }

    @Test
    void fixedPathsAreTheirOwnLabel() {
        assertThat(HttpMetrics.route("/api/jobs")).isEqualTo("/api/jobs");
        assertThat(HttpMetrics.route("/metrics")).isEqualTo("/metrics");
        assertThat(HttpMetrics.route("/")).isEqualTo("/");
    }

    @Test
    void anythingElseIsOther() {
        assertThat(HttpMetrics.route((String) null)).isEqualTo("other");
        assertThat(HttpMetrics.route("/api/jobs/")).isEqualTo("other");
        assertThat(HttpMetrics.route("/api/jobs//events")).isEqualTo("other");
        assertThat(HttpMetrics.route("/api/jobs/a/b/events")).isEqualTo("other");
        assertThat(HttpMetrics.route("/api/jobs/a/b")).isEqualTo("other");
        assertThat(HttpMetrics.route("/api/jobs/a/eventsx")).isEqualTo("other");
        assertThat(HttpMetrics.route("/nothing/here")).isEqualTo("other");
    }
}
