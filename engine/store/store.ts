/**
 * Where transcripts live. Two implementations pass one test suite: an embedded SQLite database
 * (the default, `.stepwise/stepwise.db`) and PostgreSQL (`--store postgres://...`), where a team
 * keeps one evidence store and follows live runs from other machines.
 */
import type { RunStatus } from '../run/events.js';
import type { ChainedEvent } from '../transcript/chain.js';

/** What a store keeps of a run when it starts; its status changes as the run ends or resumes. */
export interface RunStart {
  runId: string;
  runbookPath: string;
  runbookTitle: string;
  operator: string;
  host: string;
  mode: string;
  /** `running` until a run.finished or run.interrupted is appended (a killed run stays `running`). */
  status: RunStatus | 'running';
  startedAt: string;
}

/** One run, as `stepwise runs` lists it: its start, and what its newest event says. */
export interface RunRow extends RunStart {
  /** The newest event's time. */
  updatedAt: string;
  /** The newest event's seq. */
  events: number;
  /** The newest event's hash. */
  head: string;
}

/** Who holds a runbook's lock (a running run), to tell a second responder. */
export interface LockHolder {
  runId: string;
  operator: string;
  host: string;
  pid: number;
  since: string;
}

export type LockResult = { ok: true; release(): Promise<void> } | { ok: false; heldBy: LockHolder | null };

export interface TranscriptStore {
  /** For messages: the file path, or the URL without credentials. */
  readonly location: string;
  /**
   * Appends sealed events of one run, in order, in one transaction. `durable`: on disk (fsync'd)
   * before this resolves. Otherwise committed (it survives the process being killed).
   */
  append(events: readonly ChainedEvent[], durable: boolean): Promise<void>;
  /** Runs, newest first. */
  runs(limit?: number): Promise<RunRow[]>;
  run(runId: string): Promise<RunRow | null>;
  /** A run's events in seq order, those after `afterSeq`. */
  events(runId: string, afterSeq?: number): Promise<ChainedEvent[]>;
  /** An exact run id, a unique prefix of one, or `last`; null when nothing matches. Throws on an ambiguous prefix. */
  resolve(ref: string): Promise<string | null>;
  /**
   * Calls `onEvents` with each batch appended after `afterSeq` until the run ends (run.finished)
   * or `signal` aborts.
   */
  follow(
    runId: string,
    afterSeq: number,
    onEvents: (events: ChainedEvent[]) => void,
    signal: AbortSignal,
  ): Promise<void>;
  /** Takes the lock for `key` (a runbook against its targets), or says who holds it. Released by release() or when this process ends. */
  lock(key: string, holder: LockHolder): Promise<LockResult>;
  /**
   * Which of these runs have a live process: one that holds a lock in this store (every run does,
   * its runbook's or, with --force, one of its own). A run recorded as running that is not live
   * was killed or crashed; `resume` continues it.
   */
  liveRuns(runIds: readonly string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

export class StoreError extends Error {}

/** A run reference matched several runs. */
export class AmbiguousRunError extends StoreError {}

/** The run row an appended run.started creates. */
export function rowFromStart(event: ChainedEvent): RunStart | null {
  if (event.type !== 'run.started') return null;
  const d = event.data;
  return {
    runId: event.runId,
    runbookPath: d.runbook.path,
    runbookTitle: d.runbook.title,
    operator: d.operator,
    host: d.host,
    mode: d.mode,
    status: 'running',
    startedAt: event.ts,
  };
}

/** The status a run has after `event`, when the event changes it. */
export function statusAfter(event: ChainedEvent): RunRow['status'] | null {
  if (event.type === 'run.finished') return event.data.status;
  if (event.type === 'run.interrupted') return 'interrupted';
  if (event.type === 'run.resumed') return 'running';
  return null;
}
