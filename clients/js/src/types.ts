/** The wire model of the contentgen API: jobs, requests and the events of a job's log. */

export type JobStatus = "pending" | "running" | "retrying" | "completed" | "failed" | "cancelled";
/** The name of a format the server loaded (GET /api/formats), such as "article" or "blog-post". */
export type Format = string;
export type Tone = "neutral" | "friendly" | "professional" | "playful";
export type Length = "short" | "medium" | "long";
export type ArtifactStatus = "streaming" | "completed" | "discarded" | (string & {});

/** What to generate; only `topic` is required, the server's defaults apply to the rest. */
export interface JobRequest {
  topic: string;
  format?: Format;
  tone?: Tone;
  length?: Length;
  /** Who the piece is for, at most 200 characters. */
  audience?: string;
  /** One of those `GET /api/providers` lists; the server's default when absent. */
  provider?: string;
  model?: string;
}

/** Why a job failed. */
export interface JobError {
  code: string;
  message: string;
}

/**
 * What one step used: the tokens its provider reported (`inputTokens` for the prompt, `outputTokens` for
 * the text), and their cost in USD when the node that ran it has a price for the model (`--prices`).
 */
export interface StepUsage {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
}

/** Tokens and cost summed over steps; `costUsd` is absent when no step had a price. */
export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
}

/**
 * Where a waiting job stands, cluster-wide: `ahead` pending jobs were created before it, `busy` jobs
 * run now, and the live nodes run `workers` jobs at once.
 */
export interface QueuePosition {
  position: number;
  ahead: number;
  workers: number;
  busy: number;
}

/** `GET /api/usage`: the caller's own tokens and cost, in total and per provider and model. */
export interface UsageReport {
  owner: string;
  since?: string;
  jobs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
  models: Array<{ provider: string; model: string; jobs: number; inputTokens: number; outputTokens: number; costUsd?: number }>;
}

/** One piece of a job's output (the outline, a section, the article), as far as it has been written. */
export interface Artifact {
  id: string;
  kind: string;
  title: string;
  step: number;
  status: ArtifactStatus;
  content: string;
  /** What its step used, once completed; absent for the assembled piece or when the provider reported nothing. */
  usage?: StepUsage;
}

/** A job as the API shows it; `artifacts` is empty in list views. */
export interface Job {
  id: string;
  topic: string;
  format: Format;
  tone: Tone;
  length: Length;
  audience?: string;
  status: JobStatus;
  attempt: number;
  lastSeq: number;
  createdAt: string;
  updatedAt: string;
  error?: JobError;
  artifacts: Artifact[];
  provider?: string;
  model?: string;
  owner?: string;
  /** Its steps' tokens and cost so far (`getJob` only). */
  usage?: UsageTotals;
  /** Its place in the queue while it waits (`getJob` of a pending job only). */
  queue?: QueuePosition;
  /** Present on a revision: a job that regenerated one step of another (POST /api/jobs/{id}/regenerate). */
  revision?: JobRevision;
}

/** Where a revision sits in its piece's history; the piece's first job has none. */
export interface JobRevision {
  /** The job it was regenerated from. */
  parentId: string;
  /** The piece's first job, the root of every revision. */
  revisionOf: string;
  /** 1, 2, … in the order the revisions were asked for. */
  number: number;
  /** The step it regenerated, e.g. "section-2". */
  step: string;
  instruction?: string;
}

/** What to regenerate: a generating step of a completed job, by the key its progress events give it, and optionally how. */
export interface RegenerateRequest {
  step: string;
  /** E.g. "shorter" or "more examples", at most 500 characters; it goes into that step's prompt. */
  instruction?: string;
}

/** A piece's revision history: its first job, then every revision in order (list views: no artifacts). */
export interface RevisionList {
  revisionOf: string;
  revisions: Job[];
}

/** One page of the job list, newest first; `nextCursor` is null (or absent) on the last page. */
export interface JobPage {
  jobs: Job[];
  nextCursor?: string | null;
}

/** The answer to a cancel: the job, and whether it is still stopping (202: a running job stops at its next token). */
export interface CancelResult {
  job: Job;
  stopping: boolean;
}

