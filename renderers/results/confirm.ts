/** confirm: the answer, who gave it and when. */
import { asString, type ResultDescriber } from './describer.js';

export const confirm = {
  summary(r) {
    return r.answer ? 'yes' : 'no';
  },
  result(result) {
    const by = asString(result.by);
    const at = asString(result.at);
    return [`answered ${result.answer === true ? 'yes' : 'no'}${by ? ` by ${by}` : ''}${at ? ` at ${at}` : ''}`];
  },
  plan(plan) {
    return [plan.summary];
  },
} satisfies ResultDescriber;
