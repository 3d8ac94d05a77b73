/**
 * What a step handler gets to work with. Handlers never touch the sandbox, the recorder or the
 * responder directly: they ask the context, which knows the run.
 */
import type { Expression, Step, Template } from '../document/model.js';
import type { GraphNode } from '../graph/model.js';
import type { SqlConnection } from '../drivers/sql-result.js';
import type { Responder } from './responder.js';
import type { ResolvedTarget } from './targets.js';
import type { AnswerSource, StepPlan, StepStatus } from './events.js';

export type RenderMode = 'text' | 'url';

export interface StepContext {
  step: Step;
  node: GraphNode;
  /** The step's time limit in ms (its `timeout`, else the default 30 s). */
  timeoutMs: number;
  /** Aborted when the run is interrupted or the step's time is up. */
  signal: AbortSignal;
  /** An expression's value, for conditions, labels and assertions: a missing field reads as undefined. */
  evaluate(expression: Expression): unknown;
  /**
   * A placeholder's value where it becomes part of a command (shell, SQL, HTTP): a missing value
   * (an absent field, a field of a step that did not pass) throws a MissingValueError, so the step
   * fails before anything runs instead of running with an empty string.
   */
  value(expression: Expression): unknown;
  /**
   * Text with values (labels, questions, notes, URLs): strict, as `value`. A question a responder
   * is asked to approve never shows a blank where a value should be.
   */
  render(template: Template, mode?: RenderMode): string;
  /** SQL text with placeholders turned into bind parameters, and their values. */
  bind(template: Template, dialect: 'postgres' | 'sqlite'): { text: string; params: unknown[] };
  target(name: string): ResolvedTarget;
  sql(target: string): Promise<SqlConnection>;
  /** Streams a chunk of output into the transcript (long-running steps). */
  output(stream: 'stdout' | 'stderr', chunk: string): void;
  /** Masks a value from now on, in everything recorded or shown (the answer to a secret input). */
  mask(name: string, value: string): void;
  responder: Responder;
  operator: string;
  /** The run's clock: when a gate was answered. */
  now(): Date;
  /** Folder of the runbook: the default working directory of shell steps. */
  runbookDir: string;
  /** The reset environment for shell steps: PATH, HOME, USER, LANG, TERM, TZ and the runbook's `env:` names. */
  env: Record<string, string>;
  options: { allowWrites: boolean; yes: boolean };
  /** Re-runs another step (for `wait`) and returns its outcome. */
  rerun(stepId: string, attempt: number): Promise<StepOutcome>;
  /** Records an assertion or a note. */
  record: {
    assert(expression: string, passed: boolean, actual: unknown): void;
    note(text: string): void;
    confirm(answer: boolean, via: AnswerSource): void;
    input(value: unknown, via: AnswerSource): void;
  };
}

/**
 * A handler's verdict. A failure must say why; `timedOut` says the step's own time limit ended it
 * (the driver stopped it), which the transcript records as `timed-out`. The runner turns aborts
 * into timed-out/cancelled itself.
 */
export type StepOutcome =
  /**
   * `skipsGuarded`: a confirm declined with on-decline=skip; the steps it guards are skipped, with this reason.
   * `warning`: a soft assertion (severity=warn) that did not hold. `expectedFailure`: an `expect=fail`
   * step that failed, with its error (engine/run/expectation.ts).
   */
  | { status: 'passed'; result: unknown; skipsGuarded?: string; warning?: string; expectedFailure?: string }
  | { status: 'failed'; error: string; result?: unknown; timedOut?: boolean }
  | { status: 'declined'; error: string; result?: unknown }
  | { status: 'blocked'; error: string };

export type FinishedStatus = StepStatus;

export interface StepRunner {
  plan(ctx: StepContext): StepPlan;
  execute(ctx: StepContext, plan: StepPlan): Promise<StepOutcome>;
}
