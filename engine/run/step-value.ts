/**
 * What a step id means in an expression, whatever happened to the step: its result's fields
 * (null where there is no value), its `outcome` and its `error`. A failed, skipped or not yet run
 * step is never undefined, so `gw.status == 200` is false for a skipped `gw`, not an exception;
 * a placeholder in a command that reads such a field fails the step instead (see the runner's
 * `value`).
 */
import type { Step } from '../document/model.js';
import { stepSpec } from '../steps/registry.js';

/** How a step ended, as expressions see it: a transcript status, `declined`, or `pending` (not run yet). */
export type StepOutcomeName =
  | 'passed'
  | 'failed'
  | 'skipped'
  | 'timed-out'
  | 'cancelled'
  | 'interrupted'
  | 'declined'
  | 'pending';

export function resultFields(step: Step): string[] {
  const spec = stepSpec(step.kind);
  return [...(spec.resultFields?.(step) ?? spec.result)];
}

export function stepValue(
  step: Step,
  outcome: StepOutcomeName,
  result?: unknown,
  error?: string | null,
): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const field of resultFields(step)) value[field] = null;
  if (result !== null && typeof result === 'object' && !Array.isArray(result)) Object.assign(value, result);
  value.outcome = outcome;
  value.error = error ?? null;
  return value;
}
