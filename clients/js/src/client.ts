import { type RetryPolicy, retryPolicy } from "./backoff.js";
import { Calls } from "./calls.js";
import { type ErrorEvent, UnexpectedResponse } from "./failures.js";
import { type FetchLike, Http, segment } from "./http.js";
import { type ClientListener, fanOut } from "./listener.js";
import { type JobsHandlers, ManyJobsResumer } from "./many.js";
import { Resumer, type TokenSource } from "./resumer.js";
import type { CancelResult, Job, JobEvent, JobPage, JobRequest, JobStatus, RegenerateRequest, RevisionList, StreamToken, UsageReport } from "./types.js";

export interface ContentGenClientOptions {
  /** Where the server is, e.g. `http://localhost:8080` (a path prefix is kept). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; leave it out in local mode, and in a browser (use stream tokens). */
  apiKey?: string;
  /** The fetch to use (default: the global one), e.g. an undici fetch with its own dispatcher. */
  fetch?: FetchLike;
  /** How calls retry and streams reconnect (default 500 ms doubling to 15 s, 6 attempts). */
  retry?: Partial<RetryPolicy>;
  /**
   * How long a stream may go without a byte before it counts as dead and is replaced; also how long
   * a call waits for its answer. Default 45 s: three of the server's default 15 s heartbeats.
   */
  idleTimeoutMs?: number;
  /** Hears retries, reconnections and the server's error events, e.g. to show them to a user. */
  listener?: ClientListener;
}

export interface CallOptions {
  /** Stops the call (and its retries): it rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface CreateJobOptions extends CallOptions {
  /** The same key with the same request returns the same job; a fresh one is generated when absent. */
  idempotencyKey?: string;
}

export interface ListJobsOptions extends CallOptions {
  /** The `nextCursor` of the previous page. */
  cursor?: string | null;
  /** 1–100 jobs per page (default 20). */
  limit?: number;
  /** Only jobs in this status, or in any of these (none given: every status). */
  status?: JobStatus | readonly JobStatus[];
  /** Only jobs whose topic contains this text, ignoring case (ASCII letters only on a SQLite server). */
  q?: string;
}

export interface EventsOptions {
  /** The seq of the last event you processed (default 0: the whole log). */
  after?: number;
  /** Ends the stream at once: the iteration rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * A stream token (`?token=`) instead of the API key — for a browser. A function is asked for a
   * fresh token when the server answers `401 STREAM_TOKEN_EXPIRED`, and the stream resumes.
   */
  token?: TokenSource;
  /** Hears this stream's reconnections and error events (besides the client's listener). */
  listener?: ClientListener;
  /** Shorthand for `listener.onErrorEvent`: a retryable `event: error` is a notice, the stream carries on. */
  onErrorEvent?: ClientListener["onErrorEvent"];
}

/** A job's events in order, exactly once, across reconnections; iterate it with `for await`. */
export interface EventStream extends AsyncIterableIterator<JobEvent> {
  /** The seq of the last event delivered (or passed over): give it as `after` to pick up later. */
  readonly lastSeq: number;
}

export interface FollowJobsOptions extends JobsHandlers {
  /** Ends the stream at once: the iteration rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Stream tokens instead of the API key — for a browser. A function is asked once per job (each
   * token authorises its own job only), and again for every job when the server answers
   * `401 STREAM_TOKEN_EXPIRED`; the stream resumes.
   */
  token?: TokenSource;
  /** Hears this stream's reconnections and error events (besides the client's listener). */
  listener?: ClientListener;
  /** Shorthand for `listener.onErrorEvent`: `jobId` is null for a message about the whole stream. */
  onErrorEvent?: ClientListener["onErrorEvent"];
}

/** Many jobs' events on one connection, each job's in order and exactly once; iterate it with `for await`. */
export interface JobsStream extends AsyncIterableIterator<JobEvent> {
  /** Every job's resume point (the seq of its last event delivered): give it to `followJobs` to pick up later. */
  readonly lastSeqs: Readonly<Record<string, number>>;
  /** The jobs still followed: neither ended nor gone with an error of their own. */
  readonly following: readonly string[];
  /** The jobs that left the stream with an error of their own (e.g. JOB_NOT_FOUND), and that error. */
  readonly failed: ReadonlyMap<string, ErrorEvent>;
}

