/**
 * Gates (confirm, input) are answered through one interface: headless from an answers file and
 * --yes, the TUI from the terminal. A responder that cannot answer says so; it never guesses.
 */
import type { AnswerSource } from './events.js';

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

export interface Responder {
  confirm(request: ConfirmRequest): Promise<Answer<boolean>>;
  input(request: InputRequest): Promise<Answer<unknown>>;
}
