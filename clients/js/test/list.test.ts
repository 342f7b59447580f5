import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ContentGenClient, type Job, Rejected } from "../src/index.js";
import { ContentGenNode } from "./support/node.js";

/** listJobs with the server's status and topic filters, on a real node whose workers are off (jobs stay pending). */
describe("listing jobs by status and topic on a real node", () => {
  let node: ContentGenNode;
  let client: ContentGenClient;
  let why: Job;
  let sourdough: Job;
  let twice: Job;
  let cancelled: Job;
  let salt: Job;

  before(async () => {
    node = await ContentGenNode.start({ args: ["--workers", "0"] });
    client = new ContentGenClient({ baseUrl: node.url });
    why = await client.createJob({ topic: "Why SSE streams die" });
    sourdough = await client.createJob({ topic: "Sourdough" });
    twice = await client.createJob({ topic: "why sse streams die twice" });
    cancelled = await client.createJob({ topic: "Cancelled SSE talk" });
    salt = await client.createJob({ topic: "Salt & pepper + 100%" });
    await client.cancelJob(cancelled.id);
  });
  after(async () => {
    await node?.close();
  });

  const ids = (jobs: Job[]) => jobs.map((j) => j.id);

  it("filters by one status or several", async () => {
    assert.deepEqual(ids((await client.listJobs({ status: "cancelled" })).jobs), [cancelled.id]);
    assert.deepEqual(ids((await client.listJobs({ status: ["pending"] })).jobs), [salt.id, twice.id, sourdough.id, why.id]);
    assert.equal((await client.listJobs({ status: ["pending", "cancelled"] })).jobs.length, 5);
    const none = await client.listJobs({ status: ["running", "retrying"] });
    assert.deepEqual(none.jobs, []);
    assert.equal(none.nextCursor ?? null, null);
    assert.equal((await client.listJobs({ status: [] })).jobs.length, 5, "no status given: every status");
  });

  it("finds a text in the topic in any case, sent encoded", async () => {
    assert.deepEqual(ids((await client.listJobs({ q: "SSE" })).jobs), [cancelled.id, twice.id, why.id]);
    assert.deepEqual(ids((await client.listJobs({ q: "& pepper + 100%" })).jobs), [salt.id]);
    assert.deepEqual(ids((await client.listJobs({ q: "SSE streams", status: "pending" })).jobs), [twice.id, why.id]);
  });

  it("pages through a filtered list with its cursor", async () => {
    const first = await client.listJobs({ status: "pending", q: "sse", limit: 1 });
    assert.deepEqual(ids(first.jobs), [twice.id]);
    assert.ok(first.nextCursor);
    const second = await client.listJobs({ status: "pending", q: "sse", limit: 1, cursor: first.nextCursor });
    assert.deepEqual(ids(second.jobs), [why.id]);
    assert.equal(second.nextCursor ?? null, null, "no third pending job about SSE");
  });

  it("an unknown status is Rejected with the server's code and the valid names", async () => {
    // A caller without the types (plain JavaScript) can send any string.
    const status = "runing" as unknown as "running";
    await assert.rejects(client.listJobs({ status }), (e: unknown) =>
      e instanceof Rejected && e.code === "INVALID_FIELD" && /pending, running, retrying/.test(e.message));
  });
});
