import type { StepSpec } from '../../document/step-spec.js';

/** `note`: text recorded in the transcript. */
export const noteSpec = {
  kind: 'note',
  summary: 'text recorded in the transcript (the label, or the container text)',
  result: ['text'],
  effect: () => false,
  attributes: {},
  label: 'optional',
  content: 'markdown',
} satisfies StepSpec;
