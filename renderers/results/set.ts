/** set: each value computed, `name = value`. */
import { clean } from '../clean.js';
import { literal, type ResultDescriber } from './describer.js';

export const set = {
  summary(r) {
    return clean(JSON.stringify(r), 100);
  },
  result(result, context) {
    const entries = Object.entries(result);
    if (entries.length === 0) return ['(no values)'];
    const shown = entries.slice(0, context.lines).map(([name, value]) => `${name} = ${literal(value)}`);
    return entries.length > shown.length ? [...shown, `… ${entries.length - shown.length} more`] : shown;
  },
  plan(plan) {
    return [plan.summary];
  },
} satisfies ResultDescriber;
