import type { StepSpec } from './schema.js';

/** `wait`: re-runs a step until an expression holds. */
export const wait = {
  kind: 'wait',
  summary: 're-runs a step every interval until an expression holds, or times out',
  attributes: {
    step: { type: 'step-ref', required: true, doc: 'the step to re-run' },
    until: { type: 'expression', required: true, doc: 'the expression that ends the wait' },
    every: { type: 'duration', doc: 'interval between attempts (default 5s)' },
  },
  label: 'optional',
  content: 'none',
} as const satisfies StepSpec;
