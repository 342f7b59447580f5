import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ContentGenClient, type JobEvent, TimedOut } from "../src/index.js";
import { RecordingListener } from "./support/listener.js";
import { assertConsistent, collect, fullLog } from "./support/log.js";
import { ContentGenNode } from "./support/node.js";
import { FaultyProxy, seededRandom } from "./support/proxy.js";

/**
 * The resume guarantee (docs/PROTOCOL.md, Guarantees 1) through faults between the client and a real
 * node: whatever happens on the way, the caller sees the node's log exactly once, in order.
 */
describe("resume through faults", () => {
  let node: ContentGenNode;
  let direct: ContentGenClient;

  before(async () => {
    node = await ContentGenNode.start();
    direct = new ContentGenClient({ baseUrl: node.url });
  });
  after(async () => {
    await node?.close();
  });

  it("delivers every event exactly once, in order, over a hundred random cuts", async () => {
    const seed = Number(process.env["CUT_SEED"] ?? 42);
    const proxy = await FaultyProxy.start(node.port);
    try {
      const listener = new RecordingListener();
      const client = new ContentGenClient({
        baseUrl: proxy.url,
        retry: { initialDelayMs: 5, maxDelayMs: 40, maxAttempts: 5 },
        listener,
      });
      proxy.cutRandomly(seededRandom(seed), 1, 3000);
      // Rounds of concurrent jobs until enough connections were cut: the first cut live streams, later ones replays too.
      for (let round = 0; round < 20 && proxy.cuts < 100; round++) {
        const jobs = await Promise.all(
          [0, 1, 2].map((i) => direct.createJob({ topic: `Cut ${round}.${i}`, length: "short" })),
        );
        const received = await Promise.all(jobs.map((job) => collect(client.events(job.id))));
        for (const [i, job] of jobs.entries()) {
          assert.equal(assertConsistent(received[i]!).status, "completed", `job ${job.topic} (seed ${seed})`);
          assert.deepEqual(received[i], await fullLog(node.url, job.id), `job ${job.topic} (seed ${seed})`);
        }
      }
      assert.ok(proxy.cuts >= 100, `the proxy cut ${proxy.cuts} connections`);
      assert.ok(listener.retries.length >= proxy.cuts / 2, "every cut is followed by a reconnection");
      assert.ok(listener.retries.every((r) => r.cause.retryable));
    } finally {
      await proxy.close();
    }
  });

  it("replaces a connection that goes silent without closing (the idle timeout), losing nothing", async () => {
    const proxy = await FaultyProxy.start(node.port);
    try {
      const listener = new RecordingListener();
      // Three of the node's 1 s heartbeats.
      const client = new ContentGenClient({ baseUrl: proxy.url, idleTimeoutMs: 3000, listener });
      const job = await direct.createJob({ topic: "A proxy that goes quiet", length: "short" });
      proxy.silenceNextConnectionAfter(1500);
      const events: JobEvent[] = await collect(client.events(job.id));

      assert.equal(proxy.silenced, 1);
      assert.deepEqual(events, await fullLog(node.url, job.id));
      assert.equal(assertConsistent(events).status, "completed");
      const idle = listener.retries.filter((r) => r.cause instanceof TimedOut);
      assert.equal(idle.length, 1, "one connection timed out");
      assert.match(idle[0]!.cause.message, /No data \(not even a heartbeat\) for 3000 ms/);
      assert.equal(listener.connected.length, 2);
      assert.ok(listener.connected[1]! > 0, "the second connection resumed after the events already seen");
    } finally {
      await proxy.close();
    }
  });
});
