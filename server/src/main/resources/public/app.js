// contentgen web UI: the form and the job view. The stream lives in stream.js, the history
// list in history.js; model output becomes markup only through markdown.js (escaped, sanitized).
import { api, newKey } from '/api.js';
import { openJobStream } from '/stream.js';
import { startHistory } from '/history.js';
import { renderMarkdown, htmlDocument } from '/markdown.js';
import { requireSession } from '/signin.js';
import { startModelPicker } from '/models.js';
import { nestHeadings } from '/headings.js';
import { startRevisions } from '/revisions.js';
import { jobUsage } from '/usage.js';
import { watchWebhooks } from '/webhooks.js';

const ACTIVE = new Set(['pending', 'running', 'retrying']);
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
// Filled from GET /api/formats: the server's formats are data, so the UI lists whatever it loaded.
const FINAL_HEADINGS = {}; // the final artifact's kind → its box's heading ("thread" → "Final thread")
const FORMAT_LABELS = {};
const NOTICE_ORDER = ['shutdown', 'store', 'stream', 'slow', 'ended'];
const RENDER_EVERY_MS = 80;

// Every element with an id, by camelCased id: #job-status → ui.jobStatus.
const ui = {};
for (const el of document.querySelectorAll('[id]')) ui[el.id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = el;

let view = null;        // the job on screen: {id, job, status, cards, notices, stream, final, ...}
let submission = null;  // {key, body}: one Idempotency-Key per form submission
let creating = false;
let models = { choice: () => ({}) }; // the provider and model pickers, once GET /api/providers answered
// A node with keys shows its sign-in first; nothing is loaded before it (local mode: at once). The form's
// handlers are attached right away regardless, so a quick Enter never falls through to a native submit.
const signedIn = requireSession(ui);
const history = startHistory(ui.history, ui.historyEmpty, () => view?.id, signedIn,
  { form: ui.historyFilter, q: ui.historyQ, status: ui.historyStatus, result: ui.historyResult });
const revisions = startRevisions(ui.revisions, ui.artifacts, (job) => {
  window.history.pushState({}, '', `/jobs/${encodeURIComponent(job.id)}`);
  watch(job.id, job);
  ui.jobTopic.focus();
  history.refresh();
});

// ---------- small helpers ----------

function make(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function showError(message, code) {
  ui.error.hidden = !message;
  ui.errorMessage.textContent = message || '';
  ui.errorCode.textContent = code || '';
}

function formatDuration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  const pad = (n) => String(n).padStart(2, '0');
  return hms[0] ? `${hms[0]}:${pad(hms[1])}:${pad(hms[2])}` : `${hms[1]}:${pad(hms[2])}`;
}

const countWords = (text) => (text.match(/\S+/g) ?? []).length;

function readForm() {
  return { topic: ui.topic.value.trim(), format: ui.format.value || undefined, tone: ui.tone.value, length: ui.length.value,
    audience: ui.audience.value.trim(), ...models.choice() };
}

const updateCount = () => { ui.topicCount.textContent = `${ui.topic.value.length} / 500`; };

// ---------- creating jobs ----------

async function createJob(inputs, key) {
  if (creating) return;
  creating = true;
  ui.generate.disabled = ui.retryJob.disabled = true;
  showError(null);
  try {
    const body = { ...inputs };
    if (!body.audience) delete body.audience;
    const job = await api('/api/jobs', { method: 'POST', body, headers: { 'Idempotency-Key': key }, retries: 2 });
    submission = null; // done: the next submission gets a new key
    window.history.pushState({}, '', `/jobs/${encodeURIComponent(job.id)}`);
    watch(job.id, job);
    ui.jobTopic.focus();
    history.refresh();
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
  const inputs = { topic: job.topic, format: job.format, tone: job.tone, length: job.length, audience: job.audience ?? '' };
  for (const [field, value] of Object.entries(inputs)) ui[field].value = value;
  updateCount();
  // a retry is a NEW job with the same inputs, on the same provider and model (the pickers stay as they are)
  createJob({ ...inputs, provider: job.provider, model: job.model }, newKey());
});

// ---------- the job view ----------

function stopView() {
  if (!view) return;
  view.stream?.close();
  view.usage?.stop();
  view.webhooks?.stop();
  clearInterval(view.timer);
  clearTimeout(view.renderTimer);
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
  ui.finalArticle.hidden = true;
  ui.finalRendered.replaceChildren(); ui.finalSource.textContent = '';
  showSource(false);
  ui.artifacts.replaceChildren();
  ui.elapsed.textContent = '0:00';
  ui.wordCount.textContent = '0';
  ui.cancel.hidden = true; ui.cancel.disabled = false;
  ui.jobError.hidden = true;
  renderNotice();
  renderConnection({ state: 'connecting' });
  setStatus(null);
  showError(null);
}

async function watch(id, job = null) {
  stopView();
  const v = view = { id, job, status: null, cards: new Map(), dirty: new Set(), notices: {}, createdAt: null, endedAt: null };
  resetJobView(id);
  revisions.show(id);
  history.highlight();
  if (!job) {
    try {
      v.job = await api(`/api/jobs/${encodeURIComponent(id)}`, { retries: 2 });
    } catch (err) {
      if (view !== v) return;
      if (err.status === 404) {
        stopView();
        ui.job.hidden = true; ui.emptyJob.hidden = false;
        showError('Job not found. It may have been created on another server, or the link is wrong.', err.code || 'JOB_NOT_FOUND');
        return;
      }
      showError(`Could not load the job: ${err.message}`, err.code); // the stream may still work
    }
    if (view !== v) return;
  }
  renderHeader(v);
  if (v.job?.status) setStatus(v.job.status);
  v.timer = setInterval(() => renderElapsed(v), 1000);
  v.usage = jobUsage(id);
  v.webhooks = watchWebhooks(ui.webhooks, id);
  v.stream = openJobStream(id, {
    onEvent: (type, data) => { if (view === v) { handleEvent(v, type, data); revisions.onEvent(id, type, data); } },
    onStreamError: (err) => view === v && handleStreamError(v, err),
    onConnection: (c) => view === v && handleConnection(v, c),
    onSlow: (slow) => view === v && setNotice(v, 'slow', slow ? 'Still working — the model is slow. Nothing is lost; the text continues when it answers.' : null),
  }, { slowAfterMs: window.contentgenSlowAfterMs });
}

function renderHeader(v) {
  const job = v.job;
  if (!job) return;
  v.createdAt = Date.parse(job.createdAt) || v.createdAt;
  ui.jobTopic.textContent = job.topic;
  const parts = [FORMAT_LABELS[job.format] ?? job.format, job.tone, job.length];
  if (job.audience) parts.push(`for ${job.audience}`);
  if (job.attempt > 1) parts.push(`attempt ${job.attempt}`);
  ui.jobOptions.textContent = parts.join(' · ');
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
  v.usage?.onEvent(type, d);
  switch (type) {
    case 'status': return onStatus(v, d);
    case 'progress':
      ui.progress.max = Math.max(1, d.total);
      ui.progress.value = d.index;
      ui.progressLabel.textContent = `Step ${d.index} of ${d.total} · ${d.label}`;
      return;
    case 'artifact.created': return card(v, d.artifactId, d.kind, d.title);
    case 'artifact.delta': return grow(v, card(v, d.artifactId), d.text);
    case 'artifact.completed': return completeCard(v, d.artifactId, d.kind, d.title, d.content);
    case 'artifact.discarded': return discardCard(v, d.artifactId, d.reason);
    case 'snapshot': return applySnapshot(v, d);
  }
}

function onStatus(v, d) {
  const changed = v.status !== d.status;
  v.status = d.status;
  if (v.job) { v.job.status = d.status; v.job.attempt = d.attempt ?? v.job.attempt; renderHeader(v); }
  setStatus(d.status);
  if (changed) history.refresh();
  if (d.status === 'failed') {
    const err = d.error ?? {};
    ui.jobErrorMessage.textContent = err.message || 'The job failed.';
    ui.jobErrorCode.textContent = err.code || '';
    ui.jobError.hidden = false;
  }
  if (!TERMINAL.has(d.status)) return;
  v.endedAt = Date.parse(d.at) || Date.now();
  renderElapsed(v);
  if (d.status === 'completed') {
    ui.progress.value = ui.progress.max;
    ui.progressLabel.textContent = 'Done';
  }
  if (d.status === 'cancelled') {
    ui.progressLabel.textContent = 'Cancelled';
    setNotice(v, 'ended', 'This job was cancelled. The steps it finished are kept below.');
  }
  if (d.summary && typeof d.summary === 'object') {
    // Tokens and cost have their own line (usage.js).
    ui.jobSummary.textContent = Object.entries(d.summary).filter(([k]) => !['title', 'inputTokens', 'outputTokens', 'costUsd'].includes(k))
      .map(([k, val]) => (k === 'durationMs' ? `took ${formatDuration(val)}` : `${k}: ${val}`)).join(' · ');
  }
}

function handleStreamError(v, err) {
  if (err.code === 'STORE_UNAVAILABLE') setNotice(v, 'store', 'The database is unavailable; retrying…');
  else if (err.code === 'TOO_MANY_STREAMS') setNotice(v, 'store', 'Too many open streams for your key (other tabs count too). Close one; this one retries by itself.');
  else if (err.code === 'SERVER_SHUTTING_DOWN') setNotice(v, 'shutdown', 'The server is restarting — reconnecting by itself; nothing is lost.');
  else if (err.code === 'JOB_NOT_FOUND') showError('Job not found', err.code);
  else if (err.code === 'JOB_DELETED') setNotice(v, 'ended', 'This job was deleted; its text is gone from the server.');
  else setNotice(v, 'stream', `${err.message || 'Stream error'} (${err.code})`);
}

function handleConnection(v, c) {
  if (c.state === 'live') { setNotice(v, 'shutdown', null); setNotice(v, 'stream', null); }
  if (c.state === 'closed') {
    setNotice(v, 'slow', null);
    setNotice(v, 'shutdown', null);
    if (c.canRetry) setNotice(v, 'stream', 'Press “Retry connection” to resume where the stream stopped. It never starts a new job.');
  }
  renderConnection(c);
}

function renderConnection(c) {
  const text = { live: 'live', connecting: 'connecting…', closed: 'closed',
    reconnecting: `reconnecting… (attempt ${c.attempt})` }[c.state] ?? c.state;
  ui.connectionBox.dataset.state = c.state;
  ui.connection.textContent = text;
  ui.connectionDetail.textContent = c.message ? `— ${c.message}` : (c.terminal ? '— stream finished' : '');
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
  const heading = make('h4', { className: 'artifact-title', textContent: title || kind, id: `artifact-title-${id}` });
  // The text scrolls when long: focusable (a named region) so the keyboard can scroll it too.
  const text = make('div', { className: 'artifact-text markdown', tabIndex: 0 });
  text.setAttribute('role', 'region');
  text.setAttribute('aria-labelledby', heading.id);
  const state = make('span', { className: 'artifact-state' });
  const el = make('article', { className: 'artifact' },
    make('header', {}, make('span', { className: 'kind', textContent: kind }), heading, state), text);
  el.dataset.artifactId = id;
  el.dataset.kind = kind;
  c = { el, text, state, heading, kind, raw: '' };
  v.cards.set(id, c);
  setCardStatus(c, 'streaming');
  ui.artifacts.append(el);
  return c;
}

/** Deltas only mark the card; it is re-rendered as Markdown at most every RENDER_EVERY_MS. */
function grow(v, c, text) {
  c.raw += text;
  v.dirty.add(c);
  v.renderTimer ||= setTimeout(() => flush(v), RENDER_EVERY_MS);
}

function flush(v) {
  v.renderTimer = 0;
  for (const c of v.dirty) { renderMarkdown(c.text, c.raw); nestHeadings(c.text, 4); } // under the card's <h4>
  v.dirty.clear();
  let words = 0;
  for (const c of v.cards.values()) {
    if (c.el.dataset.status !== 'discarded' && !FINAL_HEADINGS[c.kind]) words += countWords(c.raw);
  }
  ui.wordCount.textContent = words.toLocaleString('en');
}

function setCardStatus(c, status, label = status === 'streaming' ? 'writing…' : status) {
  c.el.dataset.status = status;
  c.state.textContent = label;
}

function completeCard(v, id, kind, title, content) {
  const c = card(v, id, kind, title);
  if (title) c.heading.textContent = title;
  c.raw = content ?? '';
  setCardStatus(c, 'completed', 'done');
  v.dirty.add(c);
  flush(v);
  if (FINAL_HEADINGS[kind ?? c.kind]) {
    // The finished piece is shown once, in the final box; its step's card stays in the DOM, hidden.
    c.el.hidden = true;
    showFinal(v, kind ?? c.kind, title, content ?? '');
  }
}

function discardCard(v, id, reason) {
  const c = card(v, id);
  c.raw = '';
  c.text.replaceChildren();
  v.dirty.delete(c);
  setCardStatus(c, 'discarded', reason ? `discarded — ${reason}` : 'discarded');
  flush(v);
}

function showFinal(v, kind, title, content) {
  v.final = { title: title || v.job?.topic || 'article', content };
  ui.finalArticle.hidden = false;
  ui.finalHeading.textContent = FINAL_HEADINGS[kind];
  renderMarkdown(ui.finalRendered, content);
  nestHeadings(ui.finalRendered, 3); // under the box's <h3>
  ui.finalSource.textContent = content;
}

/**
 * A `snapshot` stands for every event of the job up to its seq (the server compacted them away):
 * the page is redrawn as if it had seen those events — progress, artifacts, status.
 */
function applySnapshot(v, d) {
  v.cards.clear();
  ui.artifacts.replaceChildren();
  if (d.progress) handleEvent(v, 'progress', { ...d.progress, jobId: d.jobId, at: d.at });
  for (const a of d.artifacts ?? []) {
    if (a.status === 'completed') completeCard(v, a.id, a.kind, a.title, a.content);
    else if (a.status === 'discarded') { card(v, a.id, a.kind, a.title); discardCard(v, a.id); }
    else grow(v, card(v, a.id, a.kind, a.title), a.content ?? '');
  }
  if (d.status) onStatus(v, { ...d.status, at: d.at });
}

// ---------- finished article: copy, download, source ----------

function showSource(on) {
  ui.finalSource.hidden = !on;
  ui.finalRendered.hidden = on;
  ui.toggleSource.setAttribute('aria-pressed', String(on));
  ui.toggleSource.textContent = on ? 'Show rendered' : 'Show Markdown';
}

ui.toggleSource.addEventListener('click', () => showSource(ui.finalSource.hidden));

ui.copyMarkdown.addEventListener('click', async () => {
  const markdown = view?.final?.content ?? '';
  try {
    await navigator.clipboard.writeText(markdown);
  } catch {
    const area = make('textarea', { value: markdown });
    document.body.append(area); area.select(); document.execCommand('copy'); area.remove();
  }
  ui.copyMarkdown.textContent = 'Copied!';
  ui.copyStatus.textContent = 'Markdown copied to the clipboard.';
  setTimeout(() => { ui.copyMarkdown.textContent = 'Copy Markdown'; ui.copyStatus.textContent = ''; }, 1500);
});

function fileName(ext) {
  const base = (view?.job?.topic ?? view?.final?.title ?? 'article').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${base || 'article'}.${ext}`;
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = make('a', { href: url, download: name });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

ui.downloadMd.addEventListener('click', () => {
  if (view?.final) download(fileName('md'), 'text/markdown;charset=utf-8', view.final.content);
});

ui.downloadHtml.addEventListener('click', () => {
  if (view?.final) download(fileName('html'), 'text/html;charset=utf-8', htmlDocument(view.final.title, view.final.content));
});

// ---------- cancel and stream retry ----------

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
ui.historyRefresh.addEventListener('click', () => history.refresh());

// ---------- formats ----------

async function loadFormats() {
  try {
    const list = await api('/api/formats', { retries: 2 });
    const options = list.formats.map((f) => {
      FORMAT_LABELS[f.name] = f.label;
      FINAL_HEADINGS[f.assembly.kind] = `Final ${f.assembly.kind.replace(/-/g, ' ')}`;
      return make('option', { value: f.name, textContent: f.label, title: f.description, selected: f.name === list.defaultFormat });
    });
    ui.format.replaceChildren(...options);
  } catch {
    // Without the list the server's default format still works: the field is left out of the request.
    ui.format.replaceChildren(make('option', { value: '', textContent: 'Default (the server did not list its formats)' }));
  }
}

// ---------- routing ----------

function route() {
  const match = location.pathname.match(/^\/jobs\/([^/]+)\/?$/);
  if (match) return watch(decodeURIComponent(match[1]));
  stopView();
  ui.job.hidden = true;
  ui.emptyJob.hidden = false;
  document.title = 'contentgen';
  history.highlight();
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-nav]');
  if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  if (a.pathname === location.pathname) return; // already showing it
  window.history.pushState({}, '', a.pathname);
  route();
  if (!ui.job.hidden) ui.jobTopic.focus();
});

window.addEventListener('popstate', route);

updateCount();
signedIn.then(async () => {
  startModelPicker(ui.provider, ui.model, ui.providerNote).then((picker) => { models = picker; });
  await loadFormats();
  route();
});
