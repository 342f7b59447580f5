package dev.contentgen.server.stream;

import dev.contentgen.server.store.StoredEvent;

/** A log entry with its SSE frame, encoded once when the node reads it and shared by every subscriber. */
record EncodedEvent(StoredEvent event, byte[] frame) {
    static EncodedEvent of(StoredEvent event) {
        return new EncodedEvent(event, SseFrames.event(event.seq(), event.type(), event.data()));
    }

    long seq() {
        return event.seq();
    }

    boolean terminal() {
        return event.terminal();
    }
}
