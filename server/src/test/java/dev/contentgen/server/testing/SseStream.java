package dev.contentgen.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A test subscriber reading one SSE response: events, error messages and keepalive comments,
 * parsed by the rules of the SSE spec (fields until a blank line).
 */
public final class SseStream implements AutoCloseable {
    private final int status;
    private final BufferedReader reader;
    private final InputStream body;
    private final List<String> comments = new ArrayList<>();
    private final List<Long> commentNanos = new ArrayList<>();
    private Long retryMillis;

    public SseStream(int status, InputStream body) {
        this.status = status;
        this.body = body;
        this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    public int status() {
        return status;
    }

    /** The next message, or null at the end of the stream. Comments are collected on the way. */
    public SseEvent next() throws IOException {
        String id = null;
        String event = null;
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new SseEvent(id, event == null ? "message" : event, data.toString());
                }
                id = null;
                event = null;
                continue;
            }
            if (line.startsWith(":")) {
                comments.add(line.substring(1).strip());
                commentNanos.add(System.nanoTime());
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "retry" -> retryMillis = Long.parseLong(value);
                default -> { }
            }
        }
        return null;
    }

    /** Reads messages until one matches (inclusive) or the stream ends. */
    public List<SseEvent> readUntil(Predicate<SseEvent> stop) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        SseEvent e;
        while ((e = next()) != null) {
            events.add(e);
            if (stop.test(e)) {
                break;
            }
        }
        return events;
    }

    /** Reads every message until the server ends the stream. */
    public List<SseEvent> readAll() throws IOException {
        return readUntil(e -> false);
    }

    /**
     * Reads every message until the server ends the stream; fails the test if it is still open after
     * {@code deadline} (a generous bound for a stream that must end, not a measurement).
     */
    public List<SseEvent> readAllWithin(Duration deadline) throws IOException {
        CompletableFuture<List<SseEvent>> all = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                all.complete(readAll());
            } catch (IOException | RuntimeException e) {
                all.completeExceptionally(e);
            }
        });
        try {
            return all.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new AssertionError("the stream was still open after " + deadline + "; comments so far: " + comments.size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public List<String> comments() {
        return comments;
    }

    public List<Long> commentNanos() {
        return commentNanos;
    }

    public Long retryMillis() {
        return retryMillis;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
