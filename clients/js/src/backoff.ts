/** How the client retries: waits grow from `initialDelayMs` by doubling up to `maxDelayMs`, with jitter. */
export interface RetryPolicy {
  /** First wait (default 500 ms); never shorter than the server's `retry:` or `Retry-After`. */
  initialDelayMs: number;
  /** Longest wait (default 15 s), unless the server asks for longer. */
  maxDelayMs: number;
  /** Tries of one call; a stream gives up after this many connection attempts in a row that cannot reach the server (default 6). */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialDelayMs: 500, maxDelayMs: 15_000, maxAttempts: 6 };

/** Checks a policy and fills in the defaults for what it leaves out. */
export function retryPolicy(given: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy = { ...DEFAULT_RETRY, ...given };
  if (!(policy.initialDelayMs >= 0) || !(policy.maxDelayMs >= policy.initialDelayMs)) {
    throw new RangeError("retry needs 0 <= initialDelayMs <= maxDelayMs");
  }
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError("retry.maxAttempts must be an integer of at least 1");
  }
  return policy;
}

/**
 * The wait before the next attempt after `failures` failures in a row (1 or more): capped
 * exponential growth, never sooner than the server asked (`hintMs`), plus up to a quarter more so
 * clients cut at the same moment do not all come back at the same moment.
 */
export function backoffDelay(
  policy: RetryPolicy,
  failures: number,
  hintMs: number | null,
  random: () => number = Math.random,
): number {
  const hint = hintMs ?? 0;
  const base = Math.max(policy.initialDelayMs, hint);
  const cap = Math.max(policy.maxDelayMs, hint);
  const delay = Math.min(cap, base * 2 ** Math.min(Math.max(failures - 1, 0), 20));
  return Math.round(delay + (delay >= 4 ? random() * (delay / 4) : 0));
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** What an aborted operation throws: the signal's reason (an AbortError DOMException unless you gave one). */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}
