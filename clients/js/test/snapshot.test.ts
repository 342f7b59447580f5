import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { ContentGenClient, type JobEvent, UnexpectedResponse } from "../src/index.js";
import { FakeServer } from "./support/fake-server.js";
import { collect } from "./support/log.js";

const quick = { initialDelayMs: 1, maxDelayMs: 20, maxAttempts: 3 };

function event(seq: number, type: string, fields: Record<string, unknown> = {}): string {
  const data = { seq, type, jobId: "j1", at: "2026-12-01T12:00:00Z", ...fields };
  return `id: ${seq}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** docs/PROTOCOL.md, "Snapshots": the client asks for them, and a snapshot is the one event whose seq may jump ahead. */
describe("snapshots", () => {
  let fake: FakeServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it("asks for snapshots, delivers one in place of the compacted events, then the rest", async () => {
    const urls: string[] = [];
    fake = await FakeServer.start((req, res) => {
      urls.push(req.url ?? "");
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.end("retry: 5\n\n" + event(1, "status", { status: "pending", attempt: 1 }) +
        event(40, "snapshot", {
          status: { type: "status", status: "running", attempt: 1 },
          progress: { type: "progress", step: "outline", index: 1, total: 2, label: "Outline" },
          artifacts: [{ id: "a1", kind: "outline", title: "Outline", step: 0, status: "completed", content: "1. One" }],
        }) +
        event(41, "status", { status: "completed", attempt: 1, summary: {} }));
    });
    const stream = new ContentGenClient({ baseUrl: fake.url, retry: quick }).events("j1");
    const events: JobEvent[] = await collect(stream);
    assert.deepEqual(events.map((e) => [e.seq, e.type]), [[1, "status"], [40, "snapshot"], [41, "status"]]);
    const snapshot = events[1];
    assert.equal(snapshot?.type === "snapshot" && snapshot.artifacts[0]?.content, "1. One");
    assert.equal(stream.lastSeq, 41);
    assert.match(urls[0] ?? "", /[?&]snapshots=1/);
  });

  it("a gap that is not a snapshot is still the server skipping events", async () => {
    fake = await FakeServer.start((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.end(event(1, "status", { status: "running", attempt: 1 }) + event(5, "status", { status: "completed", attempt: 1 }));
    });
    const stream = new ContentGenClient({ baseUrl: fake.url, retry: quick }).events("j1");
    await assert.rejects(collect(stream), (e: unknown) => e instanceof UnexpectedResponse);
  });
});
