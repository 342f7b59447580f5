import assert from "node:assert/strict";
import type { JobEvent } from "../../src/index.js";

/**
 * A job's whole log as the server has it, read in one plain request (no client, no resume) once the
 * job has finished: the reference a client's events are compared with.
 */
export async function fullLog(baseUrl: string, jobId: string, apiKey?: string): Promise<JobEvent[]> {
  const headers: Record<string, string> = { Accept: "text/event-stream" };
  if (apiKey) {
    headers["Authorization"] = `Bearer ${apiKey}`;
  }
  const response = await fetch(`${baseUrl}/api/jobs/${jobId}/events`, { headers });
  assert.equal(response.status, 200, `the full log of ${jobId}`);
  const text = await response.text();
  const events: JobEvent[] = [];
  for (const block of text.split("\n\n")) {
    const lines = block.split("\n");
    if (!lines.some((l) => l.startsWith("id:"))) {
      continue;
    }
    const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
    events.push(JSON.parse(data) as JobEvent);
  }
  return events;
}

/**
 * The rules of the log (docs/PROTOCOL.md "Rules of the log"): seq 1, 2, 3… without gaps; an artifact
 * is created, grows by deltas and ends completed (its content the concatenation of its deltas) or
 * discarded; the terminal status is the last event. Returns the terminal status.
 */
export function assertConsistent(events: readonly JobEvent[]): JobEvent & { type: "status" } {
  events.forEach((e, i) => assert.equal(e.seq, i + 1, `event ${i} has seq ${e.seq}`));
  const text = new Map<string, string>();
  const ended = new Set<string>();
  for (const e of events) {
    switch (e.type) {
      case "artifact.created":
        assert.ok(!text.has(e.artifactId), `artifact ${e.artifactId} created twice`);
        text.set(e.artifactId, "");
        break;
      case "artifact.delta":
        assert.ok(text.has(e.artifactId) && !ended.has(e.artifactId), `delta of artifact ${e.artifactId} out of place`);
        text.set(e.artifactId, text.get(e.artifactId) + e.text);
        break;
      case "artifact.completed":
        assert.equal(e.content, text.get(e.artifactId), `artifact ${e.artifactId}: content equals its deltas`);
        ended.add(e.artifactId);
        break;
      case "artifact.discarded":
        assert.ok(text.has(e.artifactId));
        ended.add(e.artifactId);
        break;
      default:
        break;
    }
  }
  const last = events.at(-1);
  assert.ok(last !== undefined && last.type === "status" && ["completed", "failed", "cancelled"].includes(last.status),
    "the log ends with a terminal status");
  return last as JobEvent & { type: "status" };
}

/** Every event of `stream`, in the order delivered. */
export async function collect(stream: AsyncIterable<JobEvent>): Promise<JobEvent[]> {
  const events: JobEvent[] = [];
  for await (const e of stream) {
    events.push(e);
  }
  return events;
}
