package dev.contentgen.server.stream;

import dev.contentgen.api.Json;
import dev.contentgen.api.StreamError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The SSE wire format as bytes. A job event is encoded once per node ({@link EncodedEvent}) and the
 * same bytes go to every subscriber; only stream-level messages are encoded per stream.
 */
final class SseFrames {
    static final byte[] KEEPALIVE = comment("keepalive");

    private SseFrames() {}

    /** A durable job event: its id is the seq, so the browser resumes after it. */
    static byte[] event(long seq, String type, String data) {
        return utf8("id: " + seq + "\nevent: " + type + "\ndata: " + data + "\n\n");
    }

    /** A stream-level error: no id, so it never moves the client's resume point. */
    static byte[] error(StreamError error) {
        return utf8("event: error\ndata: " + Json.write(error) + "\n\n");
    }

    /** How long the client waits before reconnecting: the first bytes of every stream. */
    static byte[] retry(Duration clientRetry) {
        return utf8("retry: " + clientRetry.toMillis() + "\n\n");
    }

    /** A frame without an id: {@code event: <type>} and its data. */
    static byte[] utf8Frame(String type, String data) {
        return utf8("event: " + type + "\ndata: " + data + "\n\n");
    }

    static byte[] comment(String text) {
        return utf8(": " + text + "\n\n");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
