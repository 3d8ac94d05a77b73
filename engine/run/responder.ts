/**
 * Gates (confirm, input) are answered through one interface: headless from an answers file and
 * --yes, the TUI from the terminal. A responder that cannot answer says so; it never guesses.
 */
import type { AnswerSource, StepPlan, StepStatus } from './events.js';
import type { InputType } from '../document/frontmatter-model.js';

export interface ConfirmRequest {
  stepId: string;
  question: string;
  danger: boolean;
  phrase: string | null;
  /** Resuming: may a step that may have taken effect run again? (headless: `rerun: { id: yes }`) */
  rerun?: boolean;
  /** With `rerun`: what happened to it (`started but never finished …`, `was cancelled after it started`). */
  ended?: string;
}

export interface InputRequest {
  stepId: string;
  question: string;
  /** A `list` is typed as text with commas. */
  type: InputType;
  options: unknown[] | null;
  pattern: string | null;
  defaultValue: unknown;
}

export type Answer<T> = { answered: true; value: T; by: string; via: AnswerSource } | { answered: false; why: string };

/** An interactive run's turn: a step is about to run, or its attempt just failed. */
export interface StepTurn {
  stepId: string;
  /** The attempt that would run next (1 for the first; 2 after one failed attempt, ...). */
  attempt: number;
  /** What it will run, rendered with the values known now and redacted (as step.started will record it); or why it cannot be. */
  plan?: StepPlan;
  planError?: string;
  /**
   * After a failed attempt: how it ended (redacted; recorded once the responder has decided).
   * `run` retries it; anything else keeps the failure.
   */
  failed?: { status: StepStatus; error: string; result?: unknown };
  /**
   * Another step's plan as it would run now (rendered with the values known, redacted), or why it
   * cannot be rendered yet (a value it needs is not known): a confirm's dialog shows the steps it guards.
   */
  preview(stepId: string): { plan: StepPlan } | { planError: string };
  /** Records a note by the operator (note.added) now, about this step unless another is named. */
  note(text: string, stepId?: string): Promise<void>;
}

/**
 * `run` may carry the responder's own cancel for this attempt: aborting it cancels the step alone
 * (the query cancelled on the server, the process group killed), recorded `cancelled by OPERATOR`,
 * and the run asks again (`failed.status` is `cancelled`): run it again, skip it, or stop.
 * `skip` is recorded `skipped by OPERATOR: reason` (after a failed or cancelled attempt too); a
 * skipped gate skips the steps it guards, fail safe. `stop` ends the run (the responder aborts its
 * signal first).
 */
export type StepDecision =
  | { action: 'run'; cancel?: AbortSignal }
  | { action: 'skip'; reason: string }
  | { action: 'stop' };

export interface Responder {
  confirm(request: ConfirmRequest): Promise<Answer<boolean>>;
  input(request: InputRequest): Promise<Answer<unknown>>;
  /**
   * Interactive runs only (the TUI): asked before each step runs (after its conditions hold) and
   * again after an attempt fails. A responder without it (headless) runs every step once.
   */
  beforeStep?(turn: StepTurn): Promise<StepDecision>;
}
