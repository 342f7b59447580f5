import { abortReason, backoffDelay, type RetryPolicy, sleep } from "./backoff.js";
import { redirected } from "./calls.js";
import { ofException, ofStatus } from "./classify.js";
import {
  ConnectionClosed,
  ContentGenError,
  ErrorEvent,
  type Failure,
  gaveUp,
  TimedOut,
  Unauthorized,
  UnexpectedResponse,
} from "./failures.js";
import { type Http, linkedController, readSome } from "./http.js";
import type { ClientListener } from "./listener.js";
import type { TokenSource } from "./resumer.js";
import { SseConnection, type SseMessage } from "./sse.js";
import { isTerminal, JOB_EVENT_TYPES, type JobEvent, type SnapshotEvent, type StatusEvent } from "./types.js";

/** What a multiplexed stream tells about each job besides its events; all optional. */
export interface JobsHandlers {
  /** The job's terminal event was delivered: it leaves the stream, the others go on. */
  onJobEnd?(jobId: string, terminal: StatusEvent | SnapshotEvent): void;
  /**
   * The job left the stream with an error of its own — `JOB_NOT_FOUND` (unknown, or not yours),
   * `JOB_DELETED`, `INVALID_LAST_EVENT_ID` (finished below its resume point) — and the others go on.
   */
  onJobError?(jobId: string, error: ErrorEvent): void;
}

export interface ManyJobsSettings {
  http: Http;
  /** Each job and the seq after which to start, in the order of the stream's `job` parameters. */
  afterSeqs: Map<string, number>;
  policy: RetryPolicy;
  idleTimeoutMs: number;
  listener: Required<ClientListener>;
  handlers: JobsHandlers;
  signal: AbortSignal | undefined;
  token: TokenSource | undefined;
}

/**
 * Reads many jobs' logs from one multiplexed stream (`GET /api/events`, docs/PROTOCOL.md) across as
 * many connections as it takes. Each event's id is the vector of every job's resume point; every
 * reconnect asks for the jobs still followed, each after its own last delivered seq, so each job's
 * events arrive once and in order. A job leaves after its terminal event or its own error event; the
 * stream ends when none is left, and throws only classified failures (or the abort reason).
 */
export class ManyJobsResumer {
  private readonly s: ManyJobsSettings;
  private readonly lastSeqs: Map<string, number>;
  private readonly following: string[];
  private readonly failures = new Map<string, ErrorEvent>();
  /** The jobs of the open connection, in its URL's order: the order of the id vector's elements. */
  private order: string[] = [];
  private serverRetryMs: number | null = null;
  private retryAfterMs: number | null = null;
  private failuresInARow = 0;
  private unreachableInARow = 0;
  private lastErrorEvent: ErrorEvent | null = null;
  private tokens = new Map<string, string>();
  private tokensJustRenewed = false;
  private finished = false;
  private connection: SseConnection | null = null;

  constructor(settings: ManyJobsSettings) {
    this.s = settings;
    this.lastSeqs = new Map(settings.afterSeqs);
    this.following = [...settings.afterSeqs.keys()];
  }

  /** Every job's resume point: the seq of its last event delivered (or passed over). */
  get resumePoints(): Record<string, number> {
    return Object.fromEntries(this.lastSeqs);
  }

  /** The jobs still followed: neither ended nor gone with an error of their own. */
  get stillFollowing(): readonly string[] {
    return [...this.following];
  }

  /** The jobs that left with an error of their own, and that error. */
  get jobFailures(): ReadonlyMap<string, ErrorEvent> {
    return new Map(this.failures);
  }

  async *run(): AsyncGenerator<JobEvent, void, undefined> {
    try {
      while (!this.finished) {
        this.throwIfAborted();
        const opened = await this.connect();
        if (opened === null) {
          continue;
        }
        const [connection, body] = opened;
        let cause: Failure;
        try {
          for await (const message of connection.messages(body)) {
            this.throwIfAborted();
            const event = this.handle(message);
            if (event !== null) {
              yield event;
            }
            if (this.finished) {
              return;
            }
          }
          cause = new ConnectionClosed("The server closed the stream before every job finished.");
        } catch (e) {
          this.throwIfAborted();
          if (e instanceof ContentGenError) {
            throw e;
          }
          cause = connection.idle ? this.idleTimeout() : ofException(e, this.s.http.base, true);
        } finally {
          this.drop();
        }
        if (this.finished) {
          return;
        }
        // The server ends a stream right after a stream-level error event (e.g. SERVER_SHUTTING_DOWN): that is the cause.
        const why: Failure = cause.kind === "TimedOut" || this.lastErrorEvent === null ? cause : this.lastErrorEvent;
        this.lastErrorEvent = null;
        await this.backOffOrThrow(why);
      }
    } finally {
      this.finished = true;
      this.drop();
    }
  }

  drop(): void {
    this.connection?.close();
    this.connection = null;
  }

