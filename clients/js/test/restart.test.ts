import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ContentGenClient, ErrorEvent, type JobEvent } from "../src/index.js";
import { RecordingListener } from "./support/listener.js";
import { assertConsistent, fullLog } from "./support/log.js";
import { ContentGenNode } from "./support/node.js";

/** Follows a stream in the background and says when it has seen `count` events. */
function follow(stream: AsyncIterable<JobEvent>, count: number): { seen: Promise<void>; all: Promise<JobEvent[]> } {
  let reached: () => void = () => {};
  const seen = new Promise<void>((done) => (reached = done));
  const all = (async () => {
    const events: JobEvent[] = [];
    for await (const e of stream) {
      events.push(e);
      if (events.length === count) {
        reached();
      }
    }
    reached();
    return events;
  })();
  return { seen, all };
}

/**
 * The node dies or restarts mid-stream (docs/PROTOCOL.md, Guarantees 5): the job resumes after the
 * restart and the client, reconnecting by itself, sees one consistent log, each event once.
 */
describe("the node restarts mid-stream", () => {
  const nodes: ContentGenNode[] = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.close()));
  });

  it("SIGKILLed and restarted on the same data directory: the job resumes and the stream loses nothing", async () => {
    const node = await ContentGenNode.start({ args: ["--lease", "3s"] });
    nodes.push(node);
    const listener = new RecordingListener();
    const client = new ContentGenClient({ baseUrl: node.url, listener, retry: { maxDelayMs: 2000 } });
    const job = await client.createJob({ topic: "Survive a crash", length: "medium" });
    const { seen, all } = follow(client.events(job.id), 12);
    await seen;
    await node.kill();
    await listener.until(() => listener.retries.length > 0);
    await node.restart();
    const events = await all;

    assert.deepEqual(events, await fullLog(node.url, job.id));
    assert.equal(assertConsistent(events).status, "completed");
    assert.ok(events.some((e) => e.type === "status" && e.status === "retrying"), "the interrupted run shows as retrying");
    assert.ok(listener.connected.length >= 2);
    assert.ok(listener.retries.some((r) => r.cause.kind === "ServerUnreachable" || r.cause.kind === "ConnectionClosed"));
  });

  it("stopped with SIGTERM: the stream hears SERVER_SHUTTING_DOWN as a notice and resumes after the restart", async () => {
    const node = await ContentGenNode.start({ args: ["--lease", "3s"] });
    nodes.push(node);
    const listener = new RecordingListener();
    const notices: ErrorEvent[] = [];
    const client = new ContentGenClient({ baseUrl: node.url, listener, retry: { maxDelayMs: 2000 } });
    const job = await client.createJob({ topic: "Survive a deploy", length: "medium" });
    const { seen, all } = follow(client.events(job.id, { onErrorEvent: (_id, e) => notices.push(e) }), 12);
    await seen;
    await node.stop();
    await node.restart();
    const events = await all;

    assert.deepEqual(events, await fullLog(node.url, job.id));
    assert.equal(assertConsistent(events).status, "completed");
    // One per connection the draining node answered (a reconnect during the drain hears it again).
    assert.ok(notices.length >= 1);
    assert.ok(notices.every((n) => n.code === "SERVER_SHUTTING_DOWN" && n.retryable));
    assert.deepEqual(listener.errorEvents, notices);
    assert.ok(listener.retries.some((r) => r.cause instanceof ErrorEvent && r.cause.code === "SERVER_SHUTTING_DOWN"),
      "the notice is named as the cause of the reconnection");
  });
});
