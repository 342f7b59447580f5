// contentgen web UI: the form, the job view and the history list.
// The stream itself lives in stream.js; model output is only ever set as text.
import { openJobStream } from '/stream.js';

const $ = (sel) => document.querySelector(sel);
const ACTIVE = new Set(['pending', 'running', 'retrying']);
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const FINAL_HEADINGS = { article: 'Final article', thread: 'Final thread' };
const FORMAT_LABELS = { article: 'Article', 'social-thread': 'Social thread' };
const NOTICE_ORDER = ['shutdown', 'store', 'stream', 'slow'];

// Every element with an id, by camelCased id: #job-status → ui.jobStatus.
const ui = {};
for (const el of document.querySelectorAll('[id]')) ui[el.id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = el;
const finalText = $('#final-article .artifact-text');

let view = null;        // the job on screen: {id, job, status, cards, notices, stream, ...}
let submission = null;  // {key, body}: one Idempotency-Key per form submission
let creating = false;

// ---------- API ----------

class ApiError extends Error {
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || `Request failed (HTTP ${status})`);
    this.status = status;
    this.code = problem.code || (status ? `HTTP_${status}` : 'NETWORK_ERROR');
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** fetch + JSON + problem details; retries network errors and 503 (safe: GETs and idempotent POSTs). */
async function api(path, { method = 'GET', body, headers = {}, retries = 0 } = {}) {
  for (let attempt = 0; ; attempt++) {
    let res;
    try {
      res = await fetch(path, {
        method,
        headers: { Accept: 'application/json, application/problem+json',
          ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch {
      if (attempt < retries) { await sleep(400 * 2 ** attempt); continue; }
      throw new ApiError(0, { detail: 'Could not reach the server. Check your connection and try again.' });
    }
    if (res.status === 503 && attempt < retries) { await sleep(400 * 2 ** attempt); continue; }
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) throw new ApiError(res.status, data || {});
    return data;
  }
}

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // randomUUID needs a secure context; getRandomValues does not.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---------- small helpers ----------

function make(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function showError(message, code, { retry = false } = {}) {
  ui.error.hidden = !message;
  ui.errorMessage.textContent = message || '';
  ui.errorCode.textContent = code || '';
  ui.retryJob.hidden = !retry;
}

function formatDuration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  const pad = (n) => String(n).padStart(2, '0');
  return hms[0] ? `${hms[0]}:${pad(hms[1])}:${pad(hms[2])}` : `${hms[1]}:${pad(hms[2])}`;
}

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
function relativeTime(iso) {
  const secs = (Date.parse(iso) - Date.now()) / 1000;
  if (!Number.isFinite(secs)) return '';
  for (const [unit, size] of [['year', 31536000], ['month', 2592000], ['day', 86400], ['hour', 3600], ['minute', 60]]) {
    if (Math.abs(secs) >= size) return rtf.format(Math.round(secs / size), unit);
  }
  return 'just now';
}

function readForm() {
  return { topic: ui.topic.value.trim(), format: ui.format.value, tone: ui.tone.value, length: ui.length.value };
}

const updateCount = () => { ui.topicCount.textContent = `${ui.topic.value.length} / 500`; };

// ---------- creating jobs ----------

async function createJob(inputs, key) {
  if (creating) return;
  creating = true;
  ui.generate.disabled = ui.retryJob.disabled = true;
  showError(null);
  try {
    const job = await api('/api/jobs', { method: 'POST', body: inputs, headers: { 'Idempotency-Key': key }, retries: 2 });
    submission = null; // done: the next submission gets a new key
    history.pushState({}, '', `/jobs/${encodeURIComponent(job.id)}`);
    watch(job.id, job);
    loadHistory();
  } catch (err) {
    if (err.code === 'IDEMPOTENCY_KEY_REUSED') submission = null;
    showError(err.message, err.code);
  } finally {
    creating = false;
    ui.generate.disabled = ui.retryJob.disabled = false;
  }
}

ui.jobForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const inputs = readForm();
  if (!inputs.topic) { showError('Please enter a topic.', 'INVALID_FIELD'); ui.topic.focus(); return; }
  const body = JSON.stringify(inputs);
  // Same submission (double-click, retry after a network error) → same key → same job.
  if (!submission || submission.body !== body) submission = { key: newKey(), body };
  createJob(inputs, submission.key);
});

ui.topic.addEventListener('input', updateCount);
ui.topic.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) ui.jobForm.requestSubmit();
});

