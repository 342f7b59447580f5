import { ofException, ofStatus, retryAfterMs } from "./classify.js";
import type { Failure } from "./failures.js";
import { type FetchLike, Http, readSome, segment } from "./http.js";
import { type SseMessage, SseConnection } from "./sse.js";

export interface EventsProxyOptions {
  /** Where contentgen is, as seen from your server, e.g. `http://contentgen.internal:8080`. */
  baseUrl: string;
  /** The API key, read on the server (e.g. `process.env.CONTENTGEN_API_KEY`); the browser never sees it. */
  apiKey?: string;
  /** The fetch to reach contentgen with (default: the global one), e.g. undici's with a dispatcher of your own. */
  fetch?: FetchLike;
  /**
   * How long contentgen may send nothing (no event, no heartbeat) before the proxy gives the
   * connection up and tells the browser to reconnect. Default 45 s: three default heartbeats.
   */
  idleTimeoutMs?: number;
  /** Hears each failure of the connection to contentgen that the proxy turned into a retryable error event. */
  onUpstreamFailure?: (jobId: string, failure: Failure) => void;
}

/** The code of the error event the proxy sends when its connection to contentgen fails. */
export const UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE";

/** How long a browser waits before reconnecting after a failure the proxy reports (the server's own default). */
const RETRY_MS = 2000;

/**
 * Forwards one job's event stream from contentgen to a browser — the body of a route handler in
 * Next.js (App Router) or any server built on the Fetch API:
 *
 * ```ts
 * export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
 *   return proxyEvents(request, (await params).id, { baseUrl: process.env.CONTENTGEN_URL!, apiKey: process.env.CONTENTGEN_API_KEY });
 * }
 * ```
 *
 * The browser's `Last-Event-ID` (or `?after=`) is passed on, the key is added here, and each event
 * goes out as soon as it arrives, whole. When the connection to contentgen fails — refused, reset,
 * a body timeout, silent for `idleTimeoutMs` — the browser gets a retryable `event: error` and the
 * end of the response, and reconnects with its last id: nothing lost, nothing twice. A browser that
 * goes away only closes the connection to contentgen; its job runs on.
 */
export async function proxyEvents(request: Request, jobId: string, options: EventsProxyOptions): Promise<Response> {
  const fetcher: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const http = new Http(options.baseUrl, options.apiKey, fetcher);
  const idleMs = options.idleTimeoutMs ?? 45_000;
  const report = (failure: Failure): void => options.onUpstreamFailure?.(jobId, failure);

  const headers = http.headers({ Accept: "text/event-stream" });
  const lastEventId = request.headers.get("Last-Event-ID");
  const after = new URL(request.url).searchParams.get("after");
  // contentgen validates the resume point (400 for a malformed one); the header wins, as it does there.
  if (lastEventId !== null) {
    headers.set("Last-Event-ID", lastEventId);
  }
  const path = `api/jobs/${segment(jobId)}/events` + (lastEventId === null && after !== null ? `?${new URLSearchParams({ after })}` : "");

  // Aborted when the browser goes away: that closes the upstream stream, never the job.
  const upstream = new AbortController();
  const onGone = (): void => upstream.abort();
  request.signal.addEventListener("abort", onGone, { once: true });

  let response: Response;
  try {
    response = await http.fetch(http.url(path), { headers, signal: upstream.signal, cache: "no-store", redirect: "manual" });
  } catch (thrown) {
    request.signal.removeEventListener("abort", onGone);
    const failure = ofException(thrown, http.base, false);
    report(failure);
    return eventStreamResponse(errorEventBody(failure.message, RETRY_MS));
  }

  if (response.status === 200 && isEventStream(response) && response.body !== null) {
    const connection = new SseConnection(upstream, idleMs);
    const messages = connection.messages(response.body);
    const encoder = new TextEncoder();
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      // Pulled: contentgen is read only as fast as the browser takes, so nothing piles up here.
      async pull(controller) {
        try {
          const next = await messages.next();
          if (next.done) {
            finish();
            controller.close();
          } else {
            controller.enqueue(encoder.encode(frame(next.value)));
          }
        } catch (thrown) {
          finish();
          if (cancelled || request.signal.aborted) {
            // The browser left, which is why the read failed: there is no one to tell.
            if (!cancelled) {
              controller.close();
            }
            return;
          }
          const failure = connection.idle
            ? ofException(Object.assign(new Error(`no byte for ${idleMs} ms`), { code: "ETIMEDOUT" }), http.base, true)
            : ofException(thrown, http.base, true);
          report(failure);
          controller.enqueue(encoder.encode(errorEventFrame(failure.message)));
          controller.close();
        }
      },
      cancel() {
        cancelled = true;
        finish();
      },
    });
    const finish = (): void => {
      request.signal.removeEventListener("abort", onGone);
      connection.close();
    };
    return eventStreamResponse(body);
  }

  request.signal.removeEventListener("abort", onGone);
  if (response.status === 429 || response.status >= 500) {
    // EventSource gives up for good on any status but 200: trouble that passes is an error event.
    const retryAfter = response.headers.get("Retry-After");
    const failure = ofStatus(response.status, response.headers.get("Content-Type"), await readSome(response, 4096), retryAfter, jobId, http.base);
    report(failure);
    const retry = Math.max(RETRY_MS, retryAfterMs(retryAfter) ?? 0);
    return eventStreamResponse(errorEventBody(failure.message, retry));
  }
  // 204 after the end, and the permanent answers (400, 401, 404): the browser must see them as they are.
  const passed = new Headers();
  for (const name of ["Content-Type", "Retry-After", "WWW-Authenticate"]) {
    const value = response.headers.get(name);
    if (value !== null) {
      passed.set(name, value);
    }
  }
  passed.set("Cache-Control", "no-store");
  const text = response.status === 204 ? null : await readSome(response);
  upstream.abort();
  return new Response(text, { status: response.status, headers: passed });
}

/** A 200 event stream with the headers that keep proxies and compressors from holding it back. */
function eventStreamResponse(body: ReadableStream<Uint8Array> | string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform: compression middleware (Next.js's among them) must not buffer the stream.
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}

/** The SSE text of one message, as contentgen wrote it. */
function frame(message: SseMessage): string {
  switch (message.kind) {
    case "comment":
      return ": keepalive\n\n";
    case "retry":
      return `retry: ${message.ms}\n\n`;
    case "event": {
      let text = message.id === undefined ? "" : `id: ${message.id}\n`;
      if (message.event !== "message") {
        text += `event: ${message.event}\n`;
      }
      for (const line of message.data.split("\n")) {
        text += `data: ${line}\n`;
      }
      return text + "\n";
    }
  }
}

/** A retryable stream error, without an id, so the browser's resume point stays where it was. */
function errorEventFrame(message: string): string {
  const data = JSON.stringify({ code: UPSTREAM_UNAVAILABLE, message, retryable: true });
  return `event: error\ndata: ${data}\n\n`;
}

function errorEventBody(message: string, retryMs: number): string {
  return `retry: ${retryMs}\n\n` + errorEventFrame(message);
}

function isEventStream(response: Response): boolean {
  return (response.headers.get("Content-Type") ?? "").toLowerCase().startsWith("text/event-stream");
}
