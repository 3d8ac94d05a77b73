/**
 * The seam between the runner and the transcript: the runner hands every event to a Recorder.
 * The durable, hash-chained store plugs in here; so do the reporter and --json.
 */
import type { RunEvent } from './events.js';

export type RecordedEvent = RunEvent & { seq: number; ts: string; runId: string };

export interface Recorder {
  /**
   * Records an event. `durable`: on disk (fsync'd) before this resolves, as the start of a step
   * with side effects must be. `commit`: committed before this resolves (the end of such a step).
   * Other events are group-committed on the next turn of the event loop.
   */
  record(event: RunEvent, options?: { durable?: boolean; commit?: boolean }): Promise<RecordedEvent>;
  close(): Promise<void>;
}

export type EventSink = (event: RecordedEvent) => void;

/** Numbers and time-stamps events, and hands them to sinks (reporter, NDJSON, a store). Keeps none. */
export function fanOutRecorder(runId: string, sinks: EventSink[], now: () => Date = () => new Date()): Recorder {
  let seq = 0;
  return {
    async record(event) {
      const recorded = { ...event, seq: ++seq, ts: now().toISOString(), runId } as RecordedEvent;
      for (const sink of sinks) sink(recorded);
      return recorded;
    },
    async close() {},
  };
}
