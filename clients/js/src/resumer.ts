import { UnexpectedResponse } from "./failures.js";
import { segment } from "./http.js";
import { jsonObject, type Opening, ReconnectingStream, type ReconnectingSettings, readErrorEvent } from "./reconnecting.js";
import { isTerminal, JOB_EVENT_TYPES, type JobEvent } from "./types.js";

export type { TokenSource } from "./reconnecting.js";

export interface ResumerSettings extends ReconnectingSettings {
  jobId: string;
  afterSeq: number;
}

/**
 * Reads one job's event log across as many connections as it takes. Every break reconnects with
 * `Last-Event-ID` = the last seq delivered, so each event is delivered once, in order; it ends after
 * the terminal status (or on 204) and throws only classified failures (or the abort reason).
 */
export class Resumer extends ReconnectingStream {
  private readonly jobId: string;
  private lastSeq: number;
  private token: string | null = null;

  constructor(settings: ResumerSettings) {
    super(settings);
    this.jobId = settings.jobId;
    this.lastSeq = settings.afterSeq;
  }

  /** The seq of the last event delivered (or passed over): where a new stream would resume. */
  get resumePoint(): number {
    return this.lastSeq;
  }

  protected async opening(): Promise<Opening> {
    this.token ??= await this.tokenFor(this.jobId);
    const token = this.token === null ? "" : `&token=${encodeURIComponent(this.token)}`;
    return { path: `api/jobs/${segment(this.jobId)}/events?snapshots=1${token}`, lastEventId: String(this.lastSeq) };
  }

  protected what(): string {
    return `the events of job ${this.jobId}`;
  }

  protected jobOfAnswers(): string {
    return this.jobId;
  }

  protected connected(): void {
    this.settings.listener.onConnected(this.jobId, this.lastSeq);
  }

  protected noContent(): void {
    // The log already ended at our resume point: nothing more will come.
  }

  protected forgetTokens(): void {
    this.token = null;
  }

  protected event(name: string, id: string | undefined, text: string): JobEvent | null {
    if (!(JOB_EVENT_TYPES as readonly string[]).includes(name)) {
      this.passOver(name, id);
      return null;
    }
    const data = jsonObject(text);
    if (data === null) {
      throw this.fail(
        new UnexpectedResponse(`Cannot read event ${id ?? "?"} (${name}) of job ${this.jobId}: its data is not a JSON object.`),
      );
    }
    const seq = data["seq"];
    if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) {
      throw this.fail(new UnexpectedResponse(`A ${name} event of job ${this.jobId} has no valid seq: is this the contentgen server?`));
    }
    // A snapshot stands for every event up to its seq: the one event that may jump ahead.
    if (!this.advanceTo(seq, name === "snapshot")) {
      return null;
    }
    const event = { ...data, type: name } as unknown as JobEvent;
    if (isTerminal(event)) {
      this.finish();
    }
    return event;
  }

  protected errorEvent(text: string): void {
    const { error } = readErrorEvent(text);
    this.settings.listener.onErrorEvent(this.jobId, error);
    this.streamError(error);
  }

  /**
   * An event of a type this client does not know (a newer server's): not delivered, but it is part of
   * the job's log, so its id moves the resume point like any other. Without an id it is a stream-level
   * message: ignored.
   */
  private passOver(name: string, id: string | undefined): void {
    if (id === undefined || !/^\d{1,15}$/.test(id)) {
      return;
    }
    const seq = Number(id);
    if (this.advanceTo(seq)) {
      this.settings.listener.onUnknownEvent(this.jobId, seq, name);
    }
  }

  /** Moves the resume point to `seq`; false for an event already delivered (a replay after a reconnect). */
  private advanceTo(seq: number, snapshot = false): boolean {
    if (seq <= this.lastSeq) {
      return false;
    }
    if (seq !== this.lastSeq + 1 && !snapshot) {
      throw this.fail(
        new UnexpectedResponse(`Event ${seq} of job ${this.jobId} arrived right after ${this.lastSeq}: the server skipped events.`),
      );
    }
    this.lastSeq = seq;
    this.progressed();
    return true;
  }
}
