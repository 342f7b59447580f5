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
import { type Http, linkedController, readSome, segment } from "./http.js";
import type { ClientListener } from "./listener.js";
import { SseConnection, type SseMessage } from "./sse.js";
import { isTerminal, JOB_EVENT_TYPES, type JobEvent } from "./types.js";

/** A stream token, or a function that gets a fresh one (called again when the server says it expired). */
export type TokenSource = string | ((jobId: string) => Promise<string> | string);

export interface ResumerSettings {
  http: Http;
  jobId: string;
  afterSeq: number;
  policy: RetryPolicy;
  idleTimeoutMs: number;
  listener: Required<ClientListener>;
  signal: AbortSignal | undefined;
  token: TokenSource | undefined;
}

/**
 * Reads one job's event log across as many connections as it takes. Every break reconnects with
 * `Last-Event-ID` = the last seq delivered, so each event is delivered once, in order; it ends after
 * the terminal status (or on 204) and throws only classified failures (or the abort reason).
 */
export class Resumer {
  private readonly s: ResumerSettings;
  private lastSeq: number;
  private serverRetryMs: number | null = null;
  private retryAfterMs: number | null = null;
  private failuresInARow = 0;
  private unreachableInARow = 0;
  private lastErrorEvent: ErrorEvent | null = null;
  private token: string | null = null;
  private tokenJustRenewed = false;
  private finished = false;
  private connection: SseConnection | null = null;

  constructor(settings: ResumerSettings) {
    this.s = settings;
    this.lastSeq = settings.afterSeq;
  }

