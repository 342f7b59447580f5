import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffDelay, DEFAULT_RETRY, retryPolicy, sleep } from "../src/backoff.js";
import { ofException, ofStatus, retryAfterMs } from "../src/classify.js";

const noJitter = (): number => 0;
const fullJitter = (): number => 0.999999;

/** The pure pieces: how long to wait, and how an answer or an exception is classified. */
describe("backoff and classification", () => {
  it("doubles from the initial delay up to the cap, never sooner than the server asked", () => {
    const policy = { initialDelayMs: 500, maxDelayMs: 15_000, maxAttempts: 6 };
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(policy, n, null, noJitter)), [500, 1000, 2000, 4000, 8000, 15000, 15000]);
    assert.equal(backoffDelay(policy, 1, 2000, noJitter), 2000, "the server's retry: is the floor");
    assert.equal(backoffDelay(policy, 9, 60_000, noJitter), 60_000, "a Retry-After longer than the cap wins");
    assert.equal(backoffDelay(policy, 1, 2000, fullJitter), 2500, "jitter adds at most a quarter");
    assert.equal(backoffDelay(policy, 100, null, noJitter), 15_000);
  });

  it("checks a policy and fills in its defaults", () => {
    assert.deepEqual(retryPolicy(undefined), DEFAULT_RETRY);
    assert.deepEqual(retryPolicy({ maxAttempts: 2 }), { ...DEFAULT_RETRY, maxAttempts: 2 });
    assert.throws(() => retryPolicy({ initialDelayMs: 10, maxDelayMs: 5 }), RangeError);
    assert.throws(() => retryPolicy({ maxAttempts: 0 }), RangeError);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    assert.equal(retryAfterMs("5", now), 5000);
    assert.equal(retryAfterMs("Tue, 01 Dec 2026 12:00:30 GMT", now), 30_000);
    assert.equal(retryAfterMs("soon", now), null);
    assert.equal(retryAfterMs(null, now), null);
  });

  it("names what Node's fetch throws: refused and unknown hosts are unreachable, a socket closed mid-answer is ConnectionClosed", () => {
    const refused = new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }) });
    assert.equal(ofException(refused, "http://127.0.0.1:9/", false).kind, "ServerUnreachable");
    const unknown = new TypeError("fetch failed", { cause: Object.assign(new Error("getaddrinfo ENOTFOUND x.invalid"), { code: "ENOTFOUND" }) });
    assert.match(ofException(unknown, "http://x.invalid/", false).message, /unknown host 'x\.invalid'/);
    const terminated = new TypeError("terminated", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
    const closed = ofException(terminated, "http://h/", true);
    assert.equal(closed.kind, "ConnectionClosed");
    assert.match(closed.message, /other side closed/);
    const bodyTimeout = new TypeError("terminated", { cause: Object.assign(new Error("Body Timeout Error"), { code: "UND_ERR_BODY_TIMEOUT" }) });
    assert.equal(ofException(bodyTimeout, "http://h/", true).kind, "TimedOut");
    assert.equal(ofException(new TypeError("Failed to fetch"), "http://h/", false).kind, "ServerUnreachable", "a browser's nameless error before any answer");
  });

  it("names answers: 401 STREAM_TOKEN_EXPIRED says how to renew, 404 without JOB_NOT_FOUND is not a job", () => {
    const problem = (code: string): string => JSON.stringify({ code, detail: "d." });
    const expired = ofStatus(401, "application/problem+json", problem("STREAM_TOKEN_EXPIRED"), null, "j", "http://h/");
    assert.ok(expired.kind === "Unauthorized" && expired.code === "STREAM_TOKEN_EXPIRED");
    assert.match(expired.message, /streamToken\(jobId\)/);
    assert.equal(ofStatus(404, "application/problem+json", problem("JOB_NOT_FOUND"), null, "j", "http://h/").kind, "JobNotFound");
    assert.equal(ofStatus(404, "text/html", "<h1>nginx</h1>", null, null, "http://h/").kind, "UnexpectedResponse");
    assert.equal(ofStatus(429, "application/problem+json", problem("RATE_LIMITED"), "7", null, "http://h/").kind, "ServerUnavailable");
    assert.equal(ofStatus(422, "application/problem+json", problem("IDEMPOTENCY_KEY_REUSED"), null, null, "http://h/").kind, "Rejected");
  });

  it("a sleep ends at once when its signal aborts", async () => {
    const controller = new AbortController();
    const waiting = sleep(3_600_000, controller.signal);
    controller.abort();
    await assert.rejects(waiting, (e: unknown) => (e as Error).name === "AbortError");
  });
});
