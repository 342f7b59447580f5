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
 * What every job stream's handle keeps, whatever carries its events (an EventSource of its own here, the
 * connection all tabs share in shared-stream.js): the seq it has reached, the job's last status, the
 * connection state, the "slow" watchdog, the end after the terminal status, and the handle a page holds.
 * `stopTransport` stops what carries the events (at the end, or when the page closes the stream).
 */
export function streamBookkeeping(handlers, slowAfterMs, stopTransport) {
  let slowTimer = 0;
  let slow = false;
  const t = {
    lastSeq: 0,
    status: null,       // last job status seen on the stream
    state: 'connecting',
    attempt: 0,         // failed reconnects since the stream was last open
    terminal: false,
    stopped: false,     // close() was called by the page
    call(name, ...args) {
      try { handlers[name]?.(...args); } catch (err) { console.error(`contentgen: ${name} failed`, err); }
    },
    setState(next, extra = {}) {
      t.state = next;
      if (!t.stopped) {
        t.call('onConnection', { state: next, attempt: t.attempt, lastSeq: t.lastSeq, terminal: t.terminal, message: null, canRetry: false, ...extra });
      }
    },
    // Heartbeats are SSE comments, invisible here: "slow" is measured on events only.
    armWatchdog() {
      clearTimeout(slowTimer);
      if (slow) { slow = false; t.call('onSlow', false); }
      if (t.terminal || t.stopped || t.state === 'closed') return;
      slowTimer = setTimeout(() => {
        if (t.status === 'running' && !t.terminal && !t.stopped && t.state !== 'closed') {
          slow = true;
          t.call('onSlow', true);
        }
      }, slowAfterMs);
    },
    stopWatchdog() {
      clearTimeout(slowTimer);
    },
    /** A durable event: passed on at most once, in seq order. */
    accept(type, data, seq) {
      if (!Number.isSafeInteger(seq) || seq <= t.lastSeq) return; // duplicate, replayed or malformed
      t.lastSeq = seq;
      t.attempt = 0;
      if (type === 'status') t.status = data.status;
      // A snapshot stands for every event up to its seq (docs/PROTOCOL.md, "Snapshots"): its status is the job's then.
      if (type === 'snapshot') t.status = data.status?.status ?? t.status;
      t.armWatchdog();
      t.call('onEvent', type, data);
      if ((type === 'status' || type === 'snapshot') && TERMINAL.has(t.status)) {
        // The job is over: stop here so the browser does not reconnect.
        t.terminal = true;
        stopTransport();
        t.setState('closed');
      }
    },
    /** The stream has just been asked for: says so, and starts watching for "slow". */
    begin() {
      t.setState('connecting');
      t.armWatchdog();
    },
    /**
     * The handle a page holds. `retry()` re-opens a closed stream from the last seq seen (`reconnect` asks the
     * transport to); it never creates a job. `close()` stops for good (e.g. the page shows another job): no more
     * callbacks.
     */
    handle(reconnect) {
      return {
        retry() {
          if (t.stopped || t.terminal) return;
          t.attempt = 1;
          reconnect();
          t.setState('reconnecting');
          t.armWatchdog();
        },
        close() {
          if (t.stopped) return;
          t.stopped = true;
          if (!t.terminal) stopTransport(); // at the end it stopped already
          t.state = 'closed';
        },
        get lastSeq() { return t.lastSeq; },
        get state() { return t.state; },
        get attempt() { return t.attempt; },
        get terminal() { return t.terminal; },
      };
    },
  };
  return t;
}

/**
 * Opens `/api/jobs/{id}/events?after=0&snapshots=1`. Handlers (all optional):
 * - onEvent(type, data)         a durable job event, at most once, in seq order
 * - onStreamError({code, message, retryable})   a stream-level `event: error`
 * - onConnection({state, attempt, lastSeq, terminal, message, canRetry})
 *     state: connecting | live | reconnecting | closed
 * - onSlow(boolean)             no event for `slowAfterMs` (default SLOW_AFTER_MS) while the job is running
 */
export function openJobStream(jobId, handlers = {}, { slowAfterMs = SLOW_AFTER_MS } = {}) {
  let es = null;
  const t = streamBookkeeping(handlers, slowAfterMs, shutdown);

  function shutdown() {
    t.stopWatchdog();
    if (es) { es.close(); es = null; }
  }

  function onMessage(type, e) {
    if (e.target !== es) return;
    let data;
    try { data = JSON.parse(e.data); } catch {
      console.warn('contentgen: unreadable event', type, e.data);
      return;
    }
    t.accept(type, data, Number(data.seq ?? e.lastEventId));
  }

  // EventSource fires "error" both for the server's `event: error` (a MessageEvent
  // with data) and for connection trouble (a plain Event).
  function onError(e) {
    if (e.target !== es) return;
    if (e instanceof MessageEvent) {
      let err;
      try { err = JSON.parse(e.data); } catch { err = { code: 'UNKNOWN', message: String(e.data), retryable: true }; }
      t.armWatchdog();
      t.call('onStreamError', err);
      if (err.retryable === false) {
        shutdown();
        t.setState('closed', { message: err.message || CLOSED_MESSAGE, code: err.code, canRetry: true });
      }
      return;
    }
    if (es.readyState === EventSource.CLOSED) {
      // Non-200 answer (or a broken one): EventSource has given up for good.
      shutdown();
      t.setState('closed', { message: CLOSED_MESSAGE, canRetry: true });
    } else if (t.attempt >= MAX_RECONNECTS) {
      shutdown();
      t.setState('closed', { message: GAVE_UP_MESSAGE, canRetry: true });
    } else {
      // EventSource retries by itself, after the server's `retry:` delay.
      t.attempt += 1;
      t.setState('reconnecting');
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
      t.attempt = 0;
      t.setState('live');
    });
  }

  connect(0);
  t.begin();
  return t.handle(() => connect(t.lastSeq));
}
