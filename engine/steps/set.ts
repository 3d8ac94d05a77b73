import type { StepSpec } from './schema.js';

/** `set`: computes named values, each attribute an expression (`::set{#calc total="a.rowCount + 1"}`). */
export const set = {
  kind: 'set',
  summary: 'computes named values: each attribute is an expression; results are `id.name`',
  attributes: {},
  anyAttribute: { type: 'expression', doc: 'a value to compute' },
  label: 'optional',
  content: 'none',
} as const satisfies StepSpec;
