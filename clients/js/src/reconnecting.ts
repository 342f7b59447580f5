import { abortReason, backoffDelay, type RetryPolicy, sleep } from "./backoff.js";
import { redirected } from "./calls.js";
import { ofException, ofStatus } from "./classify.js";
import { ConnectionClosed, ContentGenError, ErrorEvent, type Failure, gaveUp, TimedOut, Unauthorized, UnexpectedResponse } from "./failures.js";
import { type Http, linkedController, readSome } from "./http.js";
import type { ClientListener } from "./listener.js";
import { SseConnection, type SseMessage } from "./sse.js";
import type { JobEvent } from "./types.js";

/** A stream token, or a function that gets a fresh one (called again when the server says it expired). */
export type TokenSource = string | ((jobId: string) => Promise<string> | string);

/** What every reconnecting stream needs, whatever it reads. */
export interface ReconnectingSettings {
  http: Http;
  policy: RetryPolicy;
  idleTimeoutMs: number;
  listener: Required<ClientListener>;
  signal: AbortSignal | undefined;
  token: TokenSource | undefined;
}

/** Where to connect from where the stream is now. */
export interface Opening {
  /** The path and query, relative to the server (e.g. `api/jobs/ID/events?snapshots=1`). */
  path: string;
  /** The resume point, or the vector of them, sent as `Last-Event-ID`. */
  lastEventId: string;
}

/**
 * An event stream read across as many connections as it takes: connecting, telling a dead connection from a
 * closed one, backing off (the server's `retry:` and `Retry-After` as the floor), renewing expired stream tokens
 * once, and giving up on what retrying cannot fix. What to ask for and what to do with each event is the
 * subclass's: one job's log (`Resumer`) or several jobs' over one multiplexed stream (`ManyJobsResumer`).
 */
export abstract class ReconnectingStream {
  /** Nothing more will come: the log (or every log) has ended, or the stream gave up. */
  protected finished = false;
  private serverRetryMs: number | null = null;
  private retryAfterMs: number | null = null;
  private failuresInARow = 0;
  private unreachableInARow = 0;
  private lastErrorEvent: ErrorEvent | null = null;
  private tokensJustRenewed = false;
  private connection: SseConnection | null = null;

  protected constructor(protected readonly settings: ReconnectingSettings) {}

  /** Where the next connection opens (with its stream tokens, if any); called before each connection. */
  protected abstract opening(): Promise<Opening>;

  /** What is read, for messages: "the events of job …". */
  protected abstract what(): string;

  /** The job a failed answer is about, for its message; null when it is about several. */
  protected abstract jobOfAnswers(): string | null;

  /** A connection opened: tell the listener. */
  protected abstract connected(): void;

  /** A 204: the server has nothing more to send from where the stream is. */
  protected abstract noContent(): void;

  /** An expired stream token was refused: the next opening asks the provider again. */
  protected abstract forgetTokens(): void;

  /** An event not named `error`: the one to deliver, or null (a replay, a type this client does not know). */
  protected abstract event(name: string, id: string | undefined, data: string): JobEvent | null;