/** The contentgen API: create, get, list and cancel jobs, and follow each job's resumable event stream. */
export class ContentGenClient {
  private readonly http: Http;
  private readonly calls: Calls;
  private readonly policy: RetryPolicy;
  private readonly idleTimeoutMs: number;
  private readonly listener: ClientListener | undefined;

  constructor(options: ContentGenClientOptions) {
    const fetcher: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.http = new Http(options.baseUrl, options.apiKey, fetcher);
    this.policy = retryPolicy(options.retry);
    this.idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
    if (!(this.idleTimeoutMs > 0)) {
      throw new RangeError("idleTimeoutMs must be positive");
    }
    this.listener = options.listener;
    this.calls = new Calls(this.http, this.policy, this.idleTimeoutMs, fanOut([options.listener]));
  }

  /** Creates a job; retries reuse one idempotency key, so a retry after a lost answer never creates a second job. */
  async createJob(request: JobRequest, options: CreateJobOptions = {}): Promise<Job> {
    const key = options.idempotencyKey ?? crypto.randomUUID();
    const answer = await this.calls.send({
      what: "create job",
      path: "api/jobs",
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": key },
      body: JSON.stringify(request),
      signal: options.signal,
    });
    return object<Job>(answer.json, "create job");
  }

  /** The job with its artifacts as far as they are written. */
  async getJob(jobId: string, options: CallOptions = {}): Promise<Job> {
    const answer = await this.calls.send({
      what: `get job ${jobId}`,
      path: `api/jobs/${segment(jobId)}`,
      method: "GET",
      jobId,
      signal: options.signal,
    });
    return object<Job>(answer.json, `get job ${jobId}`);
  }

  /** The caller's own tokens and cost (its key's owner), since `since` when given. */
  async usage(options: CallOptions & { since?: Date | string } = {}): Promise<UsageReport> {
    const since = options.since instanceof Date ? options.since.toISOString() : options.since;
    const query = since ? `?${new URLSearchParams({ since })}` : "";
    const answer = await this.calls.send({ what: "get usage", path: `api/usage${query}`, method: "GET", signal: options.signal });
    return object<UsageReport>(answer.json, "get usage");
  }

  /**
   * The newest jobs first, filtered by the server when `status` or `q` is given; pass the page's
   * `nextCursor` with the same filter for the next page. An unknown status is a `Rejected` (INVALID_FIELD).
   */
  async listJobs(options: ListJobsOptions = {}): Promise<JobPage> {
    const query = new URLSearchParams({ limit: String(options.limit ?? 20) });
    if (options.cursor) {
      query.set("cursor", options.cursor);
    }
    const statuses = typeof options.status === "string" ? [options.status] : (options.status ?? []);
    if (statuses.length > 0) {
      query.set("status", statuses.join(","));
    }
    if (options.q) {
      query.set("q", options.q);
    }
    const answer = await this.calls.send({ what: "list jobs", path: `api/jobs?${query}`, method: "GET", signal: options.signal });
    return object<JobPage>(answer.json, "list jobs");
  }

  /** Cancels a job; a finished one cannot be (a `Rejected` with code JOB_FINISHED). */
  async cancelJob(jobId: string, options: CallOptions = {}): Promise<CancelResult> {
    const answer = await this.calls.send({
      what: `cancel job ${jobId}`,
      path: `api/jobs/${segment(jobId)}/cancel`,
      method: "POST",
      jobId,
      signal: options.signal,
    });
    return { job: object<Job>(answer.json, `cancel job ${jobId}`), stopping: answer.status === 202 };
  }

  /**
   * Regenerates one step of a completed job as a new job, a revision that copies every other finished
   * step and reruns only that step and what depends on it; follow it with `events(revision.id)`. A job
   * not completed is a `Rejected` with code JOB_NOT_COMPLETED, an unknown step UNKNOWN_STEP (the message lists the steps).
   */
  async regenerate(jobId: string, request: RegenerateRequest, options: CreateJobOptions = {}): Promise<Job> {
    const key = options.idempotencyKey ?? crypto.randomUUID();
    const answer = await this.calls.send({
      what: `regenerate a step of job ${jobId}`,
      path: `api/jobs/${segment(jobId)}/regenerate`,
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": key },
      body: JSON.stringify(request),
      jobId,
      signal: options.signal,
    });
    return object<Job>(answer.json, `regenerate a step of job ${jobId}`);
  }

