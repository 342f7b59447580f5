// Revisions on the job page: a "Regenerate" action on each step of a completed job (with an
// optional instruction), which starts a revision — a new job that keeps every other step — and
// opens it so it streams; and the piece's revision history, linking its versions.
import { api, newKey } from '/api.js';

const EXAMPLES = 'e.g. shorter, more examples';

function make(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

let formats = null; // GET /api/formats, once: a step's key comes from its format's plan

async function formatList() {
  formats ||= api('/api/formats', { retries: 2 }).catch((err) => { formats = null; throw err; });
  return formats;
}

/** The step keys of a job in order (outline, section-1, …, then the assembly's), as the server's plan makes them. */
function stepKeys(format, length) {
  const parts = format.options?.parts?.[length] ?? 0;
  const keys = [];
  for (const step of format.steps) {
    if (step.repeat) for (let i = 1; i <= parts; i++) keys.push(`${step.kind}-${i}`);
    else keys.push(step.kind);
  }
  keys.push(null); // the assembly joins the others: nothing to regenerate there
  return keys;
}

function describe(job) {
  const r = job.revision;
  if (!r) return 'Original';
  return `Revision ${r.number}: ${r.step}${r.instruction ? ` — “${r.instruction}”` : ''}`;
}

/**
 * Starts the revisions part of the job page in `container`; `artifacts` holds the step cards.
 * `open(job)` shows a job (the new revision) and streams it. Returns the hooks app.js calls:
 * show(id) when a job comes on screen, onEvent(id, type, data) for each of its events.
 */
export function startRevisions(container, artifacts, open) {
  let current = null; // {id, steps: Map artifactId → {step, reused}, completed}

  const heading = make('h3', { id: 'revisions-title', textContent: 'Revision history' });
  const list = make('ol', { className: 'revision-list' });
  const error = make('p', { className: 'revision-error', role: 'alert' });
  error.hidden = true;
  container.setAttribute('aria-labelledby', 'revisions-title');
  container.replaceChildren(heading, list, error);
  container.hidden = true;

  function cardOf(artifactId) {
    return [...artifacts.querySelectorAll('.artifact')].find((el) => el.dataset.artifactId === artifactId);
  }

  function show(id) {
    current = { id, steps: new Map(), completed: false };
    container.hidden = true;
    error.hidden = true;
    list.replaceChildren();
    loadHistory(current);
  }

  async function loadHistory(c) {
    try {
      const history = await api(`/api/jobs/${encodeURIComponent(c.id)}/revisions`, { retries: 1 });
      if (current !== c) return;
      renderHistory(history.revisions ?? []);
    } catch {
      // The history is an extra: the job page works without it.
    }
  }

  function renderHistory(jobs) {
    container.hidden = jobs.length < 2;
    list.replaceChildren(...jobs.map((job) => {
      const badge = make('span', { className: 'badge', textContent: job.status });
      badge.dataset.status = job.status;
      const link = make('a', { href: `/jobs/${encodeURIComponent(job.id)}` }, make('span', { textContent: describe(job) }), ' ', badge);
      link.dataset.nav = '';
      if (job.id === current?.id) link.setAttribute('aria-current', 'page');
      const li = make('li', {}, link);
      li.dataset.jobId = job.id;
      return li;
    }));
  }

  function onEvent(id, type, d) {
    const c = current;
    if (!c || c.id !== id) return;
    if (type === 'artifact.created') {
      c.steps.set(d.artifactId, { step: d.step, reused: d.reused === true });
      if (d.reused) markKept(d.artifactId);
    } else if (type === 'snapshot') {
      for (const a of d.artifacts ?? []) c.steps.set(a.id, { step: a.step, reused: false });
      if (d.status?.status === 'completed') finished(c);
    } else if (type === 'status' && d.status === 'completed') {
      finished(c);
    } else if (type === 'status' && ['failed', 'cancelled'].includes(d.status)) {
      loadHistory(c);
    }
  }

  function markKept(artifactId) {
    const state = cardOf(artifactId)?.querySelector('.artifact-state');
    const el = cardOf(artifactId);
    if (el) el.dataset.reused = 'true';
    if (state) state.title = 'Kept from the previous version: the model was not asked again.';
  }

  async function finished(c) {
    if (c.completed) return;
    c.completed = true;
    loadHistory(c);
    let job; let list;
    try {
      [job, list] = await Promise.all([api(`/api/jobs/${encodeURIComponent(c.id)}`, { retries: 2 }), formatList()]);
    } catch {
      return; // without the job or its format there is no step to name
    }
    if (current !== c) return;
    const format = list.formats.find((f) => f.name === job.format);
    if (!format) return;
    const keys = stepKeys(format, job.length);
    for (const artifact of job.artifacts ?? []) {
      const key = artifact.status === 'completed' ? keys[artifact.step] : null;
      const el = cardOf(artifact.id);
      if (key && el && !el.querySelector('.regenerate')) addAction(c, el, key, artifact.title || key);
    }
  }

  function addAction(c, el, step, title) {
    const button = make('button', { type: 'button', className: 'regenerate ghost', textContent: 'Regenerate' });
    button.setAttribute('aria-label', `Regenerate ${title}`);
    button.setAttribute('aria-expanded', 'false');
    button.addEventListener('click', () => toggleForm(c, el, button, step, title));
    el.querySelector('header')?.append(button);
  }

  function toggleForm(c, el, button, step, title) {
    const shown = el.querySelector('.regenerate-form');
    if (shown) { shown.remove(); button.setAttribute('aria-expanded', 'false'); return; }
    const fieldId = `instruction-${step}`;
    const input = make('input', { id: fieldId, type: 'text', maxLength: 500, autocomplete: 'off', placeholder: EXAMPLES });
    const submit = make('button', { type: 'submit', className: 'primary', textContent: `Regenerate ${step}` });
    const message = make('p', { className: 'revision-error', role: 'alert' });
    message.hidden = true;
    const form = make('form', { className: 'regenerate-form' },
      make('label', { htmlFor: fieldId, textContent: `Instruction for “${title}” (optional)` }), input, submit, message);
    let sent = null; // {key, text}: the same request (a double click, a retry) gets the same key, so one revision
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      submit.disabled = true;
      message.hidden = true;
      try {
        const body = { step };
        if (input.value.trim()) body.instruction = input.value.trim();
        const text = JSON.stringify(body);
        if (!sent || sent.text !== text) sent = { key: newKey(), text };
        const key = sent.key;
        const revision = await api(`/api/jobs/${encodeURIComponent(c.id)}/regenerate`,
          { method: 'POST', body, headers: { 'Idempotency-Key': key }, retries: 2 });
        open(revision);
      } catch (err) {
        message.textContent = `${err.message} (${err.code})`;
        message.hidden = false;
        submit.disabled = false;
      }
    });
    button.setAttribute('aria-expanded', 'true');
    el.querySelector('header').after(form);
    input.focus();
  }

  return { show, onEvent };
}
