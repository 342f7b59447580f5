import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ContentGenClient, type JobEvent, Rejected } from "../src/index.js";
import { assertConsistent, collect } from "./support/log.js";
import { ContentGenNode } from "./support/node.js";

/** Regenerating one step on a real node: the revision streams like any job, copies the rest, and the history lists both. */
describe("regenerating a step", () => {
  let node: ContentGenNode;
  let client: ContentGenClient;

  before(async () => {
    node = await ContentGenNode.start();
    client = new ContentGenClient({ baseUrl: node.url });
  });
  after(async () => {
    await node?.close();
  });

  it("makes a revision that keeps the other steps byte for byte, and lists the piece's history", async () => {
    const parent = await client.createJob({ topic: "Shared bike lanes", length: "short" });
    assert.equal(assertConsistent(await collect(client.events(parent.id))).status, "completed");

    const revision = await client.regenerate(parent.id, { step: "section-2", instruction: "shorter" }, { idempotencyKey: "ts-rev-1" });
    const again = await client.regenerate(parent.id, { step: "section-2", instruction: "shorter" }, { idempotencyKey: "ts-rev-1" });
    assert.equal(again.id, revision.id, "the same key, the same revision");
    assert.equal(revision.revision?.parentId, parent.id);
    assert.equal(revision.revision?.step, "section-2");

    const events = await collect(client.events(revision.id));
    assert.equal(assertConsistent(events).status, "completed");
    const reused = events.filter((e): e is JobEvent & { type: "artifact.completed" } => e.type === "artifact.completed" && e.reused === true);
    assert.deepEqual(reused.map((e) => e.kind), ["outline", "section", "section"]);
    const before = (await client.getJob(parent.id)).artifacts;
    for (const copy of reused) {
      assert.ok(before.some((a) => a.content === copy.content && a.title === copy.title), `${copy.title} is the parent's`);
    }

    const history = await client.revisions(revision.id);
    assert.equal(history.revisionOf, parent.id);
    assert.deepEqual(history.revisions.map((j) => j.id), [parent.id, revision.id]);
  });

  it("rejects an unknown step with the job's steps", async () => {
    const parent = await client.createJob({ topic: "Steps", length: "short" });
    await collect(client.events(parent.id));
    await assert.rejects(client.regenerate(parent.id, { step: "chapter-9" }), (e: unknown) => {
      assert.ok(e instanceof Rejected);
      assert.equal(e.code, "UNKNOWN_STEP");
      assert.match(e.message, /outline, section-1, section-2, section-3, summary/);
      return true;
    });
  });
});
