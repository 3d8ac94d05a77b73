import type { StepSpec } from '../../document/step-spec.js';

/**
 * The largest value a `set` step may compute, as canonical JSON: each value is recorded in the
 * transcript with the step's result, so `'y'.repeat(5e7)` would otherwise write a 50 MB event.
 */
export const MAX_SET_VALUE_BYTES = 1024 * 1024;

/** `set`: computes named values, each attribute an expression (`::set{#calc total="a.rowCount + 1"}`). */
export const setSpec = {
  kind: 'set',
  summary: 'computes named values: each attribute is an expression; results are `id.name`',
  result: [],
  // Its result holds the names it computes.
  resultFields: (step) => Object.keys(step.attributes),
  effect: () => false,
  pure: true,
  attributes: {},
  anyAttribute: {
    type: 'expression',
    doc: `a value to compute (at most ${MAX_SET_VALUE_BYTES / 1024 / 1024} MiB as JSON)`,
  },
  anyAttributeName: (name) =>
    /^[A-Za-z_$][\w$]*$/.test(name)
      ? null
      : {
          message: `\`${name}\` cannot be a value name: it could not be written as \`id.${name}\``,
          hint: 'use letters, digits and _',
        },
  label: 'optional',
  content: 'none',
} satisfies StepSpec;
