/** Everything a run is given by its session (engine/run/session.ts): the runner reads no globals. */
import type { RunbookDocument } from '../document/model.js';
import type { StepGraph } from '../graph/model.js';
import type { Redactor } from '../redact/redactor.js';
import type { Connections } from './connections.js';
import type { RunMode } from './events.js';
import type { Recorder } from './recorder.js';
import type { Responder } from './responder.js';
import type { ResumeState } from './resume-state.js';
import type { ResolvedTarget } from './targets.js';

export interface RunSetup {
  document: RunbookDocument;
  graph: StepGraph;
  runId: string;
  inputs: Record<string, unknown>;
  secrets: Record<string, string>;
  env: Record<string, string>;
  /** The process environment shell steps draw their reset environment from. */
  hostEnv: Readonly<Record<string, string | undefined>>;
  targets: Record<string, ResolvedTarget>;
  operator: string;
  mode: RunMode;
  recorder: Recorder;
  /** Masks secrets in output streamed while a step runs (split chunks too) and in messages. */
  redactor: Redactor;
  responder: Responder;
  /** Continuing a recorded run: what already finished, and what started and never finished. */
  resume?: ResumeState;
  /** Steps a run started at a section leaves out, with the reason each is recorded skipped (engine/run/scope.ts). */
  outOfScope?: ReadonlyMap<string, string>;
  connections: Connections;
  options: { allowWrites: boolean; yes: boolean; parallel: number; expressionTimeoutMs?: number };
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  startedAt: Date;
  /** The run's clock (the session's): what gates record as `at`. */
  now: () => Date;
}
