/** wait: whether its condition came to hold, and after how many attempts. */
import { asNumber, plural, type ResultDescriber } from './describer.js';

export const wait = {
  summary(r) {
    return `after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}`;
  },
  result(result) {
    const attempts = asNumber(result.attempts);
    return [
      `${result.passed === false ? 'still not holding' : 'held'}${attempts === undefined ? '' : ` after ${plural(attempts, 'attempt')}`}`,
    ];
  },
  plan(plan) {
    return [plan.summary];
  },
} satisfies ResultDescriber;
