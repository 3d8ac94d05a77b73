/**
 * `expect=fail`: a step that is supposed to fail (a diagnostic against a crash-looping pod, a
 * request a revoked key must be refused). The runner asks `judge` once a step has run:
 *
 * - it failed on its own (an exit code, an HTTP status, an assertion): it passed, keeping its
 *   result and error (`expectedFailure`), so later expressions still read `diag.exitCode` and
 *   `diag.error`;
 * - it passed: it failed, `expected to fail, but it passed`, keeping its result.
 *
 * A timeout, a cancel or an interruption is never the failure that was expected: it stays what it
 * is. Neither is a step that never ran (it could not be prepared, or was refused as an unguarded
 * side effect): the runner judges only what a handler executed. `expect=fail` says nothing about
 * side effects: a step that writes still needs its confirm.
 */
import type { Step } from '../document/model.js';
import type { StepOutcome } from './context.js';
import type { StepStatus } from './events.js';

export interface Judged {
  outcome: StepOutcome;
  status: StepStatus;
  ms: number;
}

export const UNEXPECTED_PASS = 'expected to fail, but it passed';

/** The step's outcome as its `expect` reads it; unchanged for a step expected to pass. */
export function judge<T extends Judged>(step: Step, executed: T): T {
  if (step.expect !== 'fail') return executed;
  const { outcome, status } = executed;
  if (outcome.status === 'passed') {
    if (outcome.expectedFailure !== undefined) return executed;
    const error = outcome.warning ? `${UNEXPECTED_PASS} (with a warning: ${outcome.warning})` : UNEXPECTED_PASS;
    const result = outcome.result !== undefined ? { result: outcome.result } : {};
    return { ...executed, outcome: { status: 'failed', error, ...result }, status: 'failed' };
  }
  if (outcome.status !== 'failed' || status !== 'failed' || outcome.timedOut === true) return executed;
  return {
    ...executed,
    outcome: { status: 'passed', result: outcome.result ?? null, expectedFailure: outcome.error },
    status: 'passed',
  };
}

/** What a pass records beside its result: a soft assertion's warning, or the failure that was expected. */
export function passNotes(outcome: Extract<StepOutcome, { status: 'passed' }>): {
  warning?: string;
  expectedFailure?: string;
} {
  return {
    ...(outcome.warning !== undefined ? { warning: outcome.warning } : {}),
    ...(outcome.expectedFailure !== undefined ? { expectedFailure: outcome.expectedFailure } : {}),
  };
}
