/** note: the text recorded. */
import { asString, head, textLines, type ResultDescriber } from './describer.js';

export const note = {
  result(result, context) {
    return head(textLines(asString(result.text) ?? ''), context.lines);
  },
  plan(plan) {
    return [plan.summary];
  },
} satisfies ResultDescriber;
