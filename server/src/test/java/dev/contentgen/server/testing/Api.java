package dev.contentgen.server.testing;

import dev.contentgen.api.Job;
import dev.contentgen.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A plain HTTP client for a node under test: real requests on loopback. */
public final class Api {
    private final URI base;
    private final HttpClient http;
    private final String[] always;

    public Api(URI base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), new String[0]);
    }

    /** The API through a client of the test's own (e.g. one that trusts a test certificate and speaks HTTP/2). */
    public Api(URI base, HttpClient http) {
        this(base, http, new String[0]);
    }

    private Api(URI base, HttpClient http, String[] always) {
        this.base = base;
        this.http = http;
        this.always = always;
    }

    /** The same API, sending {@code Authorization: Bearer key} with every request. */
    public Api withKey(String key) {
        return new Api(base, http, new String[] {"Authorization", "Bearer " + key});
    }

    public URI base() {
        return base;
    }

    public record Response(int status, String contentType, String body) {
        public <T> T as(Class<T> type) {
            return Json.read(body, type);
        }
    }

    public Response post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (always.length > 0) {
            request.headers(always);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public Response put(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (always.length > 0) {
            request.headers(always);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public Response delete(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).DELETE();
        if (always.length > 0) {
            request.headers(always);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public Response get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (always.length > 0) {
            request.headers(always);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public Job createJob(String topic) {
        return createJob(Map.of("topic", topic));
    }

    public Job createJob(Map<String, Object> fields) {
        Response r = post("/api/jobs", Json.write(new LinkedHashMap<>(fields)));
        if (r.status() != 201) {
            throw new AssertionError("create failed: " + r);
        }
        return r.as(Job.class);
    }

    public Job job(String id) {
        return get("/api/jobs/" + id).as(Job.class);
    }

    /** Opens the job's event stream; {@code lastEventId} null means from the start. */
    public SseStream events(String jobId, Long lastEventId) {
        return events(jobId, lastEventId, false);
    }

    /** Opens the job's event stream as a client that takes snapshots ({@code ?snapshots=1}) or not. */
    public SseStream events(String jobId, Long lastEventId, boolean snapshots) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/jobs/" + jobId + "/events" + (snapshots ? "?snapshots=1" : "")))
                .header("Accept", "text/event-stream").GET();
        if (always.length > 0) {
            request.headers(always);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        return open(request.build());
    }

    /**
     * Opens a multiplexed stream: {@code GET /api/events?<query>} (e.g. {@code job=ID:3&job=ID2}); {@code lastEventId}
     * is the resume vector to send, null for none.
     */
    public SseStream multiplexed(String query, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/events?" + query))
                .header("Accept", "text/event-stream").GET();
        if (always.length > 0) {
            request.headers(always);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return open(request.build());
    }

    public SseStream open(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 200 || response.statusCode() == 204) {
                // The stream's body is read by the test; its events are checked by OpenApiTest.
                ApiContract.check(request.method(), request.uri(), response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse(null), null);
            }
            return new SseStream(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The job's whole log, read from a fresh stream to its end. */
    public List<SseEvent> fullLog(String jobId) throws IOException {
        try (SseStream stream = events(jobId, null)) {
            return stream.readAll().stream().filter(e -> !e.isError()).toList();
        }
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            // Every answer a test sees must be what the API document says.
            ApiContract.check(request.method(), request.uri(), response.statusCode(), contentType, response.body());
            return new Response(response.statusCode(), contentType, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
