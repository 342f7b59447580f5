package dev.contentgen.server.testing;

import dev.contentgen.api.Json;
import dev.contentgen.api.LoggedEvent;

/** One SSE message as a client received it: {@code id} is null for stream-level messages. */
public record SseEvent(String id, String event, String data) {
    public boolean isError() {
        return "error".equals(event);
    }

    public long seq() {
        return Long.parseLong(id);
    }

    public LoggedEvent logged() {
        return Json.readEvent(data);
    }
}
