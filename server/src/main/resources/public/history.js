// The "Recent jobs" list: newest first, refreshed every few seconds while the page is
// visible (one cheap GET /api/jobs), and at once when the page asks (a job started or ended).
// It can be filtered by status and searched by topic; the server filters (the list is paged, so
// filtering only what the page holds would miss jobs). upsertJob(job) puts one job into the list
// as it is shown now (inserted in order, updated in place, or dropped when it no longer matches),
// for anything that learns of a job's change without loading the list.
import { api } from '/api.js';

const POLL_MS = 4000;
const LIMIT = 20;
const SEARCH_DELAY_MS = 250;
let started = null; // the list startHistory made: upsertJob goes to it
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

/** Puts `job` (a job as GET /api/jobs lists it) into the recent-jobs list; nothing before the list started. */
export function upsertJob(job) {
  started?.upsertJob(job);
}

/**
 * Starts the list in `list` (a <ul>) with `empty` for messages once `ready` (a promise: signed in)
 * resolves; `currentId()` is the job on screen. `filter` holds the search box (`q`), the status
 * select (`status`: comma-separated statuses, empty for all) and `result` (a live region that
 * says how many jobs match after the filter changed).
 */
export function startHistory(list, empty, currentId, ready = Promise.resolve(), filter = null) {
  let token = 0;
  let timer = 0;
  let searchTimer = 0;
  let announce = false; // say the count once the load that the filter's change started has answered

  function wanted() {
    const q = filter?.q.value.trim() ?? '';
    const statuses = (filter?.status.value ?? '').split(',').filter(Boolean);
    return { q, statuses };
  }

  function query({ q, statuses }) {
    const params = new URLSearchParams({ limit: String(LIMIT) });
    if (statuses.length) params.set('status', statuses.join(','));
    if (q) params.set('q', q);
    return `/api/jobs?${params}`;
  }

  function matches(job, { q, statuses }) {
    return (!statuses.length || statuses.includes(job.status)) && (!q || job.topic.toLowerCase().includes(q.toLowerCase()));
  }

  async function load() {
    const mine = ++token;
    const now = wanted();
    try {
      const page = await api(query(now), { retries: 1 });
      if (mine === token) render(page?.jobs ?? [], now);
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

  /** The item's texts as `job` has them, in the same elements (so focus stays where it is). */
  function update(li, job) {
    const badge = li.querySelector('.badge');
    if (li.dataset.status !== job.status) {
      li.dataset.status = badge.dataset.status = badge.textContent = job.status;
    }
    const topic = li.querySelector('.topic');
    if (topic.textContent !== job.topic) topic.textContent = job.topic;
    li.querySelector('time').textContent = relativeTime(job.createdAt);
  }

  function render(jobs, now) {
    place(jobs);
    showEmpty(now);
    highlight();
    if (announce && filter) {
      announce = false;
      const n = list.children.length;
      filter.result.textContent = n === 0 ? 'No jobs match.' : n === 1 ? '1 job matches.' : `${n === LIMIT ? `${n}+` : n} jobs match.`;
    }
  }

  function showEmpty({ q, statuses }) {
    empty.hidden = list.children.length > 0;
    empty.textContent = q || statuses.length ? 'No jobs match this search.' : 'No jobs yet.';
  }

  /**
   * Makes the list show `jobs` in order, keeping each unchanged item's element where it is: a poll
   * must not take the keyboard focus off the link a person is on.
   */
  function place(jobs) {
    const ids = new Set(jobs.map((job) => job.id));
    for (const li of [...list.children]) if (!ids.has(li.dataset.jobId)) li.remove(); // first: the rest then never moves
    const existing = new Map([...list.children].map((li) => [li.dataset.jobId, li]));
    jobs.forEach((job, i) => {
      let li = existing.get(job.id);
      if (li) update(li, job);
      else li = item(job);
      if (list.children[i] !== li) list.insertBefore(li, list.children[i] ?? null);
    });
  }

  function upsertJob(job) {
    const now = wanted();
    const old = [...list.children].find((li) => li.dataset.jobId === job.id);
    if (!matches(job, now)) {
      old?.remove();
    } else if (old) {
      update(old, job);
    } else {
      // Ids are time-ordered (UUIDv7): newest first is the larger id first.
      const after = [...list.children].find((li) => li.dataset.jobId < job.id);
      list.insertBefore(item(job), after ?? null);
      if (list.children.length > LIMIT) list.lastElementChild.remove();
    }
    showEmpty(now);
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
    if (document.visibilityState === 'visible') timer = setTimeout(() => load().finally(schedule), POLL_MS);
  }

  function filterChanged() {
    announce = true;
    load();
  }

  ready.then(() => {
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') load();
      schedule();
    });
    if (filter) {
      filter.form.addEventListener('submit', (e) => { e.preventDefault(); clearTimeout(searchTimer); filterChanged(); });
      filter.q.addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(filterChanged, SEARCH_DELAY_MS); });
      filter.status.addEventListener('change', filterChanged);
    }
    load().finally(schedule);
  });
  started = { refresh: load, highlight, upsertJob };
  return started;
}
