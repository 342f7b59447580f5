// One connection for every tab of the web UI (a SharedWorker; shared-stream.js is the tab's side).
// It holds ONE EventSource on the multiplexed stream `/api/events?job=ID:seq&...&list=1&snapshots=1`
// for the union of the jobs the open tabs watch, keeps each job's events, and hands every
// subscription its job's events exactly once: first what the worker already has, then live.
// When the set of jobs changes it reconnects with a new URL built from each job's last seq
// (cheap, debounced); after a dropped connection EventSource's own reconnect sends the vector
// Last-Event-ID, so every job resumes exactly after its own point (docs/PROTOCOL.md).
import { EVENTS, TERMINAL, MAX_RECONNECTS, CLOSED_MESSAGE, GAVE_UP_MESSAGE } from '/stream.js';

const REBUILD_AFTER_MS = 100;  // tabs opened together (and a tab's list and job) become one connect, not ten
// Right after this worker replaced its own stream, TOO_MANY_STREAMS is most likely that old stream still
// counted: the new stream can arrive before the node notices the old one closed (within a second over
// HTTP/1.1, at once over HTTP/2). Try again after these delays instead of the server's long over-limit retry.
const OWN_STREAM_RETRIES_MS = [2000, 4000, 8000, 16000];
const MAX_JOBS = 100;          // the endpoint's limit of job parameters

const ports = new Map();       // port → {tab, subs: Set<sub id>, list: boolean}
const subs = new Map();        // sub id (tab:n) → {port, jobId}
const jobs = new Map();        // job id → {id, lastSeq, events, status, terminal, ended, subs: Set}
let es = null;
let urlJobs = [];              // the job ids of the open EventSource's URL, in order
let carried = new Set();       // the jobs of the last stream that opened: still live while a new URL connects
let state = 'idle';            // idle | connecting | live | reconnecting | closed
let attempt = 0;
let closedMessage = null;      // why the stream is closed for good (until a tab retries)
let rebuildTimer = 0;
let replacedOwn = false;       // the open stream replaced one of ours, and has carried nothing yet
let ownRetries = 0;

const post = (port, msg) => { try { port.postMessage(msg); } catch { /* the tab is gone */ } };

function toSub(id, msg) {
  const s = subs.get(id);
  if (s) post(s.port, { ...msg, sub: id });
}

function jobState(job) {
  if (job.ended) return { state: 'closed', attempt, message: job.ended.message, code: job.ended.code, canRetry: true };
  if (job.terminal) return { state: 'closed', attempt, terminal: true };
  if (state === 'closed') return { state: 'closed', attempt, message: closedMessage, canRetry: true };
  if (!urlJobs.includes(job.id)) return { state: attempt > 0 ? 'reconnecting' : 'connecting', attempt };
  if (state === 'live' && !carried.has(job.id)) return { state: 'connecting', attempt };
  return { state: state === 'idle' ? 'connecting' : state, attempt };
}

function sendState(job) {
  const s = jobState(job);
  for (const id of job.subs) toSub(id, { op: 'state', ...s });
}

function broadcastState() {
  for (const job of jobs.values()) if (!job.terminal && !job.ended) sendState(job);
}

// ---------- the set of jobs, and the URL that follows it ----------

/** The jobs the stream must carry: watched by some tab, not over, not ended by an error; at most MAX_JOBS. */
function wantedJobs() {
  return [...jobs.values()].filter((j) => j.subs.size > 0 && !j.terminal && !j.ended).slice(0, MAX_JOBS).map((j) => j.id);
}

const wantsList = () => [...ports.values()].some((p) => p.list);

function scheduleRebuild() {
  clearTimeout(rebuildTimer);
  rebuildTimer = setTimeout(rebuild, REBUILD_AFTER_MS);
}

function rebuild({ force = false } = {}) {
  clearTimeout(rebuildTimer);
  const wanted = wantedJobs();
  const list = wantsList();
  if (!wanted.length && !list) {
    shutdown();
    state = 'idle';
    return;
  }
  if (state === 'closed' && !force) return; // closed for good until a tab presses Retry
  const sameSet = es && wanted.length === urlJobs.length && wanted.every((id) => urlJobs.includes(id));
  if (sameSet && !force) return;
  connect(wanted, list);
}

