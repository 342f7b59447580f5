import type { ErrorEvent, Failure } from "./failures.js";

/** A call or stream failed in a way that is retried: `action` makes attempt `attempt` after `delayMs`. */
export interface Retrying {
  /** E.g. "reconnecting to the events of job 0193…" or "retrying: create job". */
  action: string;
  attempt: number;
  delayMs: number;
  cause: Failure;
}

/** "reconnecting to the events of job 0193… (attempt 2, in 2.1 s): The server closed the stream…" */
export function describeRetrying(retrying: Retrying): string {
  return `${retrying.action} (attempt ${retrying.attempt}, in ${(retrying.delayMs / 1000).toFixed(1)} s): ${retrying.cause.message}`;
}

/** Hooks for showing what the client is doing behind a call or a stream ("reconnecting…"); all optional. */
export interface ClientListener {
  /** About to wait and try again. */
  onRetrying?(retrying: Retrying): void;
  /** A stream is (re)connected and will deliver the events after `afterSeq`. */
  onConnected?(jobId: string, afterSeq: number): void;
  /**
   * The server sent an `event: error` on a job's stream. A retryable one (STORE_UNAVAILABLE,
   * SERVER_SHUTTING_DOWN, TOO_MANY_STREAMS) is a notice: the stream carries on by itself. On a
   * stream of many jobs (`followJobs`), `jobId` is null for a message about the whole stream.
   */
  onErrorEvent?(jobId: string | null, error: ErrorEvent): void;
  /** An event of a type this client does not know (a newer server's) was passed over; the resume point moved past `seq`. */
  onUnknownEvent?(jobId: string, seq: number, type: string): void;
}

/** Calls every listener's hook; a listener that throws cannot break the stream. */
export function fanOut(listeners: readonly (ClientListener | undefined)[]): Required<ClientListener> {
  const all = listeners.filter((l): l is ClientListener => l !== undefined);
  const each = (call: (l: ClientListener) => void): void => {
    for (const l of all) {
      try {
        call(l);
      } catch (e) {
        // A bug in a listener must not end the stream; it still shows up on the console.
        console.error("contentgen client: a listener threw", e);
      }
    }
  };
  return {
    onRetrying: (r) => each((l) => l.onRetrying?.(r)),
    onConnected: (id, after) => each((l) => l.onConnected?.(id, after)),
    onErrorEvent: (id, e) => each((l) => l.onErrorEvent?.(id, e)),
    onUnknownEvent: (id, seq, type) => each((l) => l.onUnknownEvent?.(id, seq, type)),
  };
}