ui.retryJob.addEventListener('click', () => {
  const job = view?.job;
  if (!job) return;
  const inputs = { topic: job.topic, format: job.format, tone: job.tone, length: job.length };
  for (const [field, value] of Object.entries(inputs)) ui[field].value = value;
  updateCount();
  createJob(inputs, newKey()); // a retry is a NEW job with the same inputs
});

// ---------- the job view ----------

function stopView() {
  if (!view) return;
  view.stream?.close();
  clearInterval(view.timer);
  view = null;
}

function resetJobView(id) {
  ui.job.hidden = false;
  ui.emptyJob.hidden = true;
  ui.jobTopic.textContent = `Job ${id}`;
  ui.jobOptions.textContent = '';
  ui.progress.max = 1; ui.progress.value = 0;
  ui.progressLabel.textContent = 'Waiting to start…';
  ui.jobSummary.textContent = '';
  ui.finalArticle.hidden = true; finalText.textContent = '';
  ui.artifacts.replaceChildren();
  ui.elapsed.textContent = '0:00';
  ui.cancel.hidden = true; ui.cancel.disabled = false;
  renderNotice();
  renderConnection({ state: 'connecting' });
  setStatus(null);
  showError(null);
}

async function watch(id, job = null) {
  stopView();
  const v = view = { id, job, status: null, cards: new Map(), notices: {}, createdAt: null, endedAt: null };
  resetJobView(id);
  highlightHistory();
  if (!job) {
    try {
      v.job = await api(`/api/jobs/${encodeURIComponent(id)}`, { retries: 2 });
    } catch (err) {
      if (view !== v) return;
      if (err.status === 404) {
        stopView();
        ui.job.hidden = true; ui.emptyJob.hidden = false;
        showError('Job not found', err.code || 'JOB_NOT_FOUND');
        return;
      }
      showError(`Could not load the job: ${err.message}`, err.code); // the stream may still work
    }
    if (view !== v) return;
  }
  renderHeader(v);
  if (v.job?.status) setStatus(v.job.status);
  v.refreshOnEnd = !TERMINAL.has(v.job?.status); // the history changes only if it ends while we watch
  v.timer = setInterval(() => renderElapsed(v), 1000);
  v.stream = openJobStream(id, {
    onEvent: (type, data) => view === v && handleEvent(v, type, data),
    onStreamError: (err) => view === v && handleStreamError(v, err),
    onConnection: (c) => view === v && handleConnection(v, c),
    onSlow: (slow) => view === v && setNotice(v, 'slow', slow ? 'Still working — the model is slow…' : null),
  });
}

function renderHeader(v) {
  const job = v.job;
  if (!job) return;
  v.createdAt = Date.parse(job.createdAt) || v.createdAt;
  ui.jobTopic.textContent = job.topic;
  const attempt = job.attempt > 1 ? ` · attempt ${job.attempt}` : '';
  ui.jobOptions.textContent = `${FORMAT_LABELS[job.format] ?? job.format} · ${job.tone} · ${job.length}${attempt}`;
  document.title = `${job.topic.slice(0, 60)} — contentgen`;
}

function renderElapsed(v) {
  if (!v.createdAt) return;
  ui.elapsed.textContent = formatDuration((v.endedAt ?? Date.now()) - v.createdAt);
}

function setStatus(status) {
  ui.jobStatus.textContent = status ?? '';
  ui.jobStatus.dataset.status = status ?? '';
  ui.cancel.hidden = !ACTIVE.has(status);
}

