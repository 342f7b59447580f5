import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as wait } from "node:timers/promises";
import { ContentGenClient, type JobEvent, JobNotFound, Unauthorized } from "../src/index.js";
import { RecordingListener } from "./support/listener.js";
import { fullLog } from "./support/log.js";
import { ContentGenNode, createKey, newDataDir } from "./support/node.js";
import { FaultyProxy } from "./support/proxy.js";

/**
 * Who may open a stream (docs/PROTOCOL.md): a node with keys, and stream tokens for a browser that
 * cannot send the key. Its workers are off, so a job stays pending (its stream open with heartbeats
 * only) until the test cancels it.
 */
describe("keys and stream tokens on a node with keys", () => {
  let node: ContentGenNode;
  let key: string;
  let backend: ContentGenClient;

  before(async () => {
    const dataDir = newDataDir();
    key = createKey(dataDir, "alice");
    node = await ContentGenNode.start({ dataDir, args: ["--workers", "0", "--stream-token-ttl", "1s"] });
    backend = new ContentGenClient({ baseUrl: node.url, apiKey: key });
  });
  after(async () => {
    await node?.close();
  });

  it("a wrong key is Unauthorized, for calls and streams, and is not retried", async () => {
    const job = await backend.createJob({ topic: "Mine" });
    const listener = new RecordingListener();
    const stranger = new ContentGenClient({ baseUrl: node.url, apiKey: "cgk_not-a-key", listener });
    await assert.rejects(stranger.getJob(job.id), (e: unknown) =>
      e instanceof Unauthorized && e.status === 401 && e.code === "UNAUTHORIZED" && /Check the API key/.test(e.message));
    await assert.rejects(stranger.events(job.id).next(), (e: unknown) => e instanceof Unauthorized);
    const anonymous = new ContentGenClient({ baseUrl: node.url });
    await assert.rejects(anonymous.createJob({ topic: "x" }), (e: unknown) => e instanceof Unauthorized);
    assert.deepEqual(listener.retries, []);
    await backend.cancelJob(job.id);
  });

  it("streams with a token instead of the key, and renews it when the server says it expired", async () => {
    const job = await backend.createJob({ topic: "A browser on another origin" });
    const proxy = await FaultyProxy.start(node.port);
    try {
      const tokens: string[] = [];
      let expiresAt = 0;
      // What a browser app does: ask its own backend for a token (here: the backend client directly).
      const token = async (jobId: string): Promise<string> => {
        const t = await backend.streamToken(jobId);
        assert.equal(t.jobId, job.id);
        tokens.push(t.token);
        expiresAt = Date.parse(t.expiresAt);
        return t.token;
      };
      const listener = new RecordingListener();
      const browser = new ContentGenClient({ baseUrl: proxy.url, listener });
      const stream = browser.events(job.id, { token });
      const first = await stream.next();
      assert.equal((first.value as JobEvent).type, "status");
      // Outlive the token (an open stream does), then lose the connection: the reconnect is refused as expired.
      while (Date.now() <= expiresAt + 50) {
        await wait(100);
      }
      proxy.cutAll();
      const rest = (async () => {
        const events: JobEvent[] = [first.value as JobEvent];
        for await (const e of stream) {
          events.push(e);
        }
        return events;
      })();
      await listener.until(() => listener.connected.length === 2);
      await backend.cancelJob(job.id);
      const events = await rest;

      assert.equal(tokens.length, 2, "a new token after the expired one");
      assert.notEqual(tokens[0], tokens[1]);
      assert.deepEqual(events, await fullLog(node.url, job.id, key));
      assert.deepEqual(events.map((e) => e.type === "status" && e.status), ["pending", "cancelled"]);
      assert.deepEqual(listener.connected, [0, 1], "the second connection resumed after the first event");
    } finally {
      await proxy.close();
    }
  });

  it("a token of one job opens no other (JobNotFound); an expired token given as a string is Unauthorized", async () => {
    const one = await backend.createJob({ topic: "One" });
    const other = await backend.createJob({ topic: "Other" });
    const token = await backend.streamToken(one.id);
    const browser = new ContentGenClient({ baseUrl: node.url });
    await assert.rejects(browser.events(other.id, { token: token.token }).next(), (e: unknown) => e instanceof JobNotFound);
    while (Date.now() <= Date.parse(token.expiresAt) + 50) {
      await wait(100);
    }
    await assert.rejects(browser.events(one.id, { token: token.token }).next(), (e: unknown) =>
      e instanceof Unauthorized && e.code === "STREAM_TOKEN_EXPIRED" && /streamToken\(jobId\)/.test(e.message));
    await backend.cancelJob(one.id);
    await backend.cancelJob(other.id);
  });
});
