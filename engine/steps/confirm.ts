import type { StepSpec } from './schema.js';

/** `confirm`: a human gate; the label is the question. */
export const confirm = {
  kind: 'confirm',
  summary: 'a human gate: the label is the question; `danger` gates need a typed `phrase`',
  attributes: {
    danger: { type: 'boolean', doc: 'a dangerous gate: never auto-answered by --yes; the responder types `phrase`' },
    phrase: { type: 'template', doc: 'the text a responder must type to pass a danger gate' },
  },
  label: 'required',
  content: 'markdown',
} as const satisfies StepSpec;