function connect(ids, list) {
  if (es) { replacedOwn = true; ownRetries = 0; }
  // A new URL for a live stream is not news for the tabs whose jobs it carried: they stay live meanwhile.
  const wasLive = state === 'live';
  shutdown();
  const params = ids.map((id) => `job=${encodeURIComponent(id)}:${jobs.get(id).lastSeq}`);
  if (list) params.push('list=1');
  params.push('snapshots=1');
  const source = new EventSource(`/api/events?${params.join('&')}`);
  es = source;
  urlJobs = ids;
  if (!wasLive && state !== 'reconnecting') state = 'connecting';
  for (const type of EVENTS) source.addEventListener(type, (e) => onEvent(source, type, e));
  source.addEventListener('job', (e) => onListItem(source, e));
  source.addEventListener('error', (e) => onError(source, e));
  source.addEventListener('open', () => {
    if (source !== es) return;
    attempt = 0;
    state = 'live';
    carried = new Set(urlJobs);
    broadcastState();
    // Whatever changed while the stream was away is in the list now: each tab reloads it once.
    for (const [port, p] of ports) if (p.list) post(port, { op: 'connected' });
  });
  broadcastState();
}

function shutdown() {
  if (es) { es.close(); es = null; }
  urlJobs = [];
}

// ---------- what the stream carries ----------

function parse(e) {
  try { return JSON.parse(e.data); } catch { return null; }
}

function onEvent(source, type, e) {
  if (source !== es) return;
  const data = parse(e);
  const job = data && jobs.get(data.jobId);
  if (!job) return;
  const seq = Number(data.seq);
  if (!Number.isSafeInteger(seq) || seq <= job.lastSeq) return; // duplicate or replayed
  job.lastSeq = seq;
  attempt = 0;
  replacedOwn = false;
  // A snapshot stands for every event before it (docs/PROTOCOL.md, "Snapshots"): it replaces them here too.
  if (type === 'snapshot') job.events = [];
  job.events.push({ type, data });
  if (type === 'status') job.status = data.status;
  if (type === 'snapshot') job.status = data.status?.status ?? job.status;
  for (const id of job.subs) toSub(id, { op: 'event', type, data });
  if (TERMINAL.has(job.status)) job.terminal = true; // the next URL leaves it out; no reconnect just for this
}

function onListItem(source, e) {
  if (source !== es) return;
  const item = parse(e);
  if (!item) return;
  replacedOwn = false;
  for (const [port, p] of ports) if (p.list) post(port, { op: 'job', item });
}

// EventSource fires "error" both for the server's `event: error` (a MessageEvent with data) and for connection trouble.
function onError(source, e) {
  if (source !== es) return;
  if (e instanceof MessageEvent) {
    const err = parse(e) ?? { code: 'UNKNOWN', message: String(e.data), retryable: true };
    const job = err.jobId ? jobs.get(err.jobId) : null;
    if (err.jobId) {
      // One job's trouble (not found, deleted, resume point past its end): the others go on.
      if (!job) return;
      if (err.retryable !== true) job.ended = { code: err.code, message: err.message ? `Connection closed by server: ${err.message}` : CLOSED_MESSAGE };
      for (const id of job.subs) toSub(id, { op: 'error', err });
      // The job leaves the stream (a cheap reconnect): until a tab retries it, nothing more of it is shown.
      if (job.ended) { sendState(job); scheduleRebuild(); }
      return;
    }
    for (const j of jobs.values()) {
      if (!j.terminal && !j.ended) for (const id of j.subs) toSub(id, { op: 'error', err });
    }
    if (err.retryable === false) closeForGood(err.message || CLOSED_MESSAGE);
    else if (err.code === 'TOO_MANY_STREAMS' && replacedOwn && ownRetries < OWN_STREAM_RETRIES_MS.length) {
      shutdown();
      state = 'reconnecting';
      attempt += 1;
      broadcastState();
      clearTimeout(rebuildTimer);
      rebuildTimer = setTimeout(() => rebuild({ force: true }), OWN_STREAM_RETRIES_MS[ownRetries++]);
    }
    return;
  }
  if (source.readyState === EventSource.CLOSED) {
    // A non-200 answer (or a broken one): EventSource has given up for good.
    closeForGood(CLOSED_MESSAGE);
  } else if (attempt >= MAX_RECONNECTS) {
    closeForGood(GAVE_UP_MESSAGE);
  } else {
    // EventSource retries by itself, after the server's `retry:` delay, with the vector Last-Event-ID.
    attempt += 1;
    state = 'reconnecting';
    broadcastState();
  }
}

