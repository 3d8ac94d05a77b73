/** note: the text recorded. */
import { clean } from '../clean.js';
import { asString, head, textLines, type ResultDescriber } from './describer.js';

export const note = {
  summary(r) {
    return clean(String(r.text ?? ''), 100);
  },
  result(result, context) {
    return head(textLines(asString(result.text) ?? ''), context.lines);
  },
  plan(plan) {
    return [plan.summary];
  },
} satisfies ResultDescriber;