  /** An `error` event; `streamError` handles one about the whole stream. */
  protected abstract errorEvent(data: string): void;

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
          cause = new ConnectionClosed(`The server closed the stream before ${this.what()} ended.`);
        } catch (e) {
          this.throwIfAborted();
          if (e instanceof ContentGenError) {
            throw e;
          }
          cause = connection.idle ? this.idleTimeout() : ofException(e, this.settings.http.base, true);
        } finally {
          this.drop();
        }
        if (this.finished) {
          return;
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

  /** The stream moved forward: failures before this no longer count, nor does an error event before it. */
  protected progressed(): void {
    this.failuresInARow = 0;
    this.lastErrorEvent = null;
  }

  /** Nothing more will come; the connection is let go. */
  protected finish(): void {
    this.finished = true;
    this.drop();
  }

  /** Gives up: nothing more is read, and the caller learns why (throw what this returns). */
  protected fail(failure: Failure): Failure {
    this.finish();
    return failure;
  }

  /** An error about the whole stream: the end if it is final, else the cause the next break is reported with. */
  protected streamError(error: ErrorEvent): void {
    if (!error.retryable) {
      throw this.fail(error);
    }
    this.lastErrorEvent = error;
  }

  /** The token for `jobId` from the settings' source (a string, or the provider asked now); null without one. */
  protected async tokenFor(jobId: string): Promise<string | null> {
    const source = this.settings.token;
    if (source === undefined) {
      return null;
    }
    if (typeof source === "string") {
      return source;
    }
    try {
      return await source(jobId);
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
  }

  protected throwIfAborted(): void {
    if (this.settings.signal?.aborted) {
      throw abortReason(this.settings.signal);
    }
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
          this.errorEvent(message.data);
          return null;
        }
        return this.event(message.event, message.id, message.data);
    }
  }

  /** Opens a connection from where the stream is; null when it failed (after backing off) or nothing more will come. */
  private async connect(): Promise<[SseConnection, ReadableStream<Uint8Array>] | null> {
    const { http } = this.settings;
    const { path, lastEventId } = await this.opening();
    const { controller, dispose } = linkedController(this.settings.signal);
    const connection = new SseConnection(controller, this.settings.idleTimeoutMs);
    let response: Response;
    try {
      response = await http.fetch(http.url(path), {
        method: "GET",
        headers: http.headers({ Accept: "text/event-stream", "Last-Event-ID": lastEventId }),
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
      // The link to the caller's signal lives as long as the connection.
      controller.signal.addEventListener("abort", dispose, { once: true });
      this.unreachableInARow = 0;
      this.retryAfterMs = null;
      this.tokensJustRenewed = false;
      this.connected();
      return [connection, response.body];
    }
    const text = await readSome(response);
    connection.close();
    dispose();
    this.throwIfAborted();
    if (response.status === 204) {
      this.noContent();
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
        : ofStatus(response.status, contentType, text, response.headers.get("Retry-After"), this.jobOfAnswers(), http.base);
    // Fresh tokens refused as expired at once would loop: then the expiry is the answer.
    if (failure.kind === "Unauthorized" && failure.code === "STREAM_TOKEN_EXPIRED" && typeof this.settings.token === "function"
      && !this.tokensJustRenewed) {
      this.forgetTokens(); // Reconnect at once with new tokens: the next opening asks the provider.
      this.tokensJustRenewed = true;
      return null;
    }
    if (failure.kind === "ServerUnavailable") {
      this.retryAfterMs = failure.retryAfterMs;
    }
    await this.backOffOrThrow(failure);
    return null;
  }

  private async backOffOrThrow(failure: Failure): Promise<void> {
    if (!failure.retryable) {
      throw this.fail(failure);
    }
    if (failure.kind === "ServerUnreachable") {
      if (++this.unreachableInARow >= this.settings.policy.maxAttempts) {
        throw this.fail(gaveUp(failure, this.unreachableInARow));
      }
    } else {
      this.unreachableInARow = 0;
    }
    this.failuresInARow++;
    const hint = longer(this.serverRetryMs, this.retryAfterMs);
    const delayMs = backoffDelay(this.settings.policy, this.failuresInARow, hint);
    this.settings.listener.onRetrying({ action: `reconnecting to ${this.what()}`, attempt: this.failuresInARow + 1, delayMs, cause: failure });
    await sleep(delayMs, this.settings.signal);
  }

  private idleTimeout(): TimedOut {
    return new TimedOut(
      `No data (not even a heartbeat) for ${this.settings.idleTimeoutMs} ms: the connection is dead or a proxy holds the ` +
        `stream back. Reconnecting; if this repeats, make the proxy stream text/event-stream unbuffered.`,
      this.settings.idleTimeoutMs,
    );
  }
}

/** Reads an error event's body; one this client cannot read counts as retryable. Also its `jobId`, if it names one. */
export function readErrorEvent(text: string): { error: ErrorEvent; jobId: string | null } {
  const body = jsonObject(text);
  if (body === null) {
    return { error: new ErrorEvent(`The server reported an error: ${text}`, null, true), jobId: null };
  }
  const message = typeof body["message"] === "string" ? body["message"] : "The server reported an error on the stream.";
  return {
    error: new ErrorEvent(message, typeof body["code"] === "string" ? body["code"] : null, body["retryable"] !== false),
    jobId: typeof body["jobId"] === "string" ? body["jobId"] : null,
  };
}

/** `text` parsed as a JSON object, or null when it is not one. */
export function jsonObject(text: string): Record<string, unknown> | null {
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
