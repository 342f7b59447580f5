/**
 * Why a call or one connection of a stream failed. Every error the client throws is one of these
 * classes (or an AbortError when your AbortSignal fired); each says whether the client retries it
 * by itself and has a message a person can act on.
 */
export abstract class ContentGenError extends Error {
  /** The class name as a string, for a `switch` (`instanceof` works too). */
  abstract readonly kind:
    | "ConnectionClosed"
    | "TimedOut"
    | "ServerUnreachable"
    | "ServerUnavailable"
    | "ErrorEvent"
    | "Unauthorized"
    | "JobNotFound"
    | "Rejected"
    | "UnexpectedResponse";

  /** True when the client retries (or reconnects) by itself after this failure. */
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The connection ended before the answer did: the server or a proxy closed or reset it. Retried. */
export class ConnectionClosed extends ContentGenError {
  readonly kind = "ConnectionClosed";
  readonly retryable = true;
}

/** Nothing arrived in time: no answer, or no byte (event or heartbeat) on a stream within the idle timeout. Retried. */
export class TimedOut extends ContentGenError {
  readonly kind = "TimedOut";
  readonly retryable = true;
  constructor(
    message: string,
    readonly afterMs: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No connection could be made (refused, unknown host, network down). Retried up to `retry.maxAttempts` in a row. */
export class ServerUnreachable extends ContentGenError {
  readonly kind = "ServerUnreachable";
  readonly retryable = true;
  constructor(
    message: string,
    readonly server: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The server answered 429 or 5xx: busy, restarting or failing. Retried, after `retryAfterMs` when it said so. */
export class ServerUnavailable extends ContentGenError {
  readonly kind = "ServerUnavailable";
  readonly retryable = true;
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
  }
}

/** The server sent `event: error` on the stream; retried (a notice) when the server marks it retryable. */
export class ErrorEvent extends ContentGenError {
  readonly kind = "ErrorEvent";
  constructor(
    message: string,
    readonly code: string | null,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** 401 or 403: the API key (or stream token) is missing, wrong, expired or not allowed to do this. Not retried. */
export class Unauthorized extends ContentGenError {
  readonly kind = "Unauthorized";
  readonly retryable = false;
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 404 JOB_NOT_FOUND: there is no such job, or it is not yours. Not retried. */
export class JobNotFound extends ContentGenError {
  readonly kind = "JobNotFound";
  readonly retryable = false;
  constructor(
    message: string,
    readonly jobId: string | null,
  ) {
    super(message);
  }
}

/** Any other 4xx: the request itself is wrong; carries the problem's `code` and `detail`. Not retried. */
export class Rejected extends ContentGenError {
  readonly kind = "Rejected";
  readonly retryable = false;
  constructor(
    readonly status: number,
    readonly code: string | null,
    readonly detail: string,
  ) {
    super(`The server refused the request (${status}${code ? " " + code : ""}): ${detail}`);
  }
}

/** An answer outside the protocol: HTML instead of an event stream, a redirect, an event out of order. Not retried. */
export class UnexpectedResponse extends ContentGenError {
  readonly kind = "UnexpectedResponse";
  readonly retryable = false;
}

/** Every failure class, for exhaustive handling. */
export type Failure =
  | ConnectionClosed
  | TimedOut
  | ServerUnreachable
  | ServerUnavailable
  | ErrorEvent
  | Unauthorized
  | JobNotFound
  | Rejected
  | UnexpectedResponse;

/** The same failure with "Gave up after N attempts." appended, once the client stops retrying it. */
export function gaveUp(failure: Failure, attempts: number): Failure {
  const suffix = ` Gave up after ${attempts} attempts.`;
  switch (failure.kind) {
    case "ConnectionClosed":
      return new ConnectionClosed(failure.message + suffix, { cause: failure.cause });
    case "TimedOut":
      return new TimedOut(failure.message + suffix, failure.afterMs, { cause: failure.cause });
    case "ServerUnreachable":
      return new ServerUnreachable(failure.message + suffix, failure.server, { cause: failure.cause });
    case "ServerUnavailable":
      return new ServerUnavailable(failure.message + suffix, failure.status, failure.code, failure.retryAfterMs);
    default:
      return failure;
  }
}
