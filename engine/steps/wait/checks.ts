/**
 * `wait-interval`: a `wait` re-runs its step every `every`, recording each attempt: `every=1ms`
 * would re-run a script hundreds of times a second and fill the transcript. Below
 * MIN_WAIT_INTERVAL_MS is an error at the attribute (a run never waits less between attempts anyway).
 */
import { stepRule } from '../../check/rule.js';
import { MIN_WAIT_INTERVAL_MS } from './spec.js';

export const waitInterval = stepRule('wait', {
  name: 'wait-interval',
  reports: ['wait-interval'],
  *check(step) {
    const every = step.attributes.every;
    if (every?.type !== 'duration' || every.ms >= MIN_WAIT_INTERVAL_MS) return;
    yield {
      rule: 'wait-interval',
      message: `every=${every.ms}ms is too short: a wait re-runs its step at most every ${MIN_WAIT_INTERVAL_MS}ms, and records every attempt`,
      span: every.span,
      hint: `use every=${MIN_WAIT_INTERVAL_MS}ms or more (the default is 5s); attempts= and timeout= bound how long it waits`,
    };
  },
});

export const waitChecks = [waitInterval];