/** A short-lived, read-only token for one job's event stream (`?token=`). */
export interface StreamToken {
  jobId: string;
  token: string;
  expiresAt: string;
}

/** What every entry of a job's log carries: `seq` starts at 1 and grows by exactly 1 per event. */
export interface EventEnvelope {
  seq: number;
  jobId: string;
  /** ISO-8601 instant the event was written. */
  at: string;
}

/** The job changed state; `error` only when failed, `summary` only when terminal. */
export interface StatusEvent extends EventEnvelope {
  type: "status";
  status: JobStatus;
  attempt: number;
  error?: JobError;
  summary?: JobSummary;
}

/** A terminal status's summary; on `completed`, these fields (a newer server may add others). */
export interface JobSummary {
  title?: string;
  words?: number;
  characters?: number;
  durationMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  [field: string]: unknown;
}

/** The pipeline moved to step `index` (1-based) of `total`; a provider retry shows here too. */
export interface ProgressEvent extends EventEnvelope {
  type: "progress";
  step: string;
  index: number;
  total: number;
  label: string;
}

/** A new artifact; its text follows as deltas. */
export interface ArtifactCreatedEvent extends EventEnvelope {
  type: "artifact.created";
  artifactId: string;
  kind: string;
  title: string;
  step: number;
  /** In a revision: this step is its parent's, copied without calling the model. */
  reused?: true;
}

/** A piece of an artifact's text, coalesced from tokens. */
export interface ArtifactDeltaEvent extends EventEnvelope {
  type: "artifact.delta";
  artifactId: string;
  text: string;
}

/** An artifact is final; `content` is its whole text, equal to the concatenation of its deltas. */
export interface ArtifactCompletedEvent extends EventEnvelope {
  type: "artifact.completed";
  artifactId: string;
  kind: string;
  title: string;
  content: string;
  /** As on artifact.created: copied from the parent job. */
  reused?: true;
  /** What its step used; absent for the assembled piece or when the provider reported nothing. */
  usage?: StepUsage;
}

/** The artifact's partial text is retracted: its step was interrupted and runs again as a new artifact. */
export interface ArtifactDiscardedEvent extends EventEnvelope {
  type: "artifact.discarded";
  artifactId: string;
  reason: string;
}

/**
 * Stands for every event of the log up to its `seq`, when the stream resumed into a range the server
 * compacted (docs/PROTOCOL.md, "Snapshots"): the job's status and progress then, and its artifacts in
 * creation order (`streaming` with the partial text, `completed`, or `discarded`). The seq may jump ahead.
 */
export interface SnapshotEvent extends EventEnvelope {
  type: "snapshot";
  status: Omit<StatusEvent, keyof EventEnvelope>;
  progress?: Omit<ProgressEvent, keyof EventEnvelope> | null;
  artifacts: Artifact[];
}

/** One entry of a job's durable log; switch on `type`. */
export type JobEvent =
  | StatusEvent
  | ProgressEvent
  | ArtifactCreatedEvent
  | ArtifactDeltaEvent
  | ArtifactCompletedEvent
  | ArtifactDiscardedEvent
  | SnapshotEvent;

export type JobEventType = JobEvent["type"];

export const JOB_EVENT_TYPES: readonly JobEventType[] = [
  "status",
  "progress",
  "artifact.created",
  "artifact.delta",
  "artifact.completed",
  "artifact.discarded",
  "snapshot",
];

const TERMINAL: readonly JobStatus[] = ["completed", "failed", "cancelled"];

/** True for the last event of every job's log: a status of completed, failed or cancelled (or a snapshot of one). */
export function isTerminal(event: JobEvent): event is StatusEvent | SnapshotEvent {
  return (event.type === "status" && TERMINAL.includes(event.status))
    || (event.type === "snapshot" && TERMINAL.includes(event.status.status));
}

/** A stream-level `event: error`: not part of the job's log, so it carries no id. */
export interface StreamErrorBody {
  code: string | null;
  message: string;
  retryable: boolean;
}
