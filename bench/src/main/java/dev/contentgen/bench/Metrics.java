package dev.contentgen.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a contentgen node's Prometheus text: sums of the samples of one metric (optionally filtered). */
final class Metrics {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI uri;
    private String text = "";

    Metrics(URI uri) {
        this.uri = uri;
    }

    Metrics refresh() {
        if (uri == null) {
            return this;
        }
        try {
            text = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            text = "";
        }
        return this;
    }

    double sum(String name, String labelFilter) {
        return text.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> labelFilter == null || l.contains(labelFilter))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