  private handle(message: SseMessage): JobEvent | null {
    switch (message.kind) {
      case "retry":
        this.serverRetryMs = message.ms;
        return null;
      case "comment":
        return null;
      case "event":
        if (message.event === "error") {
          this.onErrorEvent(message.data);
          return null;
        }
        if (message.id === undefined) {
          // No place in any job's log (e.g. a job-list message, or a newer server's notice): nothing to resume by.
          return null;
        }
        return this.deliverable(message.event, message.id, message.data);
    }
  }

  private deliverable(name: string, id: string, text: string): JobEvent | null {
    if (!(JOB_EVENT_TYPES as readonly string[]).includes(name)) {
      this.passOver(name, id, text);
      return null;
    }
    const data = jsonObject(text);
    const jobId = data?.["jobId"];
    const seq = data?.["seq"];
    if (data === null || typeof jobId !== "string" || !this.lastSeqs.has(jobId)) {
      throw this.fail(new UnexpectedResponse(`A ${name} event of the multiplexed stream names no job of it: is this the contentgen server?`));
    }
    if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) {
      throw this.fail(new UnexpectedResponse(`A ${name} event of job ${jobId} has no valid seq: is this the contentgen server?`));
    }
    // A snapshot stands for every event up to its seq: the one event that may jump ahead.
    if (!this.advanceTo(jobId, seq, name === "snapshot")) {
      return null;
    }
    const event = { ...data, type: name } as unknown as JobEvent;
    if (isTerminal(event)) {
      this.leave(jobId);
      this.s.handlers.onJobEnd?.(jobId, event);
    }
    return event;
  }

  /**
   * An event of a type this client does not know (a newer server's): not delivered, but part of its
   * job's log. The id vector says which job's resume point it moved; failing that, its data does.
   */
  private passOver(name: string, id: string, text: string): void {
    const vector = id.split(",");
    if (vector.length === this.order.length && vector.every((p) => /^\d{1,15}$/.test(p))) {
      vector.forEach((point, i) => {
        const jobId = this.order[i]!;
        const seq = Number(point);
        if (this.following.includes(jobId) && seq > this.lastSeqs.get(jobId)! && this.advanceTo(jobId, seq)) {
          this.s.listener.onUnknownEvent(jobId, seq, name);
        }
      });
      return;
    }
    const data = jsonObject(text);
    const jobId = data?.["jobId"];
    const seq = data?.["seq"];
    if (typeof jobId === "string" && this.lastSeqs.has(jobId) && typeof seq === "number" && Number.isSafeInteger(seq)
      && this.advanceTo(jobId, seq)) {
      this.s.listener.onUnknownEvent(jobId, seq, name);
    }
  }

  /** Moves a job's resume point to `seq`; false for an event already delivered (a replay after a reconnect). */
  private advanceTo(jobId: string, seq: number, snapshot = false): boolean {
    const last = this.lastSeqs.get(jobId)!;
    if (seq <= last) {
      return false;
    }
    if (seq !== last + 1 && !snapshot) {
      throw this.fail(new UnexpectedResponse(`Event ${seq} of job ${jobId} arrived right after ${last}: the server skipped events.`));
    }
    this.lastSeqs.set(jobId, seq);
    this.failuresInARow = 0;
    this.lastErrorEvent = null;
    return true;
  }

  /** The job is done with: it is not asked for again; when none is left, the stream ends. */
  private leave(jobId: string): void {
    const at = this.following.indexOf(jobId);
    if (at >= 0) {
      this.following.splice(at, 1);
    }
    if (this.following.length === 0) {
      this.finished = true;
      this.drop();
    }
  }

  private onErrorEvent(text: string): void {
    let error: ErrorEvent;
    let jobId: string | null = null;
    const body = jsonObject(text);
    if (body === null) {
      error = new ErrorEvent(`The server reported an error: ${text}`, null, true);
    } else {
      const message = typeof body["message"] === "string" ? body["message"] : "The server reported an error on the stream.";
      error = new ErrorEvent(message, typeof body["code"] === "string" ? body["code"] : null, body["retryable"] !== false);
      jobId = typeof body["jobId"] === "string" ? body["jobId"] : null;
    }
    if (jobId !== null && this.following.includes(jobId)) {
      // About one job (not found or not yours, deleted, finished below its resume point): the others go on.
      this.s.listener.onErrorEvent(jobId, error);
      if (error.retryable) {
        this.lastErrorEvent = error;
        return;
      }
      this.failures.set(jobId, error);
      this.leave(jobId);
      this.s.handlers.onJobError?.(jobId, error);
      return;
    }
    this.s.listener.onErrorEvent(null, error);
    if (!error.retryable) {
      throw this.fail(error);
    }
    this.lastErrorEvent = error;
  }

  /** Opens a connection for the jobs still followed, each after its last delivered seq; null when it failed (after backing off) or nothing is left. */
  private async connect(): Promise<[SseConnection, ReadableStream<Uint8Array>] | null> {
    const { http } = this.s;
    const order = [...this.following];
    const query = new URLSearchParams({ snapshots: "1" });
    for (const jobId of order) {
      query.append("job", `${jobId}:${this.lastSeqs.get(jobId)}`);
    }
    for (const token of await this.currentTokens(order)) {
      query.append("token", token);
    }
    // The vector the server resumes by (it wins over the URL's points; here both say the same).
    const vector = order.map((jobId) => String(this.lastSeqs.get(jobId))).join(",");
    const { controller, dispose } = linkedController(this.s.signal);
    const connection = new SseConnection(controller, this.s.idleTimeoutMs);
    let response: Response;
    try {
      response = await http.fetch(http.url(`api/events?${query}`), {
        method: "GET",
        headers: http.headers({ Accept: "text/event-stream", "Last-Event-ID": vector }),
        signal: controller.signal,
        redirect: "manual",
        cache: "no-store",
      });
    } catch (e) {
      connection.close();
      dispose();
      this.throwIfAborted();
      await this.backOffOrThrow(connection.idle ? this.idleTimeout() : ofException(e, http.base, false));
      return null;
    }
    const contentType = response.headers.get("Content-Type") ?? "";
    if (response.status === 200 && contentType.toLowerCase().startsWith("text/event-stream") && response.body !== null) {
      this.connection = connection;
      this.order = order;
      controller.signal.addEventListener("abort", dispose, { once: true });
      this.unreachableInARow = 0;
      this.retryAfterMs = null;
      this.tokensJustRenewed = false;
      for (const jobId of order) {
        this.s.listener.onConnected(jobId, this.lastSeqs.get(jobId)!);
      }
      return [connection, response.body];
    }
    const text = await readSome(response);
    connection.close();
    dispose();
    this.throwIfAborted();
    if (response.status === 204) {
      // Every job still followed already ended at its resume point: nothing more will come.
      this.finished = true;
      return null;
    }
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status <= 399)) {
      throw this.fail(redirected(response, http.base));
    }
    const failure: Failure =
      response.status === 200
        ? new UnexpectedResponse(
            `The server answered ${contentType || "no Content-Type"} instead of an event stream; is ${http.base} the ` +
              `contentgen server, and does a proxy rewrite the answer?`,
          )
        : ofStatus(response.status, contentType, text, response.headers.get("Retry-After"), null, http.base);
    if (failure.kind === "Unauthorized" && failure.code === "STREAM_TOKEN_EXPIRED" && this.mayRenewTokens()) {
      this.tokens.clear(); // Reconnect at once with new tokens: the next connect() asks the provider.
      this.tokensJustRenewed = true;
      return null;
    }
    if (failure.kind === "ServerUnavailable") {
      this.retryAfterMs = failure.retryAfterMs;
    }
    await this.backOffOrThrow(failure);
    return null;
  }

  private mayRenewTokens(): boolean {
    // Fresh tokens refused as expired at once would loop: then the expiry is the answer.
    return typeof this.s.token === "function" && !this.tokensJustRenewed;
  }

  /** One token per job (each authorises its own job only), asked of the provider once and again after an expiry. */
  private async currentTokens(jobs: readonly string[]): Promise<string[]> {
    const source = this.s.token;
    if (source === undefined) {
      return [];
    }
    if (typeof source === "string") {
      return [source];
    }
    const out: string[] = [];
    for (const jobId of jobs) {
      let token = this.tokens.get(jobId);
      if (token === undefined) {
        try {
          token = await source(jobId);
        } catch (e) {
          this.throwIfAborted();
          if (e instanceof ContentGenError) {
            throw this.fail(e as Failure);
          }
          throw this.fail(
            new Unauthorized(`Could not get a stream token for job ${jobId}: ${e instanceof Error ? e.message : String(e)}`, 401, null, {
              cause: e,
            }),
          );
        }
        this.tokens.set(jobId, token);
      }
      out.push(token);
    }
    return out;
  }

  private async backOffOrThrow(failure: Failure): Promise<void> {
    if (!failure.retryable) {
      throw this.fail(failure);
    }
    if (failure.kind === "ServerUnreachable") {
      if (++this.unreachableInARow >= this.s.policy.maxAttempts) {
        throw this.fail(gaveUp(failure, this.unreachableInARow));
      }
    } else {
      this.unreachableInARow = 0;
    }
    this.failuresInARow++;
    const hint = longer(this.serverRetryMs, this.retryAfterMs);
    const delayMs = backoffDelay(this.s.policy, this.failuresInARow, hint);
    this.s.listener.onRetrying({
      action: `reconnecting to the events of ${this.following.length} job(s) (${this.following.join(", ")})`,
      attempt: this.failuresInARow + 1,
      delayMs,
      cause: failure,
    });
    await sleep(delayMs, this.s.signal);
  }

  private idleTimeout(): TimedOut {
    return new TimedOut(
      `No data (not even a heartbeat) for ${this.s.idleTimeoutMs} ms: the connection is dead or a proxy holds the ` +
        `stream back. Reconnecting; if this repeats, make the proxy stream text/event-stream unbuffered.`,
      this.s.idleTimeoutMs,
    );
  }

  private fail(failure: Failure): Failure {
    this.finished = true;
    this.drop();
    return failure;
  }

  private throwIfAborted(): void {
    if (this.s.signal?.aborted) {
      throw abortReason(this.s.signal);
    }
  }
}

function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function longer(a: number | null, b: number | null): number | null {
  if (a === null) {
    return b;
  }
  return b === null || a >= b ? a : b;
}
