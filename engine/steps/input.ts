import type { StepSpec } from './schema.js';

export const INPUT_TYPES = ['string', 'number', 'boolean', 'choice', 'secret'] as const;

/** `input`: asks the responder for a value mid-run. */
export const input = {
  kind: 'input',
  summary: 'asks the responder for a value mid-run (string, number, boolean, choice, secret)',
  attributes: {
    type: { type: 'enum', values: INPUT_TYPES, doc: 'value type (default string)' },
    options: { type: 'template', doc: 'choices: a comma list, or {{ expression }} giving an array' },
    pattern: { type: 'template', doc: 'a regular expression the value must match' },
    default: { type: 'template', doc: 'the value offered first' },
  },
  label: 'required',
  content: 'none',
} as const satisfies StepSpec;