  /** The revision history of the piece `jobId` belongs to: its first job, then every revision in order. */
  async revisions(jobId: string, options: CallOptions = {}): Promise<RevisionList> {
    const answer = await this.calls.send({
      what: `revisions of job ${jobId}`,
      path: `api/jobs/${segment(jobId)}/revisions`,
      method: "GET",
      jobId,
      signal: options.signal,
    });
    return object<RevisionList>(answer.json, `revisions of job ${jobId}`);
  }

  /**
   * A short-lived, read-only token for this job's event stream — for a browser, whose code should
   * not hold the API key. Call it on your backend; the browser streams with `events(id, {token})`.
   */
  async streamToken(jobId: string, options: CallOptions = {}): Promise<StreamToken> {
    const answer = await this.calls.send({
      what: `stream token for job ${jobId}`,
      path: `api/jobs/${segment(jobId)}/stream-token`,
      method: "POST",
      jobId,
      signal: options.signal,
    });
    return object<StreamToken>(answer.json, `stream token for job ${jobId}`);
  }

  /**
   * The job's events after `after`, then live ones until its terminal status. Reconnects by itself
   * on any break with `Last-Event-ID`; throws only a `ContentGenError` subclass (or the abort reason).
   */
  events(jobId: string, options: EventsOptions = {}): EventStream {
    const after = options.after ?? 0;
    if (!Number.isSafeInteger(after) || after < 0) {
      throw new RangeError(`after must be a non-negative integer, not ${after}`);
    }
    const onErrorEvent = options.onErrorEvent;
    const resumer = new Resumer({
      http: this.http,
      jobId,
      afterSeq: after,
      policy: this.policy,
      idleTimeoutMs: this.idleTimeoutMs,
      listener: fanOut([this.listener, options.listener, onErrorEvent ? { onErrorEvent } : undefined]),
      signal: options.signal,
      token: options.token,
    });
    const iterator = resumer.run();
    Object.defineProperty(iterator, "lastSeq", { get: () => resumer.resumePoint, enumerable: true });
    return iterator as EventStream;
  }

  /**
   * Many jobs on one connection (`GET /api/events`): their events interleaved as they happen, each
   * job's in order and exactly once, until every job has ended or left with an error of its own
   * (`onJobError`; the others go on). Give ids to start from the beginning, or `{id: lastSeq}` to
   * resume. Every break reconnects for the jobs still followed, each after its own last seq. One
   * open stream against the key's limit, whatever the number of jobs (1–100). To add or drop a job,
   * end this stream and start another with the `lastSeqs` it had: a cheap reconnect.
   */
  followJobs(jobs: readonly string[] | Readonly<Record<string, number>>, options: FollowJobsOptions = {}): JobsStream {
    const afterSeqs = new Map<string, number>();
    for (const [jobId, after] of Array.isArray(jobs) ? jobs.map((id): [string, number] => [id, 0]) : Object.entries(jobs)) {
      if (typeof jobId !== "string" || jobId.length === 0) {
        throw new RangeError("a job id must be a non-empty string");
      }
      if (!Number.isSafeInteger(after) || after < 0) {
        throw new RangeError(`the resume point of job ${jobId} must be a non-negative integer, not ${after}`);
      }
      if (afterSeqs.has(jobId)) {
        throw new RangeError(`job ${jobId} is named twice; name each job once`);
      }
      afterSeqs.set(jobId, after);
    }
    if (afterSeqs.size < 1 || afterSeqs.size > 100) {
      throw new RangeError(`one stream follows 1 to 100 jobs, not ${afterSeqs.size}`);
    }
    const onErrorEvent = options.onErrorEvent;
    const resumer = new ManyJobsResumer({
      http: this.http,
      afterSeqs,
      policy: this.policy,
      idleTimeoutMs: this.idleTimeoutMs,
      listener: fanOut([this.listener, options.listener, onErrorEvent ? { onErrorEvent } : undefined]),
      handlers: { onJobEnd: options.onJobEnd, onJobError: options.onJobError },
      signal: options.signal,
      token: options.token,
    });
    const iterator = resumer.run();
    Object.defineProperties(iterator, {
      lastSeqs: { get: () => resumer.resumePoints, enumerable: true },
      following: { get: () => resumer.stillFollowing, enumerable: true },
      failed: { get: () => resumer.jobFailures, enumerable: true },
    });
    return iterator as JobsStream;
  }
}

function object<T>(json: unknown, what: string): T {
  if (json === null || typeof json !== "object") {
    throw new UnexpectedResponse(`The answer to "${what}" is not a JSON object: is the URL the contentgen server?`);
  }
  return json as T;
}
