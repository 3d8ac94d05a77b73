/**
 * What a run says happened, as events (README.md, "Transcripts: the evidence a run leaves"). The runner emits
 * them through a Recorder; the recorder adds seq, ts, runId, prev and hash, and the store keeps
 * them. Renderers (the headless reporter, --json, the TUI, reports) only ever read events.
 */

export type StepStatus = 'passed' | 'failed' | 'skipped' | 'timed-out' | 'cancelled' | 'interrupted';
export type RunStatus = 'passed' | 'failed' | 'declined' | 'blocked' | 'interrupted' | 'invalid';
export type RunMode = 'headless' | 'interactive' | 'dry-run';

export interface RunStartedData {
  runbook: { path: string; id: string; title: string; sha256: string; source: string };
  inputs: Record<string, unknown>;
  /** Target names and kinds, with credentials removed from their locations. */
  targets: Record<string, { kind: string; location: string }>;
  operator: string;
  host: string;
  engineVersion: string;
  mode: RunMode;
  /** The environment profile the run uses (`--profile`, or the runbook's `default-profile`), when it uses one. */
  profile?: string;
  formatVersion: 1;
  /** Started at a section (`run --from`/`--only`, engine/run/scope.ts); absent for a whole run. */
  scope?: RunScopeRecord;
}

/**
 * The section a run started at, by slug, and the gates before it that ran because their answers
 * were given (`resume` rebuilds the same scope from it).
 */
export type RunScopeRecord = ({ from: string } | { only: string }) & { answered?: string[] };

/** What a step does, rendered with the values known when it starts: shown before, recorded exactly. */
export interface StepPlan {
  /** One line: `SELECT ... on db`, `GET http://.../health`, `bash: ss -ltn`. */
  summary: string;
  /** The full text as executed: rendered SQL, the HTTP request, the script. */
  text?: string;
  /** SQL bind values, in order. */
  params?: unknown[];
  /**
   * Values a shell script reads from its environment, by variable name (`STEPWISE_V1`): the
   * script text holds only references to them (`"$STEPWISE_V1"`), so no value is ever code.
   */
  env?: Record<string, string>;
  target?: string;
  /** Whether it changes something (shell, writing sql, non-GET http, gates). */
  effect: boolean;
}

/** A signed transcript head (`head.signed`): the seq and hash it vouches for, the key and the signature. */
export type HeadSignature = { seq: number; hash: string; algorithm: 'ed25519'; key: string; signature: string };

export type RunEvent =
  | { type: 'run.started'; data: RunStartedData }
  | { type: 'step.started'; data: { stepId: string; kind: string; plan: StepPlan; attempt: number } }
  | { type: 'step.output'; data: { stepId: string; stream: 'stdout' | 'stderr'; chunk: string } }
  | { type: 'step.finished'; data: StepFinishedData }
  | {
      type: 'confirm.answered';
      data: { stepId: string; answer: boolean; by: string; via: AnswerSource; rerun?: boolean };
    }
  | { type: 'input.answered'; data: { stepId: string; value: unknown; by: string; via: AnswerSource } }
  | { type: 'assert.evaluated'; data: { stepId: string; expression: string; passed: boolean; actual: unknown } }
  | { type: 'note.added'; data: { stepId?: string; text: string; by: string } }
  | { type: 'run.interrupted'; data: { reason: string; signal?: string } }
  | { type: 'run.resumed'; data: RunResumedData }
  | {
      type: 'run.finished';
      /** `warnings`: how many steps passed with a warning (soft assertions that did not hold); absent when none. */
      data: { status: RunStatus; exitCode: number; ms: number; counts: Record<StepStatus, number>; warnings?: number };
    }
  | { type: 'head.signed'; data: HeadSignature };

/** `resume` continues the same transcript: who resumed it, where, and what it found unfinished. */
export interface RunResumedData {
  operator: string;
  host: string;
  engineVersion: string;
  /** The last seq before this resume. */
  afterSeq: number;
  /** Steps that started and never finished: recorded `interrupted`, re-run only after a confirm. */
  interrupted: string[];
  /**
   * Side-effecting steps that may have taken effect (never finished, or cancelled, timed out or
   * interrupted after they started): each runs again only after a confirm, unless idempotent.
   */
  uncertain?: string[];
}

export type AnswerSource = 'answers-file' | 'yes' | 'terminal' | 'default';

/**
 * A finished step: a failure must say why; a skip says what condition skipped it. A pass may carry
 * a `warning` (a soft assertion that did not hold) or the `expectedFailure` of an `expect=fail`
 * step (the error it failed with, as it was supposed to).
 */
export type StepFinishedData = { stepId: string; ms: number } & (
  | { status: 'passed'; result: unknown; warning?: string; expectedFailure?: string }
  | { status: 'failed' | 'timed-out' | 'cancelled' | 'interrupted'; error: string; result?: unknown }
  | { status: 'skipped'; reason: string; plan?: StepPlan }
);

export type RunEventType = RunEvent['type'];
export type EventData<T extends RunEventType> = Extract<RunEvent, { type: T }>['data'];
