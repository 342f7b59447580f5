// The recent-jobs list, live from the connection all tabs share (shared-stream.js): every
// `event: job` (a job created or changed, on any node) goes into the list as it comes, and the list
// is reloaded once after each (re)connect, so nothing is missed while the stream was away.
import { watchJobList, setStreamOwner } from '/shared-stream.js';

/**
 * Follows the list for `history` ({refresh(): Promise, upsertJob(job), setLive(boolean)}) once `session`
 * is known. Returns false where there is no shared connection (the list then polls as before).
 */
export function followJobList(history, session) {
  setStreamOwner(session?.owner);
  // Items since a reload began, by job id: the reload's answer may predate them, so they are put back after it.
  const recent = new Map();
  let count = 0;

  async function reload() {
    const since = ++count;
    await history.refresh();
    for (const [id, r] of recent) {
      if (r.n < since) recent.delete(id);
      else history.upsertJob(r.item);
    }
  }

  return watchJobList({
    onItem: (raw) => {
      const item = { ...raw, id: raw.id ?? raw.jobId };
      if (!item.id) return;
      recent.set(item.id, { n: ++count, item });
      history.upsertJob(item);
    },
    onConnected: () => { history.setLive(true); reload(); },
    onClosed: () => history.setLive(false),
    onFallback: () => history.setLive(false),
  });
}
