import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { after, afterEach, describe, it } from "node:test";
import { ContentGenClient, ErrorEvent, type JobEvent } from "../src/index.js";
import { FakeServer } from "./support/fake-server.js";
import { RecordingListener } from "./support/listener.js";
import { assertConsistent, collect, fullLog } from "./support/log.js";
import { ContentGenNode, createKey, newDataDir } from "./support/node.js";

/** A job id of the server's form that no job has. */
const NO_SUCH_JOB = "01a23311-0000-7000-8000-000000000000";

function byJob(events: readonly JobEvent[]): Map<string, JobEvent[]> {
  const out = new Map<string, JobEvent[]>();
  for (const e of events) {
    out.set(e.jobId, [...(out.get(e.jobId) ?? []), e]);
  }
  return out;
}

/**
 * Many jobs on one connection (docs/PROTOCOL.md, "Many jobs on one stream") against a real node:
 * every job's whole log once and in order, per-job ends and errors, resume across a crash, abort.
 */
describe("following many jobs on one stream", () => {
  const nodes: ContentGenNode[] = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.close()));
  });

  it("delivers every job's whole log once, ends each job at its terminal event, and reports a job it cannot see on its own", async () => {
    const node = await ContentGenNode.start();
    nodes.push(node);
    const listener = new RecordingListener();
    const client = new ContentGenClient({ baseUrl: node.url, listener });
    const jobs = await Promise.all(["One", "Two", "Three"].map((topic) => client.createJob({ topic, length: "short" })));
    const ended: string[] = [];
    const jobErrors: [string, ErrorEvent][] = [];
    const stream = client.followJobs([jobs[0]!.id, NO_SUCH_JOB, jobs[1]!.id, jobs[2]!.id], {
      onJobEnd: (jobId, terminal) => {
        assert.equal(terminal.jobId, jobId);
        ended.push(jobId);
      },
      onJobError: (jobId, error) => jobErrors.push([jobId, error]),
    });
    const events = await collect(stream);

    const logs = byJob(events);
    assert.deepEqual([...logs.keys()].sort(), jobs.map((j) => j.id).sort());
    for (const job of jobs) {
      assert.deepEqual(logs.get(job.id), await fullLog(node.url, job.id));
      assert.equal(assertConsistent(logs.get(job.id)!).status, "completed");
      assert.equal(stream.lastSeqs[job.id], logs.get(job.id)!.length);
    }
    assert.deepEqual(ended.sort(), jobs.map((j) => j.id).sort());
    assert.equal(jobErrors.length, 1);
    assert.equal(jobErrors[0]![0], NO_SUCH_JOB);
    assert.equal(jobErrors[0]![1].code, "JOB_NOT_FOUND");
    assert.equal(stream.failed.get(NO_SUCH_JOB)?.code, "JOB_NOT_FOUND");
    assert.deepEqual(stream.following, []);
    assert.equal(stream.lastSeqs[NO_SUCH_JOB], 0);
    assert.equal(listener.connected.length, 4, "one connection, announced for each of its jobs");
  });

  it("resumes each job from its own seq: given resume points, and after the node is killed and restarted mid-way", async () => {
    const node = await ContentGenNode.start({ args: ["--lease", "3s"] });
    nodes.push(node);
    const listener = new RecordingListener();
    const client = new ContentGenClient({ baseUrl: node.url, listener, retry: { maxDelayMs: 2000 } });
    const finished = await client.createJob({ topic: "Already done", length: "short" });
    await collect(client.events(finished.id));
    const running = await Promise.all(["Crash one", "Crash two"].map((topic) => client.createJob({ topic, length: "medium" })));
    const stream = client.followJobs({ [finished.id]: 5, [running[0]!.id]: 0, [running[1]!.id]: 0 });

    const events: JobEvent[] = [];
    let killed = false;
    for await (const e of stream) {
      events.push(e);
      if (!killed && events.filter((x) => x.jobId !== finished.id).length >= 12) {
        killed = true;
        // The stream notices when it is read again: after the restart, it finds the connection dead and reconnects.
        await node.kill();
        await node.restart();
      }
    }

    const logs = byJob(events);
    // The finished job from after seq 5 on: exactly the rest of its log.
    assert.deepEqual(logs.get(finished.id), (await fullLog(node.url, finished.id)).slice(5));
    for (const job of running) {
      const log = logs.get(job.id)!;
      assert.deepEqual(log, await fullLog(node.url, job.id), `job ${job.id}: each event once, in order, across the crash`);
      assert.equal(assertConsistent(log).status, "completed");
    }
    assert.ok(killed);
    // The reconnection asked for each job still followed after its own last seq (not from 0).
    assert.ok(listener.retries.length > 0 && listener.connected.length > 3, "reconnected");
    assert.ok(listener.connected.slice(3).some((after) => after > 0), "resumed from the jobs' own seqs");
  });

  it("an abort ends the stream at once and the node closes it", async () => {
    const node = await ContentGenNode.start({ args: ["--workers", "0"] });
    nodes.push(node);
    const client = new ContentGenClient({ baseUrl: node.url });
    const jobs = await Promise.all(["Wait one", "Wait two"].map((topic) => client.createJob({ topic })));
    const abort = new AbortController();
    const stream = client.followJobs(jobs.map((j) => j.id), { signal: abort.signal });
    const first = await stream.next();
    assert.equal(first.done, false);
    abort.abort();
    await assert.rejects(collect(stream), (e: unknown) => (e as Error).name === "AbortError");
    // The server sees the close at its next heartbeat write (1 s here).
    for (let i = 0; i < 100; i++) {
      const health = (await (await fetch(`${node.url}/healthz`)).json()) as { openStreams: number };
      if (health.openStreams === 0) {
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail("the node still holds the aborted stream after 10 s");
  });
});

