import { abortReason, backoffDelay, type RetryPolicy, sleep } from "./backoff.js";
import { ofException, ofStatus } from "./classify.js";
import { ContentGenError, type Failure, gaveUp, TimedOut, UnexpectedResponse } from "./failures.js";
import { type Http, linkedController, readSome } from "./http.js";
import type { ClientListener } from "./listener.js";

/** One API call: what it is (for messages), where, and what to send. */
export interface Call {
  what: string;
  path: string;
  method: "GET" | "POST" | "DELETE";
  headers?: Record<string, string>;
  body?: string;
  /** The job the call is about, if any: a 404 then names it. */
  jobId?: string;
  signal?: AbortSignal;
}

/** A 2xx answer, read. */
export interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
}

/**
 * Sends API calls, retrying what can be retried (every call of the API is safe to repeat: a
 * creation carries its idempotency key) until a 2xx, a failure that is not retryable, or the
 * policy's last attempt.
 */
export class Calls {
  constructor(
    private readonly http: Http,
    private readonly policy: RetryPolicy,
    private readonly answerTimeoutMs: number,
    private readonly listener: Required<ClientListener>,
  ) {}

  async send(call: Call): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const failure = await this.attempt(call);
      if (!(failure instanceof ContentGenError)) {
        return failure;
      }
      if (!failure.retryable || attempt >= this.policy.maxAttempts) {
        throw failure.retryable ? gaveUp(failure, attempt) : failure;
      }
      const hint = failure.kind === "ServerUnavailable" ? failure.retryAfterMs : null;
      const delayMs = backoffDelay(this.policy, attempt, hint);
      this.listener.onRetrying({ action: `retrying: ${call.what}`, attempt: attempt + 1, delayMs, cause: failure });
      await sleep(delayMs, call.signal);
    }
  }

  /** One try: the answer, or the failure it ended in. Throws only when the caller's signal aborted. */
  private async attempt(call: Call): Promise<Answer | Failure> {
    const { controller, dispose } = linkedController(call.signal);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.answerTimeoutMs);
    let connected = false;
    try {
      const response = await this.http.fetch(this.http.url(call.path), {
        method: call.method,
        headers: this.http.headers(call.headers),
        ...(call.body !== undefined ? { body: call.body } : {}),
        signal: controller.signal,
        redirect: "manual",
        cache: "no-store",
      });
      connected = true;
      const contentType = response.headers.get("Content-Type");
      if (response.status >= 200 && response.status <= 299) {
        const text = await response.text();
        return { status: response.status, headers: response.headers, json: parseJson(text, call, contentType) };
      }
      if (response.type === "opaqueredirect" || (response.status >= 300 && response.status <= 399)) {
        return redirected(response, this.http.base);
      }
      const body = await readSome(response);
      return ofStatus(response.status, contentType, body, response.headers.get("Retry-After"), call.jobId ?? null, this.http.base);
    } catch (e) {
      if (call.signal?.aborted) {
        throw abortReason(call.signal);
      }
      if (e instanceof ContentGenError) {
        return e as Failure;
      }
      if (timedOut) {
        return new TimedOut(
          `The server at ${this.http.base} did not answer within ${this.answerTimeoutMs} ms (${call.what}).`,
          this.answerTimeoutMs,
        );
      }
      return ofException(e, this.http.base, connected);
    } finally {
      clearTimeout(timer);
      dispose();
    }
  }
}

export function redirected(response: Response, base: string): UnexpectedResponse {
  const to = response.headers.get("Location");
  return new UnexpectedResponse(
    `The server at ${base} answered with a redirect${to ? " to " + to : ""} (${response.status}): use the URL ` +
      `it redirects to as baseUrl.`,
  );
}

function parseJson(text: string, call: Call, contentType: string | null): unknown {
  if (!text) {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UnexpectedResponse(
      `The answer to "${call.what}" is not JSON (${contentType ?? "no Content-Type"}): is the URL the contentgen ` +
        `server, and does a proxy rewrite the answer?`,
    );
  }
}
