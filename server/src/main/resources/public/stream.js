// The one owner of a job's event stream (see DESIGN.md, "The stream protocol").
// Dedupes by seq, tracks the connection state, runs the "slow" watchdog,
// closes itself after the terminal status and can resume from the last seq.

export const EVENTS = ['status', 'progress', 'artifact.created', 'artifact.delta',
  'artifact.completed', 'artifact.discarded', 'snapshot'];
export const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export const SLOW_AFTER_MS = 20_000;
// EventSource would retry forever; after this many failed reconnects in a row the page
// stops and offers a Retry button instead (which resumes, and never creates a job).
export const MAX_RECONNECTS = 15;
export const CLOSED_MESSAGE = 'Connection closed by server. The backend may have encountered an error.';
export const GAVE_UP_MESSAGE = 'Connection closed by server: it did not come back after several tries.';

/**
 * Opens `/api/jobs/{id}/events?after=0&snapshots=1`. Handlers (all optional):
 * - onEvent(type, data)         a durable job event, at most once, in seq order
 * - onStreamError({code, message, retryable})   a stream-level `event: error`
 * - onConnection({state, attempt, lastSeq, terminal, message, canRetry})
 *     state: connecting | live | reconnecting | closed
 * - onSlow(boolean)             no event for `slowAfterMs` (default SLOW_AFTER_MS) while the job is running
 */
export function openJobStream(jobId, handlers = {}, { slowAfterMs = SLOW_AFTER_MS } = {}) {
  const call = (name, ...args) => {
    try { handlers[name]?.(...args); } catch (err) { console.error(`contentgen: ${name} failed`, err); }
  };
  let es = null;
  let lastSeq = 0;
  let status = null;      // last job status seen on the stream
  let state = 'connecting';
  let attempt = 0;        // failed reconnects since the stream was last open
  let terminal = false;
  let stopped = false;    // close() was called by the page
  let slowTimer = 0;
  let slow = false;

  function setState(next, extra = {}) {
    state = next;
    if (!stopped) call('onConnection', { state, attempt, lastSeq, terminal, message: null, canRetry: false, ...extra });
  }

  // Heartbeats are SSE comments, invisible here: "slow" is measured on events only.
  function armWatchdog() {
    clearTimeout(slowTimer);
    if (slow) { slow = false; call('onSlow', false); }
    if (terminal || stopped || state === 'closed') return;
    slowTimer = setTimeout(() => {
      if (status === 'running' && !terminal && !stopped && state !== 'closed') {
        slow = true;
        call('onSlow', true);
      }
    }, slowAfterMs);
  }

  function shutdown() {
    clearTimeout(slowTimer);
    if (es) { es.close(); es = null; }
  }

  function onMessage(type, e) {
    if (e.target !== es) return;
    let data;
    try { data = JSON.parse(e.data); } catch {
      console.warn('contentgen: unreadable event', type, e.data);
      return;
    }
    const seq = Number(data.seq ?? e.lastEventId);
    if (!Number.isSafeInteger(seq) || seq <= lastSeq) return; // duplicate, replayed or malformed
    lastSeq = seq;
    attempt = 0;
    if (type === 'status') status = data.status;
    // A snapshot stands for every event up to its seq (docs/PROTOCOL.md, "Snapshots"): its status is the job's then.
    if (type === 'snapshot') status = data.status?.status ?? status;
    armWatchdog();
    call('onEvent', type, data);
    if ((type === 'status' || type === 'snapshot') && TERMINAL.has(status)) {
      // The job is over: stop here so the browser does not reconnect.
      terminal = true;
      shutdown();
      setState('closed');
    }
  }

  // EventSource fires "error" both for the server's `event: error` (a MessageEvent
  // with data) and for connection trouble (a plain Event).
  function onError(e) {
    if (e.target !== es) return;
    if (e instanceof MessageEvent) {
      let err;
      try { err = JSON.parse(e.data); } catch { err = { code: 'UNKNOWN', message: String(e.data), retryable: true }; }
      armWatchdog();
      call('onStreamError', err);
      if (err.retryable === false) {
        shutdown();
        setState('closed', { message: err.message || CLOSED_MESSAGE, code: err.code, canRetry: true });
      }
      return;
    }
    if (es.readyState === EventSource.CLOSED) {
      // Non-200 answer (or a broken one): EventSource has given up for good.
      shutdown();
      setState('closed', { message: CLOSED_MESSAGE, canRetry: true });
    } else if (attempt >= MAX_RECONNECTS) {
      shutdown();
      setState('closed', { message: GAVE_UP_MESSAGE, canRetry: true });
    } else {
      // EventSource retries by itself, after the server's `retry:` delay.
      attempt += 1;
      setState('reconnecting');
    }
  }

  function connect(after) {
    shutdown();
    const source = new EventSource(`/api/jobs/${encodeURIComponent(jobId)}/events?after=${after}&snapshots=1`);
    es = source;
    for (const type of EVENTS) source.addEventListener(type, (e) => onMessage(type, e));
    source.addEventListener('error', onError);
    source.addEventListener('open', (e) => {
      if (e.target !== es) return;
      attempt = 0;
      setState('live');
    });
  }

  connect(0);
  setState('connecting');
  armWatchdog();

  return {
    /** Re-opens a closed stream from the last seq seen. Never creates a job. */
    retry() {
      if (stopped || terminal) return;
      attempt = 1;
      connect(lastSeq);
      setState('reconnecting');
      armWatchdog();
    },
    /** Stops for good (e.g. the page shows another job); no more callbacks. */
    close() {
      stopped = true;
      shutdown();
      state = 'closed';
    },
    get lastSeq() { return lastSeq; },
    get state() { return state; },
    get attempt() { return attempt; },
    get terminal() { return terminal; },
  };
}
