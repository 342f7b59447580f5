import { createParser } from "eventsource-parser";

/** One thing an event stream carries: an event, a `retry:` hint, or a comment (`: keepalive`). */
export type SseMessage =
  | { kind: "event"; event: string; id: string | undefined; data: string }
  | { kind: "retry"; ms: number }
  | { kind: "comment" };

/**
 * One open response of an event stream, watched: after `idleMs` without a byte (no event, no
 * heartbeat) it aborts the response and reports `idle`, because a proxy that stops forwarding
 * without closing leaves a read waiting forever.
 */
export class SseConnection {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private expired = false;
  private closed = false;

  constructor(
    private readonly controller: AbortController,
    private readonly idleMs: number,
  ) {
    this.touch();
  }

  /** True when the idle timeout ended this connection. */
  get idle(): boolean {
    return this.expired;
  }

  /** Pushes the idle deadline back: a byte arrived. */
  touch(): void {
    clearTimeout(this.timer);
    if (this.closed) {
      return;
    }
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort();
    }, this.idleMs);
  }

  /** The messages of `body` as they arrive; ends when the server ends the response. */
  async *messages(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage, void, undefined> {
    const queue: SseMessage[] = [];
    const parser = createParser({
      onEvent: (e) => queue.push({ kind: "event", event: e.event ?? "message", id: e.id, data: e.data }),
      onRetry: (ms) => queue.push({ kind: "retry", ms }),
      onComment: () => queue.push({ kind: "comment" }),
    });
    const reader = body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          // An event cut off before its blank line is not an event (the spec drops it).
          parser.feed(decoder.decode());
          yield* queue.splice(0);
          return;
        }
        parser.feed(decoder.decode(value, { stream: true }));
        if (queue.length > 0) {
          // Only the server's silence counts: the watch pauses while the caller handles what arrived.
          clearTimeout(this.timer);
          while (queue.length > 0) {
            yield queue.shift()!;
          }
        }
        this.touch();
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  /** Ends the connection (if still open) and its watch. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.controller.abort();
  }
}