function closeForGood(message) {
  shutdown();
  state = 'closed';
  closedMessage = message;
  broadcastState();
  // The lists fall back to polling until a tab's retry brings the stream back.
  for (const [port, p] of ports) if (p.list) post(port, { op: 'closed' });
}

// ---------- the tabs ----------

function watch(port, id, jobId) {
  const p = ports.get(port);
  if (!p || subs.has(id)) return;
  let job = jobs.get(jobId);
  if (!job) {
    job = { id: jobId, lastSeq: 0, events: [], status: null, terminal: false, ended: null, subs: new Set() };
    jobs.set(jobId, job);
  }
  subs.set(id, { port, jobId });
  p.subs.add(id);
  job.subs.add(id);
  // What this worker already has for the job, in order, once; everything after it comes live.
  for (const { type, data } of job.events) toSub(id, { op: 'event', type, data });
  sendState(job);
  if (job.ended || job.terminal) return;
  // A job newly opened is a new start, as a fresh page's stream was: a stream closed for good is tried again.
  if (state === 'closed' && job.subs.size === 1) { state = 'reconnecting'; closedMessage = null; attempt = Math.max(attempt, 1); rebuild({ force: true }); return; }
  if (state !== 'closed') scheduleRebuild();
}

function unwatch(id) {
  const s = subs.get(id);
  if (!s) return;
  subs.delete(id);
  ports.get(s.port)?.subs.delete(id);
  const job = jobs.get(s.jobId);
  if (!job) return;
  job.subs.delete(id);
  if (job.subs.size === 0) {
    jobs.delete(job.id);
    if (urlJobs.includes(job.id) && !job.terminal) scheduleRebuild();
  }
}

/** A tab pressed Retry connection: resume where the stream stopped (never creates a job). */
function retry(id) {
  const s = subs.get(id);
  const job = s && jobs.get(s.jobId);
  if (!job || job.terminal) return;
  job.ended = null;
  if (state === 'closed') { state = 'reconnecting'; closedMessage = null; }
  attempt = Math.max(attempt, 1);
  rebuild({ force: true });
  sendState(job);
}

function dropPort(port) {
  const p = ports.get(port);
  if (!p) return;
  for (const id of [...p.subs]) unwatch(id);
  ports.delete(port);
  if (!wantsList() && wantedJobs().length === 0) rebuild();
}

function onMessage(port, msg) {
  switch (msg?.op) {
    case 'hello': {
      const p = ports.get(port);
      if (!p) return;
      p.tab = msg.tab;
      // A tab that closes or crashes lets go of its lock: then its subscriptions go too.
      navigator.locks?.request(`contentgen-tab-${msg.tab}`, () => dropPort(port));
      post(port, { op: 'ready' });
      return;
    }
    case 'watch': return watch(port, msg.sub, msg.jobId);
    case 'unwatch': return unwatch(msg.sub);
    case 'retry': return retry(msg.sub);
    case 'list': {
      const p = ports.get(port);
      if (!p) return;
      p.list = Boolean(msg.on);
      if (p.list && state === 'live') post(port, { op: 'connected' });
      if (p.list && state === 'closed') post(port, { op: 'closed' });
      if (p.list && !es && state !== 'closed') scheduleRebuild();
      return;
    }
    case 'bye': return dropPort(port);
  }
}

self.addEventListener('connect', (e) => {
  const port = e.ports[0];
  ports.set(port, { tab: null, subs: new Set(), list: false });
  port.addEventListener('message', (m) => onMessage(port, m.data));
  // Chromium tells a port's other side when its tab is gone; the lock above covers the rest.
  port.addEventListener('close', () => dropPort(port));
  port.start();
});
