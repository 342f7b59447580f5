// A job's tokens and cost, and while it waits, its place in the queue (GET /api/jobs/{id}: usage, queue).

import { api } from '/api.js';

const WAITING = new Set(['pending', 'retrying']);
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const POLL_MS = 2000;

/** The line under the progress bar and the one under the summary, made once, next to what they describe. */
function element(id, afterSelector) {
  let el = document.getElementById(id);
  if (!el) {
    el = document.createElement('p');
    el.id = id;
    el.className = 'muted';
    el.setAttribute('role', 'status');
    document.querySelector(afterSelector)?.insertAdjacentElement('afterend', el);
  }
  el.hidden = true;
  el.textContent = '';
  return el;
}

/** "Waiting: 3 jobs ahead, all 4 workers busy" — the words the CLI uses. */
export function queueText(q) {
  const ahead = q.ahead === 0 ? 'next in line' : q.ahead === 1 ? '1 job ahead' : `${q.ahead} jobs ahead`;
  let workers;
  if (q.workers === 0) workers = 'no server runs jobs right now';
  else if (q.busy >= q.workers) workers = q.workers === 1 ? 'the one worker busy' : `all ${q.workers} workers busy`;
  else workers = `${q.busy} of ${q.workers} workers busy`;
  return `Waiting: ${ahead}, ${workers}`;
}

/** A cost of a fraction of a cent stays visible: three significant digits. */
export function dollars(cost) {
  if (cost === 0) return '$0';
  return `$${Number(cost.toPrecision(3))}`;
}

export function usageText(usage) {
  const n = (x) => x.toLocaleString('en-US');
  let text = `Tokens: ${n(usage.inputTokens)} in · ${n(usage.outputTokens)} out`;
  if (usage.costUsd != null) text += ` · Cost ${dollars(usage.costUsd)}`;
  return text;
}

export function stepUsageText(usage) {
  const n = (x) => x.toLocaleString('en-US');
  let text = `${n(usage.inputTokens)} in · ${n(usage.outputTokens)} out tokens`;
  if (usage.costUsd != null) text += ` · ${dollars(usage.costUsd)}`;
  return text;
}

/** A step's own figures in its card's header, once app.js has the card (after this event is handled). */
function markCard(artifactId, usage) {
  queueMicrotask(() => {
    const header = document.querySelector(`#artifacts .artifact[data-artifact-id="${CSS.escape(artifactId)}"] header`);
    if (!header) return;
    let el = header.querySelector('.artifact-usage');
    if (!el) {
      el = document.createElement('span');
      el.className = 'artifact-usage muted';
      header.append(el);
    }
    el.textContent = stepUsageText(usage);
  });
}

/**
 * Follows one job's events for its usage and queue: tokens add up as steps complete, the job's own
 * totals (with cost) are read once it ends, and while it waits its place is asked for every 2 s.
 */
export function jobUsage(jobId) {
  const queueLine = element('job-queue', '#job .progress-row');
  const usageLine = element('job-usage', '#job-summary');
  const steps = new Map();
  let poll = null;
  let waiting = false;
  let stopped = false;
  let ended = false;

  const showQueue = (queue) => {
    queueLine.hidden = !queue;
    queueLine.textContent = queue ? queueText(queue) : '';
  };
  const showUsage = (usage) => {
    usageLine.hidden = !usage;
    usageLine.textContent = usage ? usageText(usage) : '';
  };
  const stopPolling = () => { clearTimeout(poll); poll = null; };
  const ask = async () => {
    poll = null;
    try {
      const job = await api(`/api/jobs/${encodeURIComponent(jobId)}`);
      // The stream may have moved on while the answer was on its way: it knows better.
      if (stopped || !waiting) return;
      if (!WAITING.has(job.status)) { showQueue(null); return; }
      showQueue(job.queue);
    } catch {
      // Only a hint is lost; the stream reports real trouble itself.
    }
    if (!stopped && waiting) poll = setTimeout(ask, POLL_MS);
  };
  const finished = async () => {
    ended = true;
    try {
      const job = await api(`/api/jobs/${encodeURIComponent(jobId)}`);
      if (!stopped && job.usage && (job.usage.inputTokens || job.usage.outputTokens)) showUsage(job.usage);
    } catch {
      // The running total stays shown.
    }
  };
  const onStatus = (status) => {
    if (WAITING.has(status)) {
      if (!waiting) { waiting = true; ask(); }
      return;
    }
    waiting = false;
    stopPolling();
    showQueue(null);
    if (TERMINAL.has(status) && !ended) finished();
  };

  return {
    onEvent(type, d) {
      if (stopped) return;
      if (type === 'status') onStatus(d.status);
      else if (type === 'snapshot' && d.status) {
        for (const a of d.artifacts ?? []) if (a.usage) { steps.set(a.id, a.usage); markCard(a.id, a.usage); }
        onStatus(d.status.status);
      } else if (type === 'progress') onStatus('running');
      if (type === 'artifact.completed' && d.usage && !ended) {
        steps.set(d.artifactId, d.usage);
        markCard(d.artifactId, d.usage);
        const total = { inputTokens: 0, outputTokens: 0, costUsd: null };
        for (const u of steps.values()) {
          total.inputTokens += u.inputTokens;
          total.outputTokens += u.outputTokens;
          if (u.costUsd != null) total.costUsd = (total.costUsd ?? 0) + u.costUsd;
        }
        showUsage(total);
      }
    },
    stop() {
      stopped = true;
      stopPolling();
    },
  };
}
