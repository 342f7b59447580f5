"use client";

import {
  type ClientListener,
  ContentGenClient,
  ContentGenError,
  describeRetrying,
  type JobEvent,
  type JobStatus,
} from "@contentgen/client";
import { type FormEvent, useEffect, useReducer, useRef, useState } from "react";

/** How the page reaches the job's events: through this app's route handler, or straight from contentgen. */
type Mode = "proxy" | "direct";

interface Piece {
  artifactId: string;
  kind: string;
  title: string;
  text: string;
  done: boolean;
}

interface View {
  status: JobStatus | "idle" | "creating";
  lastSeq: number;
  pieces: Piece[];
}

const EMPTY: View = { status: "idle", lastSeq: 0, pieces: [] };

/** The page's picture of a job, grown one event at a time (each event arrives exactly once). */
function apply(view: View, event: JobEvent | "reset" | "creating"): View {
  if (event === "reset") {
    return EMPTY;
  }
  if (event === "creating") {
    return { ...EMPTY, status: "creating" };
  }
  const next = { ...view, lastSeq: event.seq };
  const update = (id: string, change: (p: Piece) => Piece): Piece[] =>
    view.pieces.map((p) => (p.artifactId === id ? change(p) : p));
  switch (event.type) {
    case "status":
      return { ...next, status: event.status };
    case "artifact.created":
      return { ...next, pieces: [...view.pieces, { artifactId: event.artifactId, kind: event.kind, title: event.title, text: "", done: false }] };
    case "artifact.delta":
      return { ...next, pieces: update(event.artifactId, (p) => ({ ...p, text: p.text + event.text })) };
    case "artifact.completed":
      return { ...next, pieces: update(event.artifactId, (p) => ({ ...p, text: event.content, done: true })) };
    case "artifact.discarded":
      // Its step was interrupted and runs again as a new artifact.
      return { ...next, pieces: view.pieces.filter((p) => p.artifactId !== event.artifactId) };
    default:
      return next;
  }
}

/** A stream token from this app's backend, which holds the key. Asked again when a token expires. */
async function streamToken(jobId: string): Promise<string> {
  const answer = await fetch(`/api/jobs/${encodeURIComponent(jobId)}/token`, { method: "POST" });
  if (!answer.ok) {
    throw new Error(`no stream token (${answer.status})`);
  }
  return ((await answer.json()) as { token: string }).token;
}

export function Generator({ contentgenUrl }: { contentgenUrl: string }) {
  const [mode, setMode] = useState<Mode>("proxy");
  const [topic, setTopic] = useState("");
  const [view, dispatch] = useReducer(apply, EMPTY);
  const [connection, setConnection] = useState("");
  const [failure, setFailure] = useState<string | null>(null);
  const [jobId, setJobId] = useState("");
  const running = useRef<AbortController | null>(null);

  useEffect(() => () => running.current?.abort(), []);

  async function generate(e: FormEvent): Promise<void> {
    e.preventDefault();
    running.current?.abort();
    const stop = new AbortController();
    running.current = stop;
    dispatch("creating");
    setFailure(null);
    const listener: ClientListener = {
      onConnected: () => setConnection("live"),
      onRetrying: (r) => setConnection(describeRetrying(r)),
      onErrorEvent: (_id, error) => setConnection(`${error.code}: ${error.message}`),
    };
    // This app's own origin: POST /api/jobs and GET /api/jobs/{id}/events are its route handlers.
    const app = new ContentGenClient({ baseUrl: window.location.origin, listener });
    try {
      const job = await app.createJob({ topic, length: "short" }, { signal: stop.signal });
      dispatch("reset");
      setJobId(job.id);
      const events =
        mode === "proxy"
          ? app.events(job.id, { signal: stop.signal })
          : new ContentGenClient({ baseUrl: contentgenUrl, listener }).events(job.id, { signal: stop.signal, token: streamToken });
      for await (const event of events) {
        dispatch(event);
      }
      setConnection("closed");
    } catch (error) {
      if (stop.signal.aborted) {
        return;
      }
      setFailure(error instanceof ContentGenError ? `${error.kind}: ${error.message}` : String(error));
    }
  }

  const article = view.pieces.find((p) => p.kind === "article");
  return (
    <>
      <form onSubmit={generate}>
        <label>
          Topic <input name="topic" value={topic} onChange={(e) => setTopic(e.target.value)} required maxLength={500} />
        </label>{" "}
        <label>
          Stream{" "}
          <select name="mode" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
            <option value="proxy">through this app</option>
            <option value="direct">straight from contentgen (stream token)</option>
          </select>
        </label>{" "}
        <button type="submit" disabled={view.status === "creating"}>
          Generate
        </button>
      </form>
      <p data-testid="status" data-status={view.status} data-last-seq={view.lastSeq} data-job-id={jobId} aria-live="polite">
        {view.status} · event {view.lastSeq} · {connection}
      </p>
      {failure && <p role="alert">{failure}</p>}
      {article?.done ? (
        <article data-testid="article" style={{ whiteSpace: "pre-wrap" }}>
          {article.text}
        </article>
      ) : (
        view.pieces.map((p) => (
          <section key={p.artifactId} data-testid="piece" data-kind={p.kind}>
            <h2>{p.title}</h2>
            <div style={{ whiteSpace: "pre-wrap" }}>{p.text}</div>
          </section>
        ))
      )}
    </>
  );
}