  /** The seq of the last event delivered (or passed over): where a new stream would resume. */
  get resumePoint(): number {
    return this.lastSeq;
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
          cause = new ConnectionClosed("The server closed the stream before the job finished.");
        } catch (e) {
          this.throwIfAborted();
          if (e instanceof ContentGenError) {
            throw e;
          }
          cause = connection.idle ? this.idleTimeout() : ofException(e, this.s.http.base, true);
        } finally {
          this.drop();
        }
        // The server ends a stream right after an error event it sent (e.g. SERVER_SHUTTING_DOWN): that is the cause.
        const why: Failure = cause.kind === "TimedOut" || this.lastErrorEvent === null ? cause : this.lastErrorEvent;
        this.lastErrorEvent = null;
        await this.backOffOrThrow(why);
      }
    } finally {
      this.finished = true;
      this.drop();
    }
  }

  /** Ends the open connection, if any (the generator's own `return()` ends the iteration). */
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
        return this.deliverable(message.event, message.id, message.data);
    }
  }

  private deliverable(name: string, id: string | undefined, text: string): JobEvent | null {
    if (!(JOB_EVENT_TYPES as readonly string[]).includes(name)) {
      this.passOver(name, id);
      return null;
    }
    let data: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new TypeError("not an object");
      }
      data = parsed as Record<string, unknown>;
    } catch {
      throw this.fail(
        new UnexpectedResponse(`Cannot read event ${id ?? "?"} (${name}) of job ${this.s.jobId}: its data is not a JSON object.`),
      );
    }
    const seq = data["seq"];
    if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) {
      throw this.fail(new UnexpectedResponse(`A ${name} event of job ${this.s.jobId} has no valid seq: is this the contentgen server?`));
    }
    // A snapshot stands for every event up to its seq: the one event that may jump ahead.
    if (!this.advanceTo(seq, name === "snapshot")) {
      return null;
    }
    const event = { ...data, type: name } as unknown as JobEvent;
    if (isTerminal(event)) {
      this.finished = true;
      this.drop();
    }
    return event;
  }

  /**
   * An event of a type this client does not know (a newer server's): not delivered, but it is part of
   * the job's log, so its id moves the resume point like any other. Without an id it is a stream-level
   * message: ignored.
   */
  private passOver(name: string, id: string | undefined): void {
    if (id === undefined || !/^\d{1,15}$/.test(id)) {
      return;
    }
    const seq = Number(id);
    if (this.advanceTo(seq)) {
      this.s.listener.onUnknownEvent(this.s.jobId, seq, name);
    }
  }

  /** Moves the resume point to `seq`; false for an event already delivered (a replay after a reconnect). */
  private advanceTo(seq: number, snapshot = false): boolean {
    if (seq <= this.lastSeq) {
      return false;
    }
    if (seq !== this.lastSeq + 1 && !snapshot) {
      throw this.fail(
        new UnexpectedResponse(`Event ${seq} of job ${this.s.jobId} arrived right after ${this.lastSeq}: the server skipped events.`),
      );
    }
    this.lastSeq = seq;
    this.failuresInARow = 0;
    this.lastErrorEvent = null;
    return true;
  }

  private onErrorEvent(text: string): void {
    let error: ErrorEvent;
    try {
      const body = JSON.parse(text) as { code?: unknown; message?: unknown; retryable?: unknown };
      const message = typeof body.message === "string" ? body.message : "The server reported an error on the stream.";
      error = new ErrorEvent(message, typeof body.code === "string" ? body.code : null, body.retryable !== false);
    } catch {
      error = new ErrorEvent(`The server reported an error: ${text}`, null, true);
    }
    this.s.listener.onErrorEvent(this.s.jobId, error);
    if (!error.retryable) {
      throw this.fail(error);
    }
    this.lastErrorEvent = error;
  }

  /** Opens a connection after the last delivered seq; null when it failed (after backing off) or the log has ended. */
  private async connect(): Promise<[SseConnection, ReadableStream<Uint8Array>] | null> {
    const { http, jobId } = this.s;
    const token = await this.currentToken();
    const url = http.url(`api/jobs/${segment(jobId)}/events?snapshots=1`) + (token === null ? "" : `&token=${encodeURIComponent(token)}`);
    const { controller, dispose } = linkedController(this.s.signal);
    const connection = new SseConnection(controller, this.s.idleTimeoutMs);
    let response: Response;
    try {
      response = await http.fetch(url, {
        method: "GET",
        headers: http.headers({ Accept: "text/event-stream", "Last-Event-ID": String(this.lastSeq) }),
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
      const body = response.body;
      // The link to the caller's signal lives as long as the connection.
      controller.signal.addEventListener("abort", dispose, { once: true });
      this.unreachableInARow = 0;
      this.retryAfterMs = null;
      this.tokenJustRenewed = false;
      this.s.listener.onConnected(jobId, this.lastSeq);
      return [connection, body];
    }
    const text = await readSome(response);
    connection.close();
    dispose();
    this.throwIfAborted();
    if (response.status === 204) {
      this.finished = true; // The log already ended at our resume point: nothing more will come.
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
        : ofStatus(response.status, contentType, text, response.headers.get("Retry-After"), jobId, http.base);
    if (failure.kind === "Unauthorized" && failure.code === "STREAM_TOKEN_EXPIRED" && this.mayRenewToken()) {
      this.token = null; // Reconnect at once with a new token: the next connect() asks the provider.
      this.tokenJustRenewed = true;
      return null;
    }
    if (failure.kind === "ServerUnavailable") {
      this.retryAfterMs = failure.retryAfterMs;
    }
    await this.backOffOrThrow(failure);
    return null;
  }

  private mayRenewToken(): boolean {
    // A fresh token that is refused as expired at once would loop: then the expiry is the answer.
    return typeof this.s.token === "function" && !this.tokenJustRenewed;
  }

  private async currentToken(): Promise<string | null> {
    const source = this.s.token;
    if (source === undefined) {
      return null;
    }
    if (typeof source === "string") {
      return source;
    }
    if (this.token === null) {
      try {
        this.token = await source(this.s.jobId);
      } catch (e) {
        this.throwIfAborted();
        if (e instanceof ContentGenError) {
          throw this.fail(e as Failure);
        }
        throw this.fail(
          new Unauthorized(
            `Could not get a stream token for job ${this.s.jobId}: ${e instanceof Error ? e.message : String(e)}`,
            401,
            null,
            { cause: e },
          ),
        );
      }
    }
    return this.token;
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
      action: `reconnecting to the events of job ${this.s.jobId}`,
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

function longer(a: number | null, b: number | null): number | null {
  if (a === null) {
    return b;
  }
  return b === null || a >= b ? a : b;
}
