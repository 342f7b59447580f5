import {
  ConnectionClosed,
  type Failure,
  JobNotFound,
  Rejected,
  ServerUnavailable,
  ServerUnreachable,
  TimedOut,
  Unauthorized,
  UnexpectedResponse,
} from "./failures.js";

/** The part of a problem detail (RFC 9457) the client reads. */
interface Problem {
  code?: string;
  detail?: string;
}

// Node's fetch (undici) names the cause of a failed request with a code; browsers say only "Failed to fetch".
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * What fetch threw, or what reading a body threw, as a failure. `connected` tells whether an answer
 * had started: before it, a nameless network error most likely means the server cannot be reached.
 */
export function ofException(thrown: unknown, server: string, connected: boolean): Failure {
  const code = causeCode(thrown);
  const why = describe(thrown);
  if (code !== null && UNREACHABLE_CODES.has(code)) {
    const reason =
      code === "ECONNREFUSED"
        ? "connection refused"
        : code === "ENOTFOUND" || code === "EAI_AGAIN"
          ? `unknown host '${hostOf(server)}'`
          : code === "UND_ERR_CONNECT_TIMEOUT"
            ? "the connection timed out"
            : why;
    return new ServerUnreachable(
      `Cannot reach the server at ${server}: ${reason}. Is it running, and is the URL right?`,
      server,
      { cause: thrown },
    );
  }
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "ETIMEDOUT") {
    return new TimedOut(`The server at ${server} did not answer in time (${why}).`, null, { cause: thrown });
  }
  if (!connected && code === null) {
    return new ServerUnreachable(
      `Cannot reach the server at ${server} (${why}). Is it running, is the URL right, and — in a browser on ` +
        `another origin — does the server allow this origin (--cors-origin)?`,
      server,
      { cause: thrown },
    );
  }
  return new ConnectionClosed(
    `The connection to ${server} was closed before the answer was complete (${why}).`,
    { cause: thrown },
  );
}

/** A non-success answer; `jobId` names the job the request was about, if any. */
export function ofStatus(
  status: number,
  contentType: string | null,
  body: string,
  retryAfter: string | null,
  jobId: string | null,
  server: string,
): Failure {
  const problem = problemOf(contentType, body);
  const code = problem?.code ?? null;
  const detail = problem?.detail ?? excerpt(body);
  if (status === 401 && code === "STREAM_TOKEN_EXPIRED") {
    return new Unauthorized(
      `The stream token has expired (401 STREAM_TOKEN_EXPIRED): ${detail} Get a new one with streamToken(jobId) ` +
        `and reconnect, or give events() a token provider so it does that by itself.`,
      status,
      code,
    );
  }
  if (status === 401 || status === 403) {
    return new Unauthorized(
      `The server refused the request (${status}${code ? " " + code : ""}): ${detail} Check the API key ` +
        `(CONTENTGEN_API_KEY) or the stream token.`,
      status,
      code,
    );
  }
  if (status === 404 && code === "JOB_NOT_FOUND") {
    return new JobNotFound(
      `${detail} Check the job id, and that the job belongs to the owner of this API key.`,
      jobId,
    );
  }
  if (status === 404) {
    return new UnexpectedResponse(
      `The server at ${server} has no such endpoint (404): ${detail} Is the URL the contentgen server?`,
    );
  }
  if (status === 408 || status === 425 || status === 429 || (status >= 500 && status <= 599)) {
    return new ServerUnavailable(
      `The server is unavailable (${status}${code ? " " + code : ""}): ${detail} The client retries by itself; ` +
        `if this lasts, check the server's health (GET /healthz) and its log.`,
      status,
      code,
      retryAfterMs(retryAfter),
    );
  }
  if (status >= 400 && status <= 499) {
    return new Rejected(status, code, detail);
  }
  return new UnexpectedResponse(
    `Unexpected answer ${status} from ${server}: ${detail} Is the URL the contentgen server, and does a proxy ` +
      `rewrite or redirect the answer?`,
  );
}

/** `Retry-After` in milliseconds: delay-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | null {
  if (value === null) {
    return null;
  }
  const text = value.trim();
  if (/^\d{1,6}$/.test(text)) {
    return Number(text) * 1000;
  }
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function problemOf(contentType: string | null, body: string): Problem | null {
  if (!body.trim() || contentType === null || !contentType.includes("json")) {
    return null;
  }
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed === null || typeof parsed !== "object") {
      return null;
    }
    const { code, detail } = parsed as Record<string, unknown>;
    return {
      ...(typeof code === "string" ? { code } : {}),
      ...(typeof detail === "string" ? { detail } : {}),
    };
  } catch {
    return null;
  }
}

function excerpt(body: string): string {
  const text = body.trim().replace(/\s+/g, " ");
  if (!text) {
    return "(no details in the answer)";
  }
  return text.length > 200 ? text.slice(0, 200) + "…" : text;
}

function causeCode(thrown: unknown): string | null {
  for (let e: unknown = thrown, depth = 0; e !== null && typeof e === "object" && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      return code;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

function describe(thrown: unknown): string {
  // The innermost message names the real cause ("other side closed", "connect ECONNREFUSED …").
  let message = thrown instanceof Error ? thrown.message : String(thrown);
  for (let e: unknown = thrown, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (e.message) {
      message = e.message;
    }
    e = e.cause;
  }
  return message;
}

function hostOf(server: string): string {
  try {
    return new URL(server).hostname;
  } catch {
    return server;
  }
}
