// The "Recent jobs" list: newest first. Live from the connection all tabs share (shared-stream.js:
// an `event: job` for every job created or changed, and one GET /api/jobs after each (re)connect,
// and a slow safety reload while visible); without it, refreshed every few seconds while the page
// is visible. Also at once when the page asks.
import { api } from '/api.js';
import { watchJobList, setStreamOwner } from '/shared-stream.js';

const LIMIT = 20;

const POLL_MS = 4000;
const LIVE_RELOAD_MS = 15_000;
const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

function relativeTime(iso) {
  const secs = (Date.parse(iso) - Date.now()) / 1000;
  if (!Number.isFinite(secs)) return '';
  for (const [unit, size] of [['year', 31536000], ['month', 2592000], ['day', 86400], ['hour', 3600], ['minute', 60]]) {
    if (Math.abs(secs) >= size) return rtf.format(Math.round(secs / size), unit);
  }
  return 'just now';
}

function make(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/**
 * Starts the list in `list` (a <ul>) with `empty` for messages once `ready` (a promise: signed in)
 * resolves; `currentId()` is the job on screen.
 */
export function startHistory(list, empty, currentId, ready = Promise.resolve()) {
  let token = 0;
  let timer = 0;
  let live = false;
  let shown = [];
  let arrivals = 0;
  // Items from the stream since the last GET began, by job id: the GET may have been answered before them.
  const recent = new Map();

  async function load() {
    const mine = ++token;
    const since = ++arrivals;
    try {
      const page = await api(`/api/jobs?limit=${LIMIT}`, { retries: 1 });
      if (mine !== token) return;
      for (const [id, r] of recent) if (r.n < since) recent.delete(id);
      const jobs = (page?.jobs ?? []).filter((job) => !recent.has(job.id));
      for (const r of recent.values()) jobs.push({ ...(page?.jobs ?? []).find((j) => j.id === r.item.id), ...r.item });
      render(sortAndTrim(jobs));
    } catch (err) {
      if (mine !== token) return;
      empty.hidden = false;
      empty.textContent = `Could not load recent jobs: ${err.message}`;
    }
  }

  function sortAndTrim(jobs) {
    return jobs.sort((a, b) => (Date.parse(b.createdAt) || 0) - (Date.parse(a.createdAt) || 0)).slice(0, LIMIT);
  }

  /** An `event: job` item (a job created or changed): updated in place, or added in its place by age. */
  function upsert(raw) {
    const item = { ...raw, id: raw.id ?? raw.jobId };
    if (!item.id) return;
    recent.set(item.id, { n: ++arrivals, item });
    const old = shown.find((j) => j.id === item.id);
    render(sortAndTrim([...shown.filter((j) => j.id !== item.id), { ...old, ...item }]));
  }

  function render(jobs) {
    shown = jobs;
    empty.hidden = jobs.length > 0;
    empty.textContent = 'No jobs yet.';
    list.replaceChildren(...jobs.map((job) => {
      const badge = make('span', { className: 'badge', textContent: job.status });
      badge.dataset.status = job.status;
      const when = make('time', { className: 'muted', dateTime: job.createdAt, textContent: relativeTime(job.createdAt),
        title: new Date(job.createdAt).toLocaleString() });
      const link = make('a', { href: `/jobs/${encodeURIComponent(job.id)}` },
        badge, make('span', { className: 'topic', textContent: job.topic }), when);
      link.dataset.nav = '';
      const li = make('li', {}, link);
      li.dataset.jobId = job.id;
      li.dataset.status = job.status;
      return li;
    }));
    highlight();
  }

  function highlight() {
    for (const li of list.children) {
      const current = currentId() === li.dataset.jobId;
      li.classList.toggle('current', current);
      if (current) li.firstElementChild?.setAttribute('aria-current', 'page');
      else li.firstElementChild?.removeAttribute('aria-current');
    }
  }

  // Live, a visible tab still reloads now and then: a list item the node could not read (store outage) is
  // not sent again, and a revoked key's open stream goes on, where a refused GET signs the page out.
  function schedule() {
    clearTimeout(timer);
    const every = live ? (window.contentgenListReloadMs ?? LIVE_RELOAD_MS) : POLL_MS;
    if (document.visibilityState === 'visible') timer = setTimeout(() => load().finally(schedule), every);
  }

  // app.js opens a job's stream after `ready` too, but this runs first (registered first): the owner is known by then.
  ready.then((session) => {
    setStreamOwner(session?.owner);
    const shared = watchJobList({
      onItem: upsert,
      onConnected: () => { live = true; load().finally(schedule); },
      onClosed: () => { live = false; schedule(); },
      onFallback: () => { live = false; load().finally(schedule); },
    });
    live = shared;
    document.addEventListener('visibilitychange', () => {
      if (!live && document.visibilityState === 'visible') load();
      schedule();
    });
    load().finally(schedule);
  });
  return { refresh: load, highlight };
}
