package dev.contentgen.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/** One event stream opened the way a browser would, noting when each event and heartbeat arrives, and when it ends. */
final class StreamProbe implements AutoCloseable {
    /** Something that arrived, {@code after} the request was sent. */
    record Arrival(Duration after, boolean heartbeat) {}

    final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final long sentNanos = System.nanoTime();
    private volatile HttpResponse<InputStream> response;
    private volatile Duration endedAfter;

    private StreamProbe() {}

    /** Sends the request and returns at once: a proxy that buffers may hold back even the response headers. */
    static StreamProbe open(HttpClient http, URI base, String apiKey, String jobId, long lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("api/jobs/" + jobId + "/events"))
                .header("Accept", "text/event-stream")
                // As a browser does: a proxy that compresses will show it.
                .header("Accept-Encoding", "gzip")
                .header("Last-Event-ID", Long.toString(lastEventId));
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        StreamProbe probe = new StreamProbe();
        var pending = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        Thread.ofVirtual().name("doctor-probe").start(() -> {
            try {
                probe.response = pending.join();
                probe.read();
            } catch (RuntimeException e) {
                probe.endedAfter = probe.since(); // no answer at all: counted as a stream that ended
            }
        });
        return probe;
    }

    /** The response, once its headers arrived; null before. */
    HttpResponse<InputStream> response() {
        return response;
    }

    boolean compressed() {
        return response.headers().firstValue("Content-Encoding").filter(e -> !e.equalsIgnoreCase("identity")).isPresent();
    }

    /** When the stream ended (the server or a proxy closed it), or null while it is open. */
    Duration endedAfter() {
        return endedAfter;
    }

    Duration firstEventAfter() {
        return arrivals.stream().filter(a -> !a.heartbeat()).map(Arrival::after).findFirst().orElse(null);
    }

    List<Duration> heartbeats() {
        return arrivals.stream().filter(Arrival::heartbeat).map(Arrival::after).toList();
    }

    private void read() {
        try (InputStream raw = response.body();
             InputStream body = compressed() ? new GZIPInputStream(raw) : raw;
             BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            boolean inEvent = false;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith(":")) {
                    arrivals.add(new Arrival(since(), true));
                } else if (line.startsWith("data")) {
                    inEvent = true;
                } else if (line.isEmpty() && inEvent) {
                    arrivals.add(new Arrival(since(), false));
                    inEvent = false;
                }
            }
        } catch (IOException e) {
            // A cut connection: recorded below as the end of the stream, which is what the doctor reports.
        }
        endedAfter = since();
    }

    private Duration since() {
        return Duration.ofNanos(System.nanoTime() - sentNanos);
    }

    @Override
    public void close() throws IOException {
        HttpResponse<InputStream> r = response;
        if (r != null) {
            r.body().close();
        }
    }
}
