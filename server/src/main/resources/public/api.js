// The JSON API: fetch + problem details (RFC 9457), and idempotency keys.

export class ApiError extends Error {
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || `Request failed (HTTP ${status})`);
    this.status = status;
    this.code = problem.code || (status ? `HTTP_${status}` : 'NETWORK_ERROR');
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** fetch + JSON + problem details; retries network errors and 503 (safe: GETs and idempotent POSTs). */
export async function api(path, { method = 'GET', body, headers = {}, retries = 0 } = {}) {
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
    if (res.status === 401 && path !== '/api/session') window.dispatchEvent(new Event('contentgen:unauthorized'));
    if (!res.ok) throw new ApiError(res.status, data || {});
    return data;
  }
}

export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // randomUUID needs a secure context; getRandomValues does not.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
