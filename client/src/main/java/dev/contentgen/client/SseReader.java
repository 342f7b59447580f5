package dev.contentgen.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Parses the text/event-stream format: fields until a blank line; an event cut off before its blank line is dropped. */
final class SseReader {

    /** One thing read from the stream. */
    sealed interface Message {
        /** A dispatched event; {@code id} is null for stream-level messages such as errors. */
        record Event(String id, String name, String data) implements Message {}

        /** The server's {@code retry:} field: how long to wait before reconnecting. */
        record Retry(Duration delay) implements Message {}

        /** A comment line such as {@code : keepalive}. */
        record Comment(String text) implements Message {}
    }

    private final BufferedReader reader;
    private String id;
    private String name;
    private StringBuilder data;

    SseReader(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next message, or null when the stream ended. */
    Message next() throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    Message event = new Message.Event(id, name == null ? "message" : name, data.toString());
                    id = null;
                    name = null;
                    data = null;
                    return event;
                }
                id = null;
                name = null;
                continue;
            }
            if (line.startsWith(":")) {
                return new Message.Comment(line.substring(1).strip());
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> name = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "retry" -> {
                    if (value.matches("\\d{1,9}")) {
                        return new Message.Retry(Duration.ofMillis(Long.parseLong(value)));
                    }
                }
                default -> { }
            }
        }
        return null;
    }
}
