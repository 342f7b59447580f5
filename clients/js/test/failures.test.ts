import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { afterEach, describe, it } from "node:test";
import {
  ContentGenClient,
  ErrorEvent,
  type JobEvent,
  Rejected,
  ServerUnavailable,
  ServerUnreachable,
  Unauthorized,
  UnexpectedResponse,
} from "../src/index.js";
import { FakeServer, freePort } from "./support/fake-server.js";
import { RecordingListener } from "./support/listener.js";
import { collect } from "./support/log.js";

const quick = { initialDelayMs: 1, maxDelayMs: 20, maxAttempts: 3 };

function sse(res: ServerResponse, text: string, end = true): void {
  res.writeHead(200, { "Content-Type": "text/event-stream" });
  res.write(text);
  if (end) {
    res.end();
  }
}

function event(seq: number, type: string, fields: Record<string, unknown> = {}): string {
  const data = { seq, type, jobId: "j1", at: "2026-12-01T12:00:00Z", ...fields };
  return `id: ${seq}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The failure classes the client reports, each with an answer that causes it. Where a real node
 * cannot give the answer (HTML, a newer protocol, a non-retryable error event), a few lines of
 * node:http play a server that does.
 */
describe("failure classes and forward compatibility", () => {
  let fake: FakeServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it("a port nobody listens on is ServerUnreachable, after the retry limit, for calls and streams", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const listener = new RecordingListener();
    const client = new ContentGenClient({ baseUrl: url, retry: quick, listener });
    await assert.rejects(client.createJob({ topic: "x" }), (e: unknown) => {
      assert.ok(e instanceof ServerUnreachable);
      assert.match(e.message, /connection refused/);
      assert.match(e.message, /Gave up after 3 attempts/);
      return true;
    });
    assert.equal(listener.retries.length, 2);
    listener.retries.length = 0;
    await assert.rejects(collect(client.events("some-job")), (e: unknown) => e instanceof ServerUnreachable);
    assert.equal(listener.retries.length, 2);
    assert.match(listener.retries[0]!.action, /^reconnecting to the events of job some-job/);
    assert.equal(listener.retries[0]!.attempt, 2);
  });

  it("an unknown host is ServerUnreachable and names the host", async () => {
    const client = new ContentGenClient({ baseUrl: "http://no-such-host.invalid:8080", retry: { ...quick, maxAttempts: 1 } });
    await assert.rejects(client.listJobs(), (e: unknown) => e instanceof ServerUnreachable && /no-such-host\.invalid/.test(e.message));
  });

  it("an HTML page instead of an event stream (or of JSON) is UnexpectedResponse, not retried", async () => {
    fake = await FakeServer.start((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end("<html>Please log in to the Wi-Fi</html>");
    });
    const client = new ContentGenClient({ baseUrl: fake.url, retry: quick });
    await assert.rejects(collect(client.events("j1")), (e: unknown) =>
      e instanceof UnexpectedResponse && /text\/html instead of an event stream/.test(e.message) && !e.retryable);
    await assert.rejects(client.getJob("j1"), (e: unknown) => e instanceof UnexpectedResponse && /not JSON/.test(e.message));
    assert.equal(fake.requests.length, 2, "neither was retried");
  });

  it("a redirect is UnexpectedResponse that names where it points", async () => {
    fake = await FakeServer.start((_req, res) => {
      res.writeHead(302, { Location: "https://login.example.com/" });
      res.end();
    });
    const client = new ContentGenClient({ baseUrl: fake.url, retry: quick });
    await assert.rejects(collect(client.events("j1")), (e: unknown) =>
      e instanceof UnexpectedResponse && e.message.includes("https://login.example.com/"));
  });

  it("401 and 403 are Unauthorized and say to check the key; a 400 problem is Rejected with its code", async () => {
    fake = await FakeServer.start((req, res) => {
      const status = req.url?.includes("forbidden") ? 403 : req.url?.includes("bad") ? 400 : 401;
      res.writeHead(status, { "Content-Type": "application/problem+json" });
      res.end(JSON.stringify({ status, code: status === 400 ? "INVALID_FIELD" : "UNAUTHORIZED", detail: "Nope." }));
    });
    const listener = new RecordingListener();
    const client = new ContentGenClient({ baseUrl: fake.url, apiKey: "k-123", retry: quick, listener });
    await assert.rejects(client.getJob("j1"), (e: unknown) =>
      e instanceof Unauthorized && e.status === 401 && /Check the API key/.test(e.message));
    await assert.rejects(client.getJob("forbidden"), (e: unknown) => e instanceof Unauthorized && e.status === 403);
    await assert.rejects(collect(client.events("j1")), (e: unknown) => e instanceof Unauthorized);
    await assert.rejects(client.getJob("bad"), (e: unknown) =>
      e instanceof Rejected && e.status === 400 && e.code === "INVALID_FIELD" && e.detail === "Nope.");
    assert.deepEqual(listener.retries, []);
    assert.equal(fake.requests[0]!.headers.authorization, "Bearer k-123");
  });

  it("429 and 5xx are ServerUnavailable and retried after the server's Retry-After", async () => {
    fake = await FakeServer.start((_req, res, n) => {
      if (n === 1) {
        res.writeHead(503, { "Content-Type": "application/problem+json", "Retry-After": "1" });
        res.end(JSON.stringify({ status: 503, code: "STORE_UNAVAILABLE", detail: "The database is not answering." }));
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ jobs: [], nextCursor: null }));
    });
    const listener = new RecordingListener();
    const client = new ContentGenClient({ baseUrl: fake.url, retry: quick, listener });
    assert.deepEqual(await client.listJobs(), { jobs: [], nextCursor: null });
    assert.equal(listener.retries.length, 1);
    const cause = listener.retries[0]!.cause;
    assert.ok(cause instanceof ServerUnavailable && cause.code === "STORE_UNAVAILABLE" && cause.retryAfterMs === 1000);
    assert.ok(listener.retries[0]!.delayMs >= 1000, "never sooner than Retry-After");
  });

  it("passes over event types it does not know, and the resume point still moves past them", async () => {
    const lastEventIds: (string | undefined)[] = [];
    fake = await FakeServer.start((req, res, n) => {
      lastEventIds.push(req.headers["last-event-id"] as string | undefined);
      if (n === 1) {
        sse(res, "retry: 5\n\n" + event(1, "status", { status: "running", attempt: 1 }) +
          event(2, "artifact.sparkle", { sparkles: 3 }) +
          "event: notice\ndata: {\"text\":\"a stream-level message of a newer server\"}\n\n" +
          "event: weather\ndata: not json at all\n\n" +
          "id: 3\nevent: digest\ndata: a newer server's format\n\n");
      } else {
        sse(res, event(4, "status", { status: "completed", attempt: 1, summary: {} }));
      }
    });
    const listener = new RecordingListener();
    const stream = new ContentGenClient({ baseUrl: fake.url, retry: quick, listener }).events("j1");
    const events: JobEvent[] = await collect(stream);
    assert.deepEqual(events.map((e) => [e.seq, e.type]), [[1, "status"], [4, "status"]]);
    assert.deepEqual(lastEventIds, ["0", "3"]);
    assert.equal(stream.lastSeq, 4);
    assert.deepEqual(listener.unknownEvents, [[2, "artifact.sparkle"], [3, "digest"]]);
  });

  it("a retryable error event (TOO_MANY_STREAMS) is a notice: reported, waited out with the server's retry:, then the stream goes on", async () => {
    fake = await FakeServer.start((_req, res, n) => {
      if (n === 1) {
        sse(res, "retry: 50\n\nevent: error\ndata: {\"code\":\"TOO_MANY_STREAMS\",\"message\":\"Too many open streams.\",\"retryable\":true}\n\n");
      } else {
        sse(res, event(1, "status", { status: "completed", attempt: 1 }));
      }
    });
    const listener = new RecordingListener();
    const notices: ErrorEvent[] = [];
    const client = new ContentGenClient({ baseUrl: fake.url, retry: quick, listener });
    const events = await collect(client.events("j1", { onErrorEvent: (_id, e) => notices.push(e) }));
    assert.equal(events.length, 1);
    assert.deepEqual(notices.map((e) => [e.code, e.message, e.retryable]), [["TOO_MANY_STREAMS", "Too many open streams.", true]]);
    assert.equal(listener.retries.length, 1);
    assert.ok(listener.retries[0]!.cause instanceof ErrorEvent);
    assert.ok(listener.retries[0]!.delayMs >= 50, "never sooner than the server's retry:");
  });

  it("an error event the server marks not retryable ends the stream with that ErrorEvent", async () => {
    fake = await FakeServer.start((_req, res) => {
      sse(res, "retry: 10\n\nevent: error\ndata: {\"code\":\"INTERNAL\",\"message\":\"Broken beyond repair.\",\"retryable\":false}\n\n");
    });
    const listener = new RecordingListener();
    const client = new ContentGenClient({ baseUrl: fake.url, retry: quick, listener });
    await assert.rejects(collect(client.events("j1")), (e: unknown) =>
      e instanceof ErrorEvent && e.code === "INTERNAL" && !e.retryable && e.message === "Broken beyond repair.");
    assert.equal(listener.errorEvents.length, 1);
    assert.deepEqual(listener.retries, []);
  });

  it("a skipped event is UnexpectedResponse: nothing is silently lost", async () => {
    fake = await FakeServer.start((_req, res) => {
      sse(res, event(1, "status", { status: "running", attempt: 1 }) + event(3, "progress", { step: "outline", index: 1, total: 5, label: "x" }));
    });
    const client = new ContentGenClient({ baseUrl: fake.url, retry: quick });
    await assert.rejects(collect(client.events("j1")), (e: unknown) =>
      e instanceof UnexpectedResponse && /Event 3 of job j1 arrived right after 1/.test(e.message));
  });

  it("an abort while waiting to reconnect ends the stream at once", async () => {
    fake = await FakeServer.start((_req, res) => {
      res.writeHead(503, { "Retry-After": "3600" });
      res.end();
    });
    const listener = new RecordingListener();
    const controller = new AbortController();
    const client = new ContentGenClient({ baseUrl: fake.url, listener });
    const reading = collect(client.events("j1", { signal: controller.signal }));
    await listener.until(() => listener.retries.length === 1);
    assert.equal(listener.retries[0]!.delayMs >= 3_600_000, true);
    controller.abort();
    await assert.rejects(reading, (e: unknown) => (e as Error).name === "AbortError");
    assert.equal(fake.requests.length, 1);
  });
});
