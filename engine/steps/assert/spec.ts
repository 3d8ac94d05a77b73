import type { StepSpec } from '../../document/step-spec.js';

/** `assert`: checks an expression; the label says what should hold. */
export const assertSpec = {
  kind: 'assert',
  summary: 'checks that an expression holds; the label says what should be true',
  result: ['passed', 'actual'],
  effect: () => false,
  attributes: {
    that: { type: 'expression', required: true, doc: 'the expression that must be true' },
  },
  label: 'optional',
  content: 'none',
  idText: (attr) => attr('that'),
} satisfies StepSpec;
