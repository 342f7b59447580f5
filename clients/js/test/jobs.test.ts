import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ContentGenClient, isTerminal, type JobEvent, JobNotFound, Rejected } from "../src/index.js";
import { RecordingListener } from "./support/listener.js";
import { assertConsistent, collect, fullLog } from "./support/log.js";
import { ContentGenNode } from "./support/node.js";

/** The API and a whole stream against a real node on loopback (local mode: no key). */
describe("jobs and their streams on a real node", () => {
  let node: ContentGenNode;
  let client: ContentGenClient;

  before(async () => {
    node = await ContentGenNode.start();
    client = new ContentGenClient({ baseUrl: node.url });
  });
  after(async () => {
    await node?.close();
  });

  it("creates a job and streams it to completed, artifacts equal to their deltas", async () => {
    const job = await client.createJob({ topic: "Why SSE streams die", length: "short" });
    assert.equal(job.topic, "Why SSE streams die");
    const events = await collect(client.events(job.id));

    const terminal = assertConsistent(events);
    assert.equal(terminal.status, "completed");
    assert.deepEqual(events, await fullLog(node.url, job.id));
    const finished = await client.getJob(job.id);
    assert.equal(finished.status, "completed");
    assert.equal(finished.lastSeq, events.length);
    const completed = events.filter((e) => e.type === "artifact.completed");
    assert.ok(completed.length >= 3, "outline, sections, summary, article");
    for (const artifact of finished.artifacts) {
      const deltas = events.filter((e) => e.type === "artifact.delta" && e.artifactId === artifact.id);
      assert.equal(artifact.content, deltas.map((d) => (d as JobEvent & { type: "artifact.delta" }).text).join(""));
    }
  });

  it("reads a finished job's tokens per step and in total, and the caller's usage", async () => {
    const job = await client.createJob({ topic: "Counting tokens", length: "short" });
    const events = await collect(client.events(job.id));
    const terminal = assertConsistent(events);
    const finished = await client.getJob(job.id);
    const steps = finished.artifacts.filter((a) => a.usage !== undefined);
    assert.ok(steps.length >= 3, "every generating step reports what it used");
    const input = steps.reduce((sum, a) => sum + (a.usage?.inputTokens ?? 0), 0);
    const output = steps.reduce((sum, a) => sum + (a.usage?.outputTokens ?? 0), 0);
    assert.ok(input > 0 && output > 0);
    assert.deepEqual(finished.usage, { inputTokens: input, outputTokens: output });
    assert.equal(terminal.summary?.inputTokens, input);
    assert.equal(terminal.summary?.outputTokens, output);
    const completed = events.filter((e) => e.type === "artifact.completed" && e.usage !== undefined);
    assert.equal(completed.length, steps.length);

    const usage = await client.usage();
    assert.equal(usage.owner, "local");
    assert.ok(usage.outputTokens >= output);
    assert.equal((await client.usage({ since: new Date(Date.now() + 3_600_000) })).jobs, 0);
  });

  it("streams from a resume point: exactly the events after it", async () => {
    const job = await client.createJob({ topic: "Resume points", length: "short" });
    const whole = await collect(client.events(job.id));
    const stream = client.events(job.id, { after: 5 });
    const rest = await collect(stream);
    assert.deepEqual(rest, whole.slice(5));
    assert.equal(stream.lastSeq, whole.length);
  });

  it("ends at once, with nothing, when resumed after the terminal event (the server answers 204)", async () => {
    const job = await client.createJob({ topic: "After the end", length: "short" });
    const whole = await collect(client.events(job.id));
    const statuses: number[] = [];
    const listener = new RecordingListener();
    const watching = new ContentGenClient({
      baseUrl: node.url,
      listener,
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        statuses.push(response.status);
        return response;
      },
    });
    const rest = await collect(watching.events(job.id, { after: whole.length }));
    assert.deepEqual(rest, []);
    assert.deepEqual(statuses, [204]);
    assert.deepEqual(listener.retries, []);
  });

  it("never creates a second job for one idempotency key", async () => {
    const request = { topic: "Idempotent", length: "short" } as const;
    const first = await client.createJob(request, { idempotencyKey: "key-1" });
    const again = await client.createJob(request, { idempotencyKey: "key-1" });
    assert.equal(again.id, first.id);
    const other = await client.createJob(request);
    assert.notEqual(other.id, first.id);
    await collect(client.events(first.id));
    await collect(client.events(other.id));
  });

  it("reuses its generated idempotency key when it retries a create whose answer was lost", async () => {
    const keys: string[] = [];
    let answers = 0;
    const flaky = new ContentGenClient({
      baseUrl: node.url,
      retry: { initialDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 },
      fetch: async (url, init) => {
        keys.push(new Headers(init.headers).get("Idempotency-Key") ?? "");
        const response = await fetch(url, init);
        if (++answers === 1) {
          throw new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
        }
        return response;
      },
    });
    const job = await flaky.createJob({ topic: "A lost answer", length: "short" });
    assert.equal(keys.length, 2);
    assert.equal(keys[0], keys[1]);
    const page = await client.listJobs({ limit: 100 });
    assert.equal(page.jobs.filter((j) => j.topic === "A lost answer").length, 1);
    assert.equal(page.jobs.find((j) => j.topic === "A lost answer")?.id, job.id);
    await collect(client.events(job.id));
  });

  it("lists jobs newest first, page by page", async () => {
    const first = await client.listJobs({ limit: 2 });
    assert.equal(first.jobs.length, 2);
    assert.ok(first.nextCursor);
    const second = await client.listJobs({ limit: 2, cursor: first.nextCursor });
    assert.ok(second.jobs.length >= 1);
    assert.ok(!second.jobs.some((j) => first.jobs.some((f) => f.id === j.id)));
  });

  it("cancels a running job: the stream ends with status cancelled; a completed job cannot be cancelled", async () => {
    const job = await client.createJob({ topic: "Cancel me", length: "long" });
    const events: JobEvent[] = [];
    for await (const e of client.events(job.id)) {
      events.push(e);
      if (e.type === "artifact.delta" && events.filter((x) => x.type === "artifact.delta").length === 1) {
        const result = await client.cancelJob(job.id);
        assert.equal(result.job.id, job.id);
      }
    }
    const terminal = assertConsistent(events);
    assert.equal(terminal.status, "cancelled");
    const done = await client.createJob({ topic: "Finished", length: "short" });
    await collect(client.events(done.id));
    await assert.rejects(client.cancelJob(done.id), (e: unknown) => e instanceof Rejected && e.code === "JOB_FINISHED");
  });

  it("names an unknown job JobNotFound, for calls and for streams", async () => {
    const missing = "01900000-0000-7000-8000-000000000000";
    await assert.rejects(client.getJob(missing), (e: unknown) => e instanceof JobNotFound && e.jobId === missing);
    await assert.rejects(collect(client.events(missing)), (e: unknown) => e instanceof JobNotFound && !e.retryable);
  });

  it("stops a stream mid-job when its AbortSignal fires, and a call before it is sent", async () => {
    const job = await client.createJob({ topic: "Abort me", length: "long" });
    const controller = new AbortController();
    const seen: JobEvent[] = [];
    await assert.rejects(
      (async () => {
        for await (const e of client.events(job.id, { signal: controller.signal })) {
          seen.push(e);
          if (seen.length === 3) {
            controller.abort();
          }
        }
      })(),
      (e: unknown) => e instanceof DOMException && e.name === "AbortError",
    );
    assert.equal(seen.length, 3);
    assert.ok(!seen.some(isTerminal));

    const aborted = AbortSignal.abort();
    await assert.rejects(client.getJob(job.id, { signal: aborted }), (e: unknown) => (e as Error).name === "AbortError");
    await client.cancelJob(job.id);
  });

  it("ends the iteration cleanly when the caller breaks out of it", async () => {
    const job = await client.createJob({ topic: "Break out", length: "short" });
    const stream = client.events(job.id);
    for await (const e of stream) {
      if (e.seq === 2) {
        break;
      }
    }
    assert.equal(stream.lastSeq, 2);
    assert.deepEqual(await stream.next(), { done: true, value: undefined });
    await collect(client.events(job.id, { after: 2 }));
  });
});
