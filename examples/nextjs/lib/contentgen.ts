import { ContentGenClient, type ContentGenError } from "@contentgen/client";
import type { EventsProxyOptions } from "@contentgen/client/proxy";
import { Agent, fetch as undiciFetch } from "undici";

// Server-side only: the key never reaches the browser.
const baseUrl = process.env.CONTENTGEN_URL ?? "http://127.0.0.1:8080";
const apiKey = process.env.CONTENTGEN_API_KEY;

/** The browser's view of contentgen, for streaming straight from it with a stream token. */
export const publicUrl = process.env.CONTENTGEN_PUBLIC_URL ?? baseUrl;

// undici's own fetch, with the body timeout it should have: shorter than a stream's silence it
// cuts the stream (UND_ERR_BODY_TIMEOUT), and the proxy turns that into a resumable error event.
const dispatcher = new Agent({ bodyTimeout: Number(process.env.CONTENTGEN_BODY_TIMEOUT_MS ?? 300_000) });
const fetchUpstream = ((input: string, init: RequestInit) =>
  undiciFetch(input, { ...(init as object), dispatcher })) as unknown as (input: string, init: RequestInit) => Promise<Response>;

/** Calls contentgen with the key: creating jobs and stream tokens. */
export const contentgen = new ContentGenClient({ baseUrl, apiKey, fetch: fetchUpstream });

/** How the route handler reaches contentgen for a job's events. */
export const proxyOptions: EventsProxyOptions = {
  baseUrl,
  apiKey,
  fetch: fetchUpstream,
  onUpstreamFailure: (jobId, failure) => console.warn(`[contentgen proxy] job=${jobId} ${failure.kind}: ${failure.message}`),
};

/** A failure of a call to contentgen as the problem the browser's client reads. */
export function problem(e: ContentGenError): Response {
  const status = "status" in e && typeof e.status === "number" ? e.status : e.kind === "JobNotFound" ? 404 : 502;
  const code = "code" in e && typeof e.code === "string" ? e.code : e.kind;
  return Response.json({ status, code, detail: e.message }, { status, headers: { "Content-Type": "application/problem+json" } });
}
