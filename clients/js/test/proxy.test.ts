import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ContentGenClient, type Failure, type JobEvent } from "../src/index.js";
import { proxyEvents, UPSTREAM_UNAVAILABLE } from "../src/proxy.js";
import { FetchServer } from "./support/fetch-server.js";
import { RecordingListener } from "./support/listener.js";
import { assertConsistent, collect, fullLog } from "./support/log.js";
import { ContentGenNode, createKey, newDataDir } from "./support/node.js";

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

/** An app server whose route `/api/jobs/{id}/events` is `proxyEvents`, as a Next.js route handler would be. */
async function appWithProxy(node: ContentGenNode, apiKey: string | undefined, failures: Failure[], idleTimeoutMs?: number): Promise<FetchServer> {
  return FetchServer.start(async (request) => {
    const match = /^\/api\/jobs\/([^/]+)\/events$/.exec(new URL(request.url).pathname);
    if (match === null) {
      return new Response("not here", { status: 404 });
    }
    return proxyEvents(request, decodeURIComponent(match[1]!), {
      baseUrl: node.url,
      apiKey,
      idleTimeoutMs,
      onUpstreamFailure: (_jobId, failure) => failures.push(failure),
    });
  });
}

async function openStreams(node: ContentGenNode): Promise<number> {
  return ((await (await fetch(`${node.url}/healthz`)).json()) as { openStreams: number }).openStreams;
}

describe("proxyEvents: a route handler between the browser and contentgen", () => {
  let node: ContentGenNode;
  let app: FetchServer;
  let key: string;
  let admin: ContentGenClient;
  const failures: Failure[] = [];

  before(async () => {
    const dataDir = newDataDir();
    key = createKey(dataDir, "web");
    node = await ContentGenNode.start({ dataDir });
    app = await appWithProxy(node, key, failures);
    admin = new ContentGenClient({ baseUrl: node.url, apiKey: key });
  });
  after(async () => {
    await app.close();
    await node.close();
  });

  it("streams a whole job with the server's key, to a client that holds none, with the headers proxies need", async () => {
    const job = await admin.createJob({ topic: "Proxied once", length: "short" });
    const response = await fetch(`${app.url}/api/jobs/${job.id}/events`, { headers: { "Accept-Encoding": "gzip" } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.equal(response.headers.get("cache-control"), "no-cache, no-transform");
    assert.equal(response.headers.get("x-accel-buffering"), "no");
    assert.equal(response.headers.get("content-encoding"), null);
    const text = await response.text();
    assert.match(text, /^retry: 2000\n\n/);

    const browser = new ContentGenClient({ baseUrl: app.url });
    const events = await collect(browser.events(job.id));
    assert.deepEqual(events, await fullLog(node.url, job.id, key));
    assert.equal(assertConsistent(events).status, "completed");
  });

  it("passes Last-Event-ID and ?after= on, 204 after the end, and the server's 400 and 404 as they are", async () => {
    const job = await admin.createJob({ topic: "Proxied resume", length: "short" });
    const log = await collect(admin.events(job.id));
    const last = log.at(-1)!.seq;

    const byHeader = await collect(new ContentGenClient({ baseUrl: app.url }).events(job.id, { after: 5 }));
    assert.deepEqual(byHeader, log.slice(5));
    const byQuery = await (await fetch(`${app.url}/api/jobs/${job.id}/events?after=${last - 1}`)).text();
    assert.match(byQuery, new RegExp(`^id: ${last}$`, "m"));
    assert.doesNotMatch(byQuery, new RegExp(`^id: ${last - 1}$`, "m"));
    const bothWinsHeader = await (await fetch(`${app.url}/api/jobs/${job.id}/events?after=0`, { headers: { "Last-Event-ID": String(last - 1) } })).text();
    assert.doesNotMatch(bothWinsHeader, /^id: 1$/m);

    assert.equal((await fetch(`${app.url}/api/jobs/${job.id}/events`, { headers: { "Last-Event-ID": String(last) } })).status, 204);
    const bad = await fetch(`${app.url}/api/jobs/${job.id}/events`, { headers: { "Last-Event-ID": "-1" } });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { code: string }).code, "INVALID_LAST_EVENT_ID");
    const missing = await fetch(`${app.url}/api/jobs/no-such-job/events`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("content-type"), "application/problem+json");
    assert.equal(((await missing.json()) as { code: string }).code, "JOB_NOT_FOUND");
  });

  it("a browser that goes away closes the stream to contentgen, and its job runs on to the end", async () => {
    const job = await admin.createJob({ topic: "Left early", length: "long" });
    const leaving = new AbortController();
    const response = await fetch(`${app.url}/api/jobs/${job.id}/events`, { signal: leaving.signal });
    const reader = response.body!.getReader();
    let seen = "";
    while (!/^id: 3$/m.test(seen)) {
      seen += new TextDecoder().decode((await reader.read()).value);
    }
    assert.equal(await openStreams(node), 1);
    leaving.abort();

    // The node sees the proxied stream closed at its next write: a heartbeat (1 s) at most.
    for (let i = 0; (await openStreams(node)) > 0; i++) {
      assert.ok(i < 100, "the proxied stream to contentgen was never closed");
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await admin.getJob(job.id)).status, "running", "closed while the job runs, not at its end");
    const events = await collect(admin.events(job.id));
    assert.equal(assertConsistent(events).status, "completed", "the job was not cancelled");
    assert.ok(!events.some((e) => e.type === "status" && e.status === "cancelled"));
  });
});

