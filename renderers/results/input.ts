/** input: the value given (a secret input's was recorded masked, as `***`). */
import { literal, type ResultDescriber } from './describer.js';

export const input = {
  result(result) {
    return [`= ${literal(result.value)}`];
  },
  plan(plan) {
    return [plan.summary];
  },
} satisfies ResultDescriber;
