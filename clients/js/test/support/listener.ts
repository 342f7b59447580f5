import type { ClientListener, ErrorEvent, Retrying } from "../../src/index.js";

/** A listener that records what it hears and lets a test wait for a moment (a signal, not a sleep). */
export class RecordingListener implements ClientListener {
  readonly retries: Retrying[] = [];
  readonly connected: number[] = [];
  readonly errorEvents: ErrorEvent[] = [];
  readonly unknownEvents: [number, string][] = [];
  private waiters: { check: () => boolean; done: () => void }[] = [];

  onRetrying(retrying: Retrying): void {
    this.retries.push(retrying);
    this.wake();
  }

  onConnected(_jobId: string, afterSeq: number): void {
    this.connected.push(afterSeq);
    this.wake();
  }

  onErrorEvent(_jobId: string, error: ErrorEvent): void {
    this.errorEvents.push(error);
    this.wake();
  }

  onUnknownEvent(_jobId: string, seq: number, type: string): void {
    this.unknownEvents.push([seq, type]);
  }

  /** Resolves once `check` holds (checked after every hook call). */
  until(check: () => boolean): Promise<void> {
    if (check()) {
      return Promise.resolve();
    }
    return new Promise((done) => this.waiters.push({ check, done }));
  }

  private wake(): void {
    this.waiters = this.waiters.filter((w) => {
      if (w.check()) {
        w.done();
        return false;
      }
      return true;
    });
  }
}
