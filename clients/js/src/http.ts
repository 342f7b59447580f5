export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** The HTTP side shared by calls and streams: the base URL, the API key, the fetch to use. */
export class Http {
  /** The base URL, ending with "/" so paths resolve below it (a server behind a path prefix works). */
  readonly base: string;
  private readonly authorization: string | null;

  constructor(
    baseUrl: string,
    apiKey: string | undefined,
    readonly fetch: FetchLike,
  ) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new TypeError(`baseUrl must be an http:// or https:// URL, not '${baseUrl}'`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new TypeError(`baseUrl must be an http:// or https:// URL, not '${baseUrl}'`);
    }
    this.base = url.href.endsWith("/") ? url.href : url.href + "/";
    const key = apiKey?.trim();
    this.authorization = key ? `Bearer ${key}` : null;
  }

  /** The absolute URL of `path` (relative, e.g. "api/jobs"). */
  url(path: string): string {
    return new URL(path, this.base).href;
  }

  /** Request headers with the API key, when there is one. */
  headers(extra: Record<string, string> = {}): Headers {
    const headers = new Headers(extra);
    if (this.authorization !== null) {
      headers.set("Authorization", this.authorization);
    }
    return headers;
  }
}

/** A job id (or any value) as one path segment, so odd input cannot reach another route. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

/**
 * An AbortController that also aborts when `parent` does, and whose `dispose` lets go of the
 * parent (AbortSignal.any is not in every runtime this package supports).
 */
export function linkedController(parent: AbortSignal | undefined): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  if (parent === undefined) {
    return { controller, dispose: () => {} };
  }
  const onAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) {
    onAbort();
  } else {
    parent.addEventListener("abort", onAbort, { once: true });
  }
  return { controller, dispose: () => parent.removeEventListener("abort", onAbort) };
}

/** At most `limit` characters of a body, for error messages; never throws. */
export async function readSome(response: Response, limit = 64 * 1024): Promise<string> {
  try {
    const text = await response.text();
    return text.length > limit ? text.slice(0, limit) : text;
  } catch {
    return "";
  }
}
