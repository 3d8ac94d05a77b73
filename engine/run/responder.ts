/**
 * Gates (confirm, input) are answered through one interface: headless from an answers file and
 * --yes, the TUI from the terminal. A responder that cannot answer says so; it never guesses.
 */
import type { AnswerSource, StepPlan, StepStatus } from './events.js';

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
  type: 'string' | 'number' | 'boolean' | 'choice' | 'secret';
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
  /** Records a note by the operator (note.added) now, about this step unless another is named. */
  note(text: string, stepId?: string): Promise<void>;
}

/** `skip` is recorded `skipped by OPERATOR: reason`; `stop` ends the run (the responder aborts its signal first). */
export type StepDecision = { action: 'run' } | { action: 'skip'; reason: string } | { action: 'stop' };

export interface Responder {
  confirm(request: ConfirmRequest): Promise<Answer<boolean>>;
  input(request: InputRequest): Promise<Answer<unknown>>;
  /**
   * Interactive runs only (the TUI): asked before each step runs (after its conditions hold) and
   * again after an attempt fails. A responder without it (headless) runs every step once.
   */
  beforeStep?(turn: StepTurn): Promise<StepDecision>;
}
