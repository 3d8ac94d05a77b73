import type { StepSpec } from './schema.js';

/** `note`: text recorded in the transcript. */
export const note = {
  kind: 'note',
  summary: 'text recorded in the transcript (the label, or the container text)',
  attributes: {},
  label: 'optional',
  content: 'markdown',
} as const satisfies StepSpec;
