import type { Expression, Step } from '../../document/model.js';
import { comparison } from '../../expr/parsed.js';
import type { StepHandler } from '../handler.js';

/** `assert`: checks an expression; the label says what should hold. */
export const assertHandler = {
  plan(ctx) {
    const that = ctx.step.attributes.that;
    return { summary: `assert ${that?.type === 'expression' ? that.expression.source : ''}` };
  },
  record({ summary }) {
    return { summary, effect: false };
  },
  async execute(ctx) {
    const that = ctx.step.attributes.that;
    if (that?.type !== 'expression') return { status: 'failed', error: 'assert has no `that`' };
    const value = ctx.evaluate(that.expression);
    const passed = Boolean(value);
    const left = comparedValue(that.expression);
    const actual = left ? ctx.evaluate(left) : value;
    ctx.record.assert(that.expression.source, passed, actual);
    if (passed) return { status: 'passed', result: { passed, actual } };
    const label = ctx.step.label ? `${ctx.render(ctx.step.label)}: ` : '';
    const shown = left ? `\`${left.source}\` is ${JSON.stringify(actual)}` : `it is ${JSON.stringify(value)}`;
    const what = `${label}\`${that.expression.source}\` does not hold (${shown})`;
    // A soft assertion: the run goes on and passes, and the summary and reports list the warning.
    if (isWarning(ctx.step)) return { status: 'passed', result: { passed, actual, warned: true }, warning: what };
    return { status: 'failed', error: `assertion failed: ${what}`, result: { passed, actual } };
  },
} satisfies StepHandler<{ summary: string }>;

/** `severity=warn`: a false assertion is a warning, not a failure. */
function isWarning(step: Step): boolean {
  const severity = step.attributes.severity;
  return severity?.type === 'enum' && severity.value === 'warn';
}

/** For `a.rowCount == 0` style assertions, the left side: its value is what a responder wants to see. */
function comparedValue(expression: Expression): Expression | null {
  const compared = comparison(expression.source);
  return compared === null ? null : { source: compared.left, span: expression.span };
}
