import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { it } from "node:test";
import { JOB_EVENT_TYPES } from "../src/index.js";

/** The server's API document (served at /api/openapi.json), which the server's tests hold to the server. */
const DOCUMENT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../../../server/src/main/resources/openapi.json");

it("knows exactly the event types the API document lists", () => {
  const document = JSON.parse(readFileSync(DOCUMENT, "utf8")) as {
    components: { schemas: { JobEvent: { discriminator: { mapping: Record<string, string> } } } };
  };
  const documented = Object.keys(document.components.schemas.JobEvent.discriminator.mapping).sort();
  assert.deepEqual([...JOB_EVENT_TYPES].sort(), documented);
});
