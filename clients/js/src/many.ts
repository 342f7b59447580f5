import type { ErrorEvent } from "./failures.js";
import { UnexpectedResponse } from "./failures.js";
import { jsonObject, type Opening, ReconnectingStream, type ReconnectingSettings, readErrorEvent } from "./reconnecting.js";
import { isTerminal, JOB_EVENT_TYPES, type JobEvent, type SnapshotEvent, type StatusEvent } from "./types.js";

/** What a multiplexed stream tells about each job besides its events; all optional. */
export interface JobsHandlers {
  /** The job's terminal event was delivered: it leaves the stream, the others go on. */
  onJobEnd?(jobId: string, terminal: StatusEvent | SnapshotEvent): void;
  /**
   * The job left the stream with an error of its own — `JOB_NOT_FOUND` (unknown, or not yours),
   * `JOB_DELETED`, `INVALID_LAST_EVENT_ID` (finished below its resume point) — and the others go on.
   */
  onJobError?(jobId: string, error: ErrorEvent): void;
}

export interface ManyJobsSettings extends ReconnectingSettings {
  /** Each job and the seq after which to start, in the order of the stream's `job` parameters. */
  afterSeqs: Map<string, number>;
  handlers: JobsHandlers;
}

/**
 * Reads many jobs' logs from one multiplexed stream (`GET /api/events`, docs/PROTOCOL.md) across as
 * many connections as it takes. Each event's id is the vector of every job's resume point; every
 * reconnect asks for the jobs still followed, each after its own last delivered seq, so each job's
 * events arrive once and in order. A job leaves after its terminal event or its own error event; the
 * stream ends when none is left, and throws only classified failures (or the abort reason).
 */
export class ManyJobsResumer extends ReconnectingStream {
  private readonly handlers: JobsHandlers;
  private readonly lastSeqs: Map<string, number>;
  private readonly following: string[];
  private readonly failures = new Map<string, ErrorEvent>();
  /** The jobs of the connection being opened or open, in its URL's order: the order of the id vector's elements. */
  private order: string[] = [];
  private tokens = new Map<string, string>();

  constructor(settings: ManyJobsSettings) {
    super(settings);
    this.handlers = settings.handlers;
    this.lastSeqs = new Map(settings.afterSeqs);
    this.following = [...settings.afterSeqs.keys()];
  }

  /** Every job's resume point: the seq of its last event delivered (or passed over). */
  get resumePoints(): Record<string, number> {
    return Object.fromEntries(this.lastSeqs);
  }

  /** The jobs still followed: neither ended nor gone with an error of their own. */
  get stillFollowing(): readonly string[] {
    return [...this.following];
  }

  /** The jobs that left with an error of their own, and that error. */
  get jobFailures(): ReadonlyMap<string, ErrorEvent> {
    return new Map(this.failures);
  }

  protected async opening(): Promise<Opening> {
    const order = [...this.following];
    const query = new URLSearchParams({ snapshots: "1" });
    for (const jobId of order) {
      query.append("job", `${jobId}:${this.lastSeqs.get(jobId)}`);
    }
    for (const jobId of order) {
      let token = this.tokens.get(jobId) ?? null;
      if (token === null) {
        token = await this.tokenFor(jobId);
        if (token === null) {
          break; // no tokens: the caller's own credential reads every job
        }
        this.tokens.set(jobId, token);
      }
      query.append("token", token);
      if (typeof this.settings.token === "string") {
        break; // one token given for all: sent once
      }
    }
    this.order = order;
    // The vector the server resumes by (it wins over the URL's points; here both say the same).
    return { path: `api/events?${query}`, lastEventId: order.map((jobId) => String(this.lastSeqs.get(jobId))).join(",") };
  }

  protected what(): string {
    return `the events of ${this.following.length} job(s) (${this.following.join(", ")})`;
  }

  protected jobOfAnswers(): null {
    return null;
  }

  protected connected(): void {
    for (const jobId of this.order) {
      this.settings.listener.onConnected(jobId, this.lastSeqs.get(jobId)!);
    }
  }