describe("proxyEvents when contentgen fails", () => {
  const nodes: ContentGenNode[] = [];
  const apps: FetchServer[] = [];
  after(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await Promise.all(nodes.map((n) => n.close()));
  });

  it("SIGKILLed and restarted mid-job: the browser hears a retryable error event, resumes, and sees every event once", async () => {
    const node = await ContentGenNode.start({ args: ["--lease", "3s"] });
    nodes.push(node);
    const failures: Failure[] = [];
    const app = await appWithProxy(node, undefined, failures);
    apps.push(app);
    const listener = new RecordingListener();
    const browser = new ContentGenClient({ baseUrl: app.url, listener, retry: { maxDelayMs: 2000 } });
    const job = await new ContentGenClient({ baseUrl: node.url }).createJob({ topic: "Proxied crash", length: "medium" });
    const { seen, all } = follow(browser.events(job.id), 12);
    await seen;
    await node.kill();
    await listener.until(() => listener.errorEvents.length > 0);
    await node.restart();
    const events = await all;

    assert.deepEqual(events, await fullLog(node.url, job.id));
    assert.equal(assertConsistent(events).status, "completed");
    assert.ok(listener.errorEvents.every((e) => e.code === UPSTREAM_UNAVAILABLE && e.retryable));
    assert.ok(failures.length > 0 && failures.every((f) => ["ConnectionClosed", "ServerUnreachable"].includes(f.kind)),
      failures.map((f) => f.kind).join());
  });

  it("silent longer than the proxy's idle timeout (the node frozen): an error event, and the stream resumes when it thaws", async () => {
    const node = await ContentGenNode.start({ args: ["--lease", "30s"] });
    nodes.push(node);
    const failures: Failure[] = [];
    const app = await appWithProxy(node, undefined, failures, 1000);
    apps.push(app);
    const listener = new RecordingListener();
    const browser = new ContentGenClient({ baseUrl: app.url, listener, retry: { maxDelayMs: 1000 } });
    const job = await new ContentGenClient({ baseUrl: node.url }).createJob({ topic: "Proxied pause", length: "short" });
    const { seen, all } = follow(browser.events(job.id), 8);
    await seen;
    node.freeze();
    try {
      await listener.until(() => failures.some((f) => f.kind === "TimedOut"));
    } finally {
      node.thaw();
    }
    const events = await all;

    assert.deepEqual(events, await fullLog(node.url, job.id));
    assert.equal(assertConsistent(events).status, "completed");
    assert.ok(listener.errorEvents.some((e) => e.code === UPSTREAM_UNAVAILABLE && e.retryable));
  });

  it("unreachable from the start: 200 with retry and a retryable error event, never a status an EventSource gives up on", async () => {
    const node = await ContentGenNode.start();
    nodes.push(node);
    const app = await appWithProxy(node, undefined, []);
    apps.push(app);
    await node.kill();
    const response = await fetch(`${app.url}/api/jobs/any/events`);
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.match(text, /^retry: 2000\n\nevent: error\ndata: \{"code":"UPSTREAM_UNAVAILABLE","message":"Cannot reach the server at [^"]+","retryable":true\}\n\n$/);
  });
});
