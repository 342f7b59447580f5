// The "Recent jobs" list: newest first, refreshed every few seconds while the page is
// visible (one cheap GET /api/jobs), and at once when the page asks (a job started or ended).
import { api } from '/api.js';
import { followJobList } from '/live-list.js';

const POLL_MS = 4000;
// Live from the shared stream (live-list.js), a visible tab still reloads now and then: an item the
// node could not read (store outage) is not sent again, and a refused GET is how a revoked key is noticed.
const LIVE_RELOAD_MS = 10_000;
const LIMIT = 20;
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

  async function load() {
    const mine = ++token;
    try {
      const page = await api(`/api/jobs?limit=${LIMIT}`, { retries: 1 });
      if (mine === token) render(page?.jobs ?? []);
    } catch (err) {
      if (mine !== token) return;
      empty.hidden = false;
      empty.textContent = `Could not load recent jobs: ${err.message}`;
    }
  }

  function item(job) {
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
  }

  function render(jobs) {
    empty.hidden = jobs.length > 0;
    empty.textContent = 'No jobs yet.';
    list.replaceChildren(...jobs.map(item));
    highlight();
  }

  /** Puts `job` (as GET /api/jobs lists it) into the list: updated in place, or inserted newest first. */
  function upsertJob(job) {
    const li = item(job);
    const old = [...list.children].find((el) => el.dataset.jobId === job.id);
    if (old) {
      old.replaceWith(li);
    } else {
      // Ids are time-ordered (UUIDv7): newest first is the larger id first.
      list.insertBefore(li, [...list.children].find((el) => el.dataset.jobId < job.id) ?? null);
      if (list.children.length > LIMIT) list.lastElementChild.remove();
    }
    empty.hidden = list.children.length > 0;
    empty.textContent = 'No jobs yet.';
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

  function schedule() {
    clearTimeout(timer);
    const every = live ? (window.contentgenListReloadMs ?? LIVE_RELOAD_MS) : POLL_MS;
    if (document.visibilityState === 'visible') timer = setTimeout(() => load().finally(schedule), every);
  }

  ready.then((session) => {
    live = followJobList({ refresh: load, upsertJob, setLive: (on) => { live = on; schedule(); } }, session);
    document.addEventListener('visibilitychange', () => {
      if (!live && document.visibilityState === 'visible') load();
      schedule();
    });
    load().finally(schedule);
  });
  return { refresh: load, highlight };
}
