/** A secret input's answer: masked from the moment it is given, and recorded only masked. */
import type { Step } from '../../document/model.js';

/** An `input` step of type secret: its answer is masked, and recorded only masked. */
export function isSecretInputStep(step: Step): boolean {
  const type = step.attributes.type;
  return step.kind === 'input' && type?.type === 'enum' && type.value === 'secret';
}

/** The name a secret input step's answer is masked under: `[REDACTED:input.ID]`. */
export const secretAnswerName = (stepId: string): string => `input.${stepId}`;