describe("many jobs on one stream with stream tokens (a browser without the key)", () => {
  let node: ContentGenNode | undefined;
  after(async () => {
    await node?.close();
  });

  it("asks for one token per job, each authorising its own job, and follows them all to their ends", async () => {
    const dataDir = newDataDir();
    const key = createKey(dataDir, "alice");
    node = await ContentGenNode.start({ dataDir, args: ["--workers", "0"] });
    const backend = new ContentGenClient({ baseUrl: node.url, apiKey: key });
    const jobs = await Promise.all(["Token one", "Token two"].map((topic) => backend.createJob({ topic })));
    const asked: string[] = [];
    const browser = new ContentGenClient({ baseUrl: node.url });
    const stream = browser.followJobs(jobs.map((j) => j.id), {
      token: async (jobId) => {
        asked.push(jobId);
        return (await backend.streamToken(jobId)).token;
      },
    });
    const events: JobEvent[] = [];
    for await (const e of stream) {
      events.push(e);
      // Both jobs wait (no workers): once each has shown its first event, cancelling them ends the stream.
      if (events.length === 2) {
        await Promise.all(jobs.map((j) => backend.cancelJob(j.id)));
      }
    }
    assert.deepEqual(asked.sort(), jobs.map((j) => j.id).sort());
    const logs = byJob(events);
    for (const job of jobs) {
      assert.deepEqual(logs.get(job.id), await fullLog(node.url, job.id, key));
      assert.equal(assertConsistent(logs.get(job.id)!).status, "cancelled");
    }
  });
});

