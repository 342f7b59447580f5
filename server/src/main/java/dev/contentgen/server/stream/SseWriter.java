package dev.contentgen.server.stream;

import dev.contentgen.api.Json;
import dev.contentgen.api.StreamError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Writes the SSE wire format to one client. A stream has exactly one writer thread (its cursor),
 * so events, errors and heartbeats never interleave.
 */
public final class SseWriter {
    private final OutputStream out;

    public SseWriter(OutputStream out) {
        this.out = out;
    }

    /** The first bytes of every stream: how long the client waits before reconnecting; flushed, so the 200 goes out. */
    public void begin(Duration clientRetry) throws IOException {
        write("retry: " + clientRetry.toMillis() + "\n\n");
        flush();
    }

    /** A durable job event: its id is the seq, so the browser resumes after it. */
    public void event(long seq, String type, String data) throws IOException {
        write("id: " + seq + "\nevent: " + type + "\ndata: " + data + "\n\n");
    }

    /** A stream-level error: no id, so it never moves the client's resume point. */
    public void error(StreamError error) throws IOException {
        write("event: error\ndata: " + Json.write(error) + "\n\n");
    }

    public void comment(String text) throws IOException {
        write(": " + text + "\n\n");
    }

    public void flush() throws IOException {
        out.flush();
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
