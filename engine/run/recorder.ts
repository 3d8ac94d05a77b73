/**
 * The seam between the runner and the transcript: the runner hands every event to a Recorder.
 * engine/transcript/chain-recorder.ts implements it: redaction, the hash chain and the store, with the
 * reporter and --json as its sinks.
 */
import type { RunEvent } from './events.js';

export type RecordedEvent = RunEvent & { seq: number; ts: string; runId: string };

export interface Recorder {
  /**
   * Records an event. `durable`: on disk (fsync'd) before this resolves, as the start of a step
   * with side effects must be. `commit`: committed before this resolves (the end of such a step).
   * Other events are group-committed within a few ms (GROUP_COMMIT_MS in chain-recorder.ts).
   */
  record(event: RunEvent, options?: { durable?: boolean; commit?: boolean }): Promise<RecordedEvent>;
  close(): Promise<void>;
}

export type EventSink = (event: RecordedEvent) => void;