function handleEvent(v, type, d) {
  if (d.jobId && d.jobId !== v.id) return;
  v.createdAt ||= Date.parse(d.at) || null;
  setNotice(v, 'store', null); // a durable event got through: the store is back
  switch (type) {
    case 'status': return onStatus(v, d);
    case 'progress':
      ui.progress.max = Math.max(1, d.total);
      ui.progress.value = d.index;
      ui.progressLabel.textContent = `Step ${d.index} of ${d.total} · ${d.label}`;
      return;
    case 'artifact.created': return card(v, d.artifactId, d.kind, d.title);
    case 'artifact.delta': return card(v, d.artifactId).text.append(d.text);
    case 'artifact.completed': return completeCard(v, d.artifactId, d.kind, d.title, d.content);
    case 'artifact.discarded': return discardCard(v, d.artifactId, d.reason);
    case 'snapshot': return applySnapshot(v, d);
  }
}

function onStatus(v, d) {
  v.status = d.status;
  if (v.job) { v.job.status = d.status; v.job.attempt = d.attempt ?? v.job.attempt; renderHeader(v); }
  setStatus(d.status);
  if (d.status === 'failed') {
    const err = d.error ?? {};
    showError(err.message || 'The job failed.', err.code, { retry: true });
  }
  if (!TERMINAL.has(d.status)) return;
  v.endedAt = Date.parse(d.at) || Date.now();
  renderElapsed(v);
  if (d.status === 'completed') ui.progress.value = ui.progress.max;
  if (d.status === 'cancelled') ui.progressLabel.textContent = 'Cancelled';
  if (d.summary && typeof d.summary === 'object') {
    ui.jobSummary.textContent = Object.entries(d.summary).map(([k, val]) => `${k}: ${val}`).join(' · ');
  }
  if (v.refreshOnEnd) { v.refreshOnEnd = false; loadHistory(); }
}

function handleStreamError(v, err) {
  if (err.code === 'STORE_UNAVAILABLE') setNotice(v, 'store', 'The database is unavailable; retrying…');
  else if (err.code === 'SERVER_SHUTTING_DOWN') setNotice(v, 'shutdown', 'Server restarting — reconnecting…');
  else if (err.code === 'JOB_NOT_FOUND') showError('Job not found', err.code);
  else setNotice(v, 'stream', `${err.message || 'Stream error'} (${err.code})`);
}

function handleConnection(v, c) {
  if (c.state === 'live') setNotice(v, 'shutdown', null);
  if (c.state === 'closed') setNotice(v, 'slow', null);
  renderConnection(c);
}

function renderConnection(c) {
  const text = { live: 'live', connecting: 'connecting…', closed: 'closed',
    reconnecting: `reconnecting (attempt ${c.attempt})` }[c.state] ?? c.state;
  ui.connectionBox.dataset.state = c.state;
  ui.connection.textContent = text;
  ui.connectionDetail.textContent = c.message || (c.terminal ? '— stream finished' : '');
  ui.retryStream.hidden = !(c.state === 'closed' && c.canRetry);
}

function setNotice(v, kind, text) {
  if (text) v.notices[kind] = text; else delete v.notices[kind];
  renderNotice(v);
}

function renderNotice(v = null) {
  const kind = v && NOTICE_ORDER.find((k) => v.notices[k]);
  ui.notice.textContent = kind ? v.notices[kind] : '';
  ui.notice.dataset.kind = kind || '';
}

// ---------- artifact cards ----------

function card(v, id, kind = 'artifact', title = '') {
  let c = v.cards.get(id);
  if (c) return c;
  const text = make('div', { className: 'artifact-text' });
  const state = make('span', { className: 'artifact-state' });
  const heading = make('h4', { className: 'artifact-title', textContent: title || kind });
  const el = make('article', { className: 'artifact' },
    make('header', {}, make('span', { className: 'kind', textContent: kind }), heading, state), text);
  el.dataset.artifactId = id;
  el.dataset.kind = kind;
  c = { el, text, state, heading, kind };
  v.cards.set(id, c);
  setCardStatus(c, 'streaming');
  ui.artifacts.append(el);
  return c;
}

function setCardStatus(c, status, label = status === 'streaming' ? 'writing…' : status) {
  c.el.dataset.status = status;
  c.state.textContent = label;
}

function completeCard(v, id, kind, title, content) {
  const c = card(v, id, kind, title);
  if (title) c.heading.textContent = title;
  c.text.textContent = content ?? '';
  setCardStatus(c, 'completed', 'done');
  if (FINAL_HEADINGS[kind ?? c.kind]) showFinal(kind ?? c.kind, content ?? '');
}

