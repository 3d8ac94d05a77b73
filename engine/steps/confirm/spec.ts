import type { StepSpec } from '../../document/step-spec.js';

/** `confirm`: a human gate; the label is the question. Its answer guards the side effects after it. */
export const confirmSpec = {
  kind: 'confirm',
  summary: 'a human gate: the label is the question; `danger` gates need a typed `phrase`',
  result: ['answer', 'by', 'at'],
  gate: true,
  guard: true,
  attributes: {
    danger: { type: 'boolean', doc: 'a dangerous gate: never auto-answered by --yes; the responder types `phrase`' },
    phrase: { type: 'template', doc: 'the text a responder must type to pass a danger gate' },
    'on-decline': {
      type: 'enum',
      values: ['stop', 'skip'],
      doc: 'what "no" does: stop the run (default, exit 3), or skip the steps this confirm guards and go on',
    },
  },
  label: 'required',
  labelIs: 'the question to ask',
  content: 'markdown',
} satisfies StepSpec;
