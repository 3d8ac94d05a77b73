/** input: the value given (a secret input's was recorded masked, as `***`). */
import { clean } from '../clean.js';
import { literal, type ResultDescriber } from './describer.js';

export const input = {
  summary(r) {
    return `= ${clean(JSON.stringify(r.value), 60)}`;
  },
  result(result) {
    return [`= ${literal(result.value)}`];
  },
  plan(plan) {
    return [plan.summary];
  },
} satisfies ResultDescriber;
