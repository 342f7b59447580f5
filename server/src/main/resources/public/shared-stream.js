// The tab's side of the one connection all tabs share (stream-worker.js holds it).
// openJobStream here has the same handlers and handle as stream.js's; where a SharedWorker is not
// available (or the worker fails to start) it is stream.js's own per-tab stream. watchJobList feeds
// the recent-jobs list from the same connection.
import { openJobStream as openTabStream, streamBookkeeping, SLOW_AFTER_MS } from '/stream.js';
import { newKey } from '/api.js';

const READY_WITHIN_MS = 10_000; // a worker that has not answered by then is treated as unavailable

let link = null; // {port, tab, ready, failed, handlers: Map<sub, fn>, lists: Set<fn>, fallbacks: Set<fn>}
let nextSub = 0;
let owner = 'local';

/**
 * The signed-in owner, before the first stream: tabs of different owners (one signed out, another
 * signed in) must not share a worker, whose stream was opened with the first one's session.
 */
export function setStreamOwner(name) {
  if (!link) owner = name || 'local';
}

/** False where a SharedWorker cannot be used (or `window.contentgenPerTabStream` asks for a stream per tab). */
export function sharedStreamsAvailable() {
  return typeof SharedWorker === 'function' && !window.contentgenPerTabStream && !link?.failed;
}

function getLink() {
  if (link) return link;
  const worker = new SharedWorker('/stream-worker.js', { type: 'module', name: `contentgen-streams:${owner}` });
  const l = link = { port: worker.port, ready: false, failed: false, handlers: new Map(), lists: new Set(), fallbacks: new Set() };
  const fail = (why) => {
    if (l.ready || l.failed) return;
    l.failed = true;
    console.warn(`contentgen: shared stream unavailable (${why}); each tab streams on its own`);
    for (const fallback of l.fallbacks) fallback();
    l.fallbacks.clear();
  };
  worker.addEventListener('error', () => fail('the worker did not start'));
  const timer = setTimeout(() => fail('the worker did not answer'), READY_WITHIN_MS);
  l.port.addEventListener('message', (e) => {
    const msg = e.data;
    // Any answer means the worker runs: no falling back after that.
    if (!l.ready) { l.ready = true; clearTimeout(timer); l.fallbacks.clear(); }
    if (msg.op === 'ready') return;
    if (msg.op === 'job' || msg.op === 'connected' || msg.op === 'closed') { for (const fn of l.lists) fn(msg); return; }
    l.handlers.get(msg.sub)?.(msg);
  });
  l.port.start();
  const tab = l.tab = newKey();
  const hello = () => l.port.postMessage({ op: 'hello', tab });
  // The worker waits for this lock to know when the tab is gone, even if it crashed; so hold it before saying hello.
  if (navigator.locks) navigator.locks.request(`contentgen-tab-${tab}`, () => { hello(); return new Promise(() => {}); });
  else hello();
  window.addEventListener('pagehide', () => l.port.postMessage({ op: 'bye' }));
  // Back from the back-forward cache the worker has forgotten this tab: start afresh.
  window.addEventListener('pageshow', (e) => { if (e.persisted) location.reload(); });
  return l;
}

/** As stream.js's openJobStream (same handlers, same handle), over the connection every tab shares. */
export function openJobStream(jobId, handlers = {}, options = {}) {
  if (!sharedStreamsAvailable()) return openTabStream(jobId, handlers, options);
  const l = getLink();
  let impl = openShared(l, jobId, handlers, options);
  let closed = false;
  // Should the worker not start (it has then sent nothing), this stream is the tab's own from the start.
  const fallback = () => {
    impl.close();
    if (!closed) impl = openTabStream(jobId, handlers, options);
  };
  if (!l.ready) l.fallbacks.add(fallback);
  return {
    retry: () => impl.retry(),
    close: () => { closed = true; l.fallbacks.delete(fallback); impl.close(); },
    get lastSeq() { return impl.lastSeq; },
    get state() { return impl.state; },
    get attempt() { return impl.attempt; },
    get terminal() { return impl.terminal; },
  };
}

function openShared(l, jobId, handlers, { slowAfterMs = SLOW_AFTER_MS } = {}) {
  const sub = `${l.tab}:${nextSub++}`; // unique across tabs: the worker keeps every tab's subscriptions in one map
  const t = streamBookkeeping(handlers, slowAfterMs, leave);

  function leave() {
    t.stopWatchdog();
    l.handlers.delete(sub);
    l.port.postMessage({ op: 'unwatch', sub });
  }

  l.handlers.set(sub, (msg) => {
    if (t.stopped || t.terminal) return;
    switch (msg.op) {
      case 'event': return t.accept(msg.type, msg.data, Number(msg.data?.seq));
      case 'error':
        t.armWatchdog();
        return t.call('onStreamError', msg.err);
      case 'state': {
        if (msg.terminal) return; // this tab ends on the terminal event itself
        if (msg.state === t.state && msg.attempt === t.attempt && t.state !== 'closed') return;
        t.attempt = msg.attempt ?? t.attempt;
        if (msg.state === 'closed') {
          t.stopWatchdog();
          return t.setState('closed', { message: msg.message, code: msg.code, canRetry: Boolean(msg.canRetry) });
        }
        t.setState(msg.state);
        if (msg.state === 'live') t.armWatchdog();
      }
    }
  });
  l.port.postMessage({ op: 'watch', sub, jobId });
  t.begin();
  return t.handle(() => l.port.postMessage({ op: 'retry', sub }));
}

/**
 * The caller's job list, live from the shared connection: `onItem(item)` for every `event: job`
 * (a job created or changed, on any node), `onConnected()` after every (re)connect (reload the list
 * once then), `onClosed()` when it is closed for good (poll until it is back). Returns false, and
 * calls nothing, where there is no shared connection: poll instead. `onFallback()` is called if the
 * shared connection turns out to be unavailable later.
 */
export function watchJobList({ onItem, onConnected, onClosed, onFallback }) {
  if (!sharedStreamsAvailable()) return false;
  const l = getLink();
  l.lists.add((msg) => {
    try {
      if (msg.op === 'job') onItem(msg.item);
      else if (msg.op === 'closed') onClosed();
      else onConnected();
    } catch (err) { console.error('contentgen: job list update failed', err); }
  });
  if (!l.ready) l.fallbacks.add(() => onFallback?.());
  l.port.postMessage({ op: 'list', on: true });
  return true;
}