  protected noContent(): void {
    // Every job still followed already ended at its resume point: nothing more will come.
  }

  protected forgetTokens(): void {
    this.tokens.clear();
  }

  protected event(name: string, id: string | undefined, text: string): JobEvent | null {
    if (id === undefined) {
      // No place in any job's log (e.g. a job-list message, or a newer server's notice): nothing to resume by.
      return null;
    }
    return this.deliverable(name, id, text);
  }

  private deliverable(name: string, id: string, text: string): JobEvent | null {
    if (!(JOB_EVENT_TYPES as readonly string[]).includes(name)) {
      this.passOver(name, id, text);
      return null;
    }
    const data = jsonObject(text);
    const jobId = data?.["jobId"];
    const seq = data?.["seq"];
    if (data === null || typeof jobId !== "string" || !this.lastSeqs.has(jobId)) {
      throw this.fail(new UnexpectedResponse(`A ${name} event of the multiplexed stream names no job of it: is this the contentgen server?`));
    }
    if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) {
      throw this.fail(new UnexpectedResponse(`A ${name} event of job ${jobId} has no valid seq: is this the contentgen server?`));
    }
    // A snapshot stands for every event up to its seq: the one event that may jump ahead.
    if (!this.advanceTo(jobId, seq, name === "snapshot")) {
      return null;
    }
    const event = { ...data, type: name } as unknown as JobEvent;
    if (isTerminal(event)) {
      this.leave(jobId);
      this.handlers.onJobEnd?.(jobId, event);
    }
    return event;
  }

  /**
   * An event of a type this client does not know (a newer server's): not delivered, but part of its
   * job's log. The id vector says which job's resume point it moved; failing that, its data does.
   */
  private passOver(name: string, id: string, text: string): void {
    const vector = id.split(",");
    if (vector.length === this.order.length && vector.every((p) => /^\d{1,15}$/.test(p))) {
      vector.forEach((point, i) => {
        const jobId = this.order[i]!;
        const seq = Number(point);
        if (this.following.includes(jobId) && seq > this.lastSeqs.get(jobId)! && this.advanceTo(jobId, seq)) {
          this.settings.listener.onUnknownEvent(jobId, seq, name);
        }
      });
      return;
    }
    const data = jsonObject(text);
    const jobId = data?.["jobId"];
    const seq = data?.["seq"];
    if (typeof jobId === "string" && this.lastSeqs.has(jobId) && typeof seq === "number" && Number.isSafeInteger(seq)
      && this.advanceTo(jobId, seq)) {
      this.settings.listener.onUnknownEvent(jobId, seq, name);
    }
  }

  /** Moves a job's resume point to `seq`; false for an event already delivered (a replay after a reconnect). */
  private advanceTo(jobId: string, seq: number, snapshot = false): boolean {
    const last = this.lastSeqs.get(jobId)!;
    if (seq <= last) {
      return false;
    }
    if (seq !== last + 1 && !snapshot) {
      throw this.fail(new UnexpectedResponse(`Event ${seq} of job ${jobId} arrived right after ${last}: the server skipped events.`));
    }
    this.lastSeqs.set(jobId, seq);
    this.progressed();
    return true;
  }

  /** The job is done with: it is not asked for again; when none is left, the stream ends. */
  private leave(jobId: string): void {
    const at = this.following.indexOf(jobId);
    if (at >= 0) {
      this.following.splice(at, 1);
    }
    if (this.following.length === 0) {
      this.finish();
    }
  }

  protected errorEvent(text: string): void {
    const { error, jobId } = readErrorEvent(text);
    if (jobId !== null && this.following.includes(jobId)) {
      // About one job (not found or not yours, deleted, finished below its resume point): the others go on.
      this.settings.listener.onErrorEvent(jobId, error);
      if (error.retryable) {
        this.streamError(error); // kept as the cause of the next break
        return;
      }
      this.failures.set(jobId, error);
      this.leave(jobId);
      this.handlers.onJobError?.(jobId, error);
      return;
    }
    this.settings.listener.onErrorEvent(null, error);
    this.streamError(error);
  }
}
