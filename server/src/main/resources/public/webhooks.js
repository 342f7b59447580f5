// A job's webhook deliveries on its page: each delivery (its webhook-id, event, state) with every
// attempt (when, HTTP status or error, duration), and a button to deliver it again. Polled while a
// delivery is still under way or the job has not ended yet; hidden for a job without a webhook.
import { api } from '/api.js';

const POLL_MS = 2000;
const UNDER_WAY = new Set(['pending', 'sending']);

function make(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function when(iso) {
  const at = new Date(iso);
  return make('time', { dateTime: iso, textContent: at.toLocaleTimeString(), title: at.toLocaleString() });
}

/** Shows job `jobId`'s deliveries in `section` (a hidden element); returns {refresh, stop}. */
export function watchWebhooks(section, jobId) {
  let stopped = false;
  let timer = 0;
  let token = 0;
  const path = `/api/jobs/${encodeURIComponent(jobId)}/webhooks`;
  section.hidden = true;
  section.replaceChildren();

  async function refresh() {
    clearTimeout(timer);
    const mine = ++token;
    let listing;
    try {
      listing = await api(path, { retries: 1 });
    } catch (err) {
      if (stopped || mine !== token) return;
      // A job without a webhook never shows the section; a failed poll keeps the last view and retries.
      if (!section.hidden) section.querySelector('.webhook-note').textContent = `Could not refresh: ${err.message}`;
      timer = setTimeout(refresh, POLL_MS * 2);
      return;
    }
    if (stopped || mine !== token) return;
    render(listing);
    const deliveries = listing.deliveries ?? [];
    const ended = deliveries.some((d) => d.type.startsWith('job.'));
    if (listing.endpoint && (!ended || deliveries.some((d) => UNDER_WAY.has(d.state)))) timer = setTimeout(refresh, POLL_MS);
  }

  async function redeliver(button, deliveryId) {
    button.disabled = true;
    try {
      await api(`${path}/${encodeURIComponent(deliveryId)}/redeliver`, { method: 'POST' });
    } catch (err) {
      section.querySelector('.webhook-note').textContent = `Redelivery refused: ${err.message}`;
    }
    refresh();
  }

  function render(listing) {
    if (!listing.endpoint) { section.hidden = true; return; }
    section.hidden = false;
    const e = listing.endpoint;
    const head = make('p', { className: 'muted' }, 'To ', make('code', { textContent: e.url }),
      e.steps ? ' — the job\'s end and each step' : ' — the job\'s end',
      e.keyId ? ` (the default webhook of key ${e.keyId})` : '');
    const list = make('ol', { className: 'webhook-deliveries' });
    for (const d of listing.deliveries ?? []) {
      const badge = make('span', { className: 'badge', textContent: d.state });
      badge.dataset.status = d.state;
      const title = make('div', { className: 'webhook-delivery-head' }, badge, make('strong', { textContent: d.type }),
        make('code', { className: 'muted', textContent: d.id, title: 'webhook-id' }),
        make('span', { className: 'muted', textContent: `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}` }));
      if (d.nextAttemptAt) title.append(make('span', { className: 'muted' }, 'next ', when(d.nextAttemptAt)));
      // Any delivery but one in flight may be sent again now (a pending one skips its backoff).
      if (d.state !== 'sending') {
        const again = make('button', { type: 'button', className: 'ghost', textContent: 'Redeliver' });
        again.addEventListener('click', () => redeliver(again, d.id));
        title.append(again);
      }
      const attempts = make('table', { className: 'webhook-attempts' },
        make('thead', {}, make('tr', {}, ...['#', 'Started', 'Result', 'Duration'].map((h) => make('th', { scope: 'col', textContent: h })))),
        make('tbody', {}, ...(d.attemptLog ?? []).map((a) => {
          const row = make('tr', {}, make('td', { textContent: String(a.number) }), make('td', {}, when(a.startedAt)),
            make('td', { className: 'webhook-result', textContent: a.httpStatus != null ? `HTTP ${a.httpStatus}` : a.error ?? '' }),
            make('td', { textContent: `${a.durationMs} ms` }));
          row.dataset.ok = String(a.httpStatus >= 200 && a.httpStatus < 300);
          return row;
        })));
      const li = make('li', { className: 'webhook-delivery' }, title);
      if (d.attemptLog?.length) li.append(attempts);
      li.dataset.deliveryId = d.id;
      li.dataset.state = d.state;
      list.append(li);
    }
    const note = make('p', { className: 'webhook-note muted', role: 'status' });
    if (!listing.deliveries?.length) note.textContent = 'No deliveries yet: the first goes out when the job ends (or a step completes, if asked).';
    section.replaceChildren(make('h3', { id: 'webhooks-title', textContent: 'Webhook deliveries' }), head, list, note);
  }

  refresh();
  return {
    refresh,
    stop() { stopped = true; clearTimeout(timer); },
  };
}
