import type { StepSpec } from '../../document/step-spec.js';

/**
 * `assert`: checks an expression; the label says what should hold. `severity=warn` makes it a
 * soft assertion: when it does not hold the step passes with a warning (runbooks/README.md,
 * "Soft assertions and expected failures").
 */
export const assertSpec = {
  kind: 'assert',
  summary: 'checks that an expression holds; the label says what should be true',
  result: ['passed', 'actual', 'warned'],
  effect: () => false,
  attributes: {
    that: { type: 'expression', required: true, doc: 'the expression that must be true' },
    severity: {
      type: 'enum',
      values: ['error', 'warn'],
      doc: 'what a false assertion does: `error` fails the step (default), `warn` passes it with a warning',
    },
  },
  label: 'optional',
  content: 'none',
  idText: (attr) => attr('that'),
} satisfies StepSpec;
