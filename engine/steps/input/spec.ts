import { INPUT_DECL_TYPES } from '../../document/frontmatter-model.js';
import type { StepSpec } from '../../document/step-spec.js';
import { isSecretInputStep } from './secret-answer.js';

/** `input`: asks the responder for a value mid-run. */
export const inputSpec = {
  kind: 'input',
  summary: 'asks the responder for a value mid-run (string, number, boolean, choice, secret)',
  result: ['value'],
  gate: true,
  // A secret's answer was recorded masked: a resumed run asks again, never replays the mask.
  notReplayed: isSecretInputStep,
  attributes: {
    type: { type: 'enum', values: INPUT_DECL_TYPES, doc: 'value type (default string)' },
    options: { type: 'template', doc: 'choices: a comma list, or {{ expression }} giving an array' },
    pattern: { type: 'template', doc: 'a regular expression the value must match' },
    default: { type: 'template', doc: 'the value offered first' },
  },
  label: 'required',
  content: 'none',
} satisfies StepSpec;
