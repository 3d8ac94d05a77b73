/** Every expression a step holds, with the role it plays (for references and diagnostics). */
import type { Expression, Step } from '../document/model.js';
import { templateExpressions } from '../document/template-source.js';

export interface StepExpression {
  expression: Expression;
  /** `label`, `body`, `when`, `condition`, or the attribute's name. */
  role: string;
}

export function stepExpressions(step: Step): StepExpression[] {
  const out: StepExpression[] = [];
  for (const condition of step.conditions) out.push({ expression: condition, role: 'condition' });
  if (step.when) out.push({ expression: step.when, role: 'when' });
  if (step.label) for (const e of templateExpressions(step.label)) out.push({ expression: e, role: 'label' });
  for (const [name, value] of Object.entries(step.attributes)) {
    if (value.type === 'expression') out.push({ expression: value.expression, role: name });
    else if (value.type === 'template')
      for (const e of templateExpressions(value.template)) out.push({ expression: e, role: name });
  }
  if (step.body) for (const e of templateExpressions(step.body.template)) out.push({ expression: e, role: 'body' });
  return out;
}
