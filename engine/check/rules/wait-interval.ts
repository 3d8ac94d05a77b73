/**
 * A `wait` re-runs its step every `every`, recording each attempt: `every=1ms` would re-run a
 * script hundreds of times a second and fill the transcript. Below MIN_WAIT_INTERVAL_MS is an
 * error at the attribute (a run never waits less between attempts anyway).
 */
import { MIN_WAIT_INTERVAL_MS } from '../../steps/wait.js';
import { at, type Rule } from '../rule.js';

export const waitInterval: Rule = ({ document }) => {
  const out = [];
  for (const step of document.steps) {
    const every = step.attributes.every;
    if (step.kind !== 'wait' || every?.type !== 'duration' || every.ms >= MIN_WAIT_INTERVAL_MS) continue;
    out.push(
      at(step, document, {
        severity: 'error',
        rule: 'wait-interval',
        message: `every=${every.ms}ms is too short: a wait re-runs its step at most every ${MIN_WAIT_INTERVAL_MS}ms, and records every attempt`,
        span: every.span,
        hint: `use every=${MIN_WAIT_INTERVAL_MS}ms or more (the default is 5s); attempts= and timeout= bound how long it waits`,
      }),
    );
  }
  return out;
};