function discardCard(v, id, reason) {
  const c = card(v, id);
  c.text.textContent = '';
  setCardStatus(c, 'discarded', 'discarded — regenerating');
  c.el.title = reason ? `Discarded: ${reason}` : 'Discarded';
}

function showFinal(kind, content) {
  ui.finalArticle.hidden = false;
  ui.finalHeading.textContent = FINAL_HEADINGS[kind];
  finalText.textContent = content;
}

/** A `snapshot` stands for the job's state at its seq (after log compaction). */
function applySnapshot(v, d) {
  const s = d.job ?? d;
  v.cards.clear();
  ui.artifacts.replaceChildren();
  for (const a of s.artifacts ?? []) {
    if (a.status === 'completed') completeCard(v, a.id, a.kind, a.title, a.content);
    else if (a.status === 'discarded') { card(v, a.id, a.kind, a.title); discardCard(v, a.id); }
    else card(v, a.id, a.kind, a.title).text.textContent = a.content ?? '';
  }
  if (s.status) onStatus(v, { ...s, at: d.at });
}

ui.copyMarkdown.addEventListener('click', async () => {
  const markdown = finalText.textContent;
  try {
    await navigator.clipboard.writeText(markdown);
  } catch {
    const area = make('textarea', { value: markdown });
    document.body.append(area); area.select(); document.execCommand('copy'); area.remove();
  }
  ui.copyMarkdown.textContent = 'Copied!';
  setTimeout(() => { ui.copyMarkdown.textContent = 'Copy Markdown'; }, 1500);
});

ui.cancel.addEventListener('click', async () => {
  const v = view;
  if (!v) return;
  ui.cancel.disabled = true;
  try {
    await api(`/api/jobs/${encodeURIComponent(v.id)}/cancel`, { method: 'POST', retries: 2 });
    // the `status: cancelled` event arrives on the stream
  } catch (err) {
    if (view === v) { ui.cancel.disabled = false; showError(err.message, err.code); }
  }
});

ui.retryStream.addEventListener('click', () => view?.stream?.retry());

// ---------- history ----------

let historyToken = 0;
async function loadHistory() {
  const token = ++historyToken;
  try {
    const page = await api('/api/jobs?limit=20', { retries: 1 });
    if (token === historyToken) renderHistory(page?.jobs ?? []);
  } catch (err) {
    if (token !== historyToken) return;
    ui.historyEmpty.hidden = false;
    ui.historyEmpty.textContent = `Could not load recent jobs: ${err.message}`;
  }
}

function renderHistory(jobs) {
  ui.historyEmpty.hidden = jobs.length > 0;
  ui.historyEmpty.textContent = 'No jobs yet.';
  ui.history.replaceChildren(...jobs.map((job) => {
    const badge = make('span', { className: 'badge', textContent: job.status });
    badge.dataset.status = job.status;
    const when = make('time', { className: 'muted', dateTime: job.createdAt, textContent: relativeTime(job.createdAt) });
    const link = make('a', { href: `/jobs/${encodeURIComponent(job.id)}` },
      badge, make('span', { className: 'topic', textContent: job.topic }), when);
    link.dataset.nav = '';
    const li = make('li', {}, link);
    li.dataset.jobId = job.id;
    return li;
  }));
  highlightHistory();
}

function highlightHistory() {
  for (const li of ui.history.children) {
    const current = view?.id === li.dataset.jobId;
    li.classList.toggle('current', current);
    if (current) li.firstElementChild?.setAttribute('aria-current', 'page');
    else li.firstElementChild?.removeAttribute('aria-current');
  }
}

ui.historyRefresh.addEventListener('click', loadHistory);

// ---------- routing ----------

function route() {
  const match = location.pathname.match(/^\/jobs\/([^/]+)\/?$/);
  if (match) return watch(decodeURIComponent(match[1]));
  stopView();
  ui.job.hidden = true;
  ui.emptyJob.hidden = false;
  document.title = 'contentgen';
  highlightHistory();
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-nav]');
  if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  if (a.pathname === location.pathname) return; // already showing it
  history.pushState({}, '', a.pathname);
  route();
});

window.addEventListener('popstate', route);

updateCount();
route();
loadHistory();
