/**
 * assert: the expression, what it expected and the actual value. For a comparison
 * (`stuck.rowCount == 0`) the result's `actual` is its left side, so the expected part is the
 * operator and the right side; otherwise `actual` is the whole expression's value.
 */
import { comparison } from '../../engine/expr/parsed.js';
import { literal, styled, type ResultDescriber } from './describer.js';

export const assert = {
  summary() {
    return 'holds';
  },
  result(result, context) {
    const expression = context.plan?.summary.replace(/^assert /, '') ?? '';
    const holds = result.passed === true;
    const compared = comparison(expression);
    return [
      styled(holds ? '32' : '31', `${holds ? 'holds' : 'does not hold'}${expression ? `: ${expression}` : ''}`),
      ...(compared
        ? [
            `  expected  ${compared.operator} ${compared.right}`,
            `  actual    ${literal(result.actual)}  (${compared.left})`,
          ]
        : [`  expected  a true value`, `  actual    ${literal(result.actual)}`]),
    ];
  },
  plan(plan) {
    return [plan.summary];
  },
} satisfies ResultDescriber;
