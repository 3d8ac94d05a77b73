import type { StepSpec } from './schema.js';

/** `assert`: checks an expression; the label says what should hold. */
export const assert = {
  kind: 'assert',
  summary: 'checks that an expression holds; the label says what should be true',
  attributes: {
    that: { type: 'expression', required: true, doc: 'the expression that must be true' },
  },
  label: 'optional',
  content: 'none',
} as const satisfies StepSpec;