/** What a real node cannot be made to send: a newer server's event types, and its exact requests seen from the other side. */
describe("many jobs on one stream: forward compatibility and reconnect requests", () => {
  let fake: FakeServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  function event(vector: string, jobId: string, seq: number, type: string, fields: Record<string, unknown> = {}): string {
    const data = { seq, type, jobId, at: "2026-12-01T12:00:00Z", ...fields };
    return `id: ${vector}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  }

  function sse(res: ServerResponse, text: string): void {
    res.writeHead(200, { "Content-Type": "text/event-stream" });
    res.end(text);
  }

  it("passes over unknown events (the id vector moves their job's point), then reconnects for the jobs left, each after its seq", async () => {
    const seen: { jobs: string[]; lastEventId: string | undefined }[] = [];
    fake = await FakeServer.start((req: IncomingMessage, res, n) => {
      const url = new URL(req.url!, "http://x");
      seen.push({ jobs: url.searchParams.getAll("job"), lastEventId: req.headers["last-event-id"] as string | undefined });
      if (n === 1) {
        sse(res, "retry: 5\n\n" +
          event("1,0", "a", 1, "status", { status: "running", attempt: 1 }) +
          event("1,1", "b", 1, "status", { status: "running", attempt: 1 }) +
          "id: 2,1\nevent: artifact.sparkle\ndata: a newer server's format\n\n" +
          "event: notice\ndata: {\"text\":\"a stream-level message of a newer server\"}\n\n" +
          ": keepalive\n\n" +
          event("3,1", "a", 3, "status", { status: "completed", attempt: 1, summary: {} }));
        // Cut here: job b is not finished.
      } else {
        sse(res, event("2", "b", 2, "status", { status: "completed", attempt: 1, summary: {} }));
      }
    });
    const listener = new RecordingListener();
    const ended: string[] = [];
    const stream = new ContentGenClient({ baseUrl: fake.url, retry: { initialDelayMs: 1, maxDelayMs: 5 }, listener })
      .followJobs(["a", "b"], { onJobEnd: (jobId) => ended.push(jobId) });
    const events = await collect(stream);

    assert.deepEqual(events.map((e) => [e.jobId, e.seq, e.type]), [["a", 1, "status"], ["b", 1, "status"], ["a", 3, "status"], ["b", 2, "status"]]);
    assert.deepEqual(listener.unknownEvents, [[2, "artifact.sparkle"]]);
    assert.deepEqual(ended, ["a", "b"]);
    assert.deepEqual(stream.lastSeqs, { a: 3, b: 2 });
    // First both from the start; after the cut only b, after its seq 1, in the URL and in the vector.
    assert.deepEqual(seen, [{ jobs: ["a:0", "b:0"], lastEventId: "0,0" }, { jobs: ["b:1"], lastEventId: "1" }]);
    assert.equal(listener.retries[0]!.cause.kind, "ConnectionClosed");
  });

  it("a stream-level error the server marks not retryable ends the stream; a retryable one is a notice", async () => {
    fake = await FakeServer.start((_req, res, n) => {
      if (n === 1) {
        sse(res, "retry: 5\n\nevent: error\ndata: {\"code\":\"SERVER_SHUTTING_DOWN\",\"message\":\"restarting\",\"retryable\":true}\n\n");
      } else {
        sse(res, "event: error\ndata: {\"code\":\"FORBIDDEN\",\"message\":\"no more\",\"retryable\":false}\n\n");
      }
    });
    const listener = new RecordingListener();
    const stream = new ContentGenClient({ baseUrl: fake.url, retry: { initialDelayMs: 1, maxDelayMs: 5 }, listener }).followJobs(["a"]);
    await assert.rejects(collect(stream), (e: unknown) => e instanceof ErrorEvent && e.code === "FORBIDDEN" && !e.retryable);
    assert.deepEqual(listener.errorEvents.map((e) => e.code), ["SERVER_SHUTTING_DOWN", "FORBIDDEN"]);
    assert.ok(listener.retries[0]!.cause instanceof ErrorEvent, "the notice is named as the cause of the reconnection");
  });

  it("refuses what the server would refuse, before connecting", () => {
    const client = new ContentGenClient({ baseUrl: "http://127.0.0.1:9" });
    assert.throws(() => client.followJobs([]), RangeError);
    assert.throws(() => client.followJobs(["a", "a"]), RangeError);
    assert.throws(() => client.followJobs({ a: -1 }), RangeError);
    assert.throws(() => client.followJobs(Array.from({ length: 101 }, (_, i) => `j${i}`)), RangeError);
  });
});
