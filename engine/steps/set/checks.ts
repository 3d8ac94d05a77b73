/**
 * `set-reserved-name`: every step id reads as its result's fields plus `outcome` and `error`
 * (engine/run/step-value.ts), so a `set` step cannot use those two names for its own values.
 */
import { RESERVED_RESULT_NAMES } from '../../document/step-spec.js';
import { stepRule } from '../../check/rule.js';

export const setReservedName = stepRule('set', {
  name: 'set-reserved-name',
  reports: ['reserved-name'],
  *check(step) {
    for (const raw of step.raw) {
      if (!(RESERVED_RESULT_NAMES as readonly string[]).includes(raw.name)) continue;
      yield {
        rule: 'reserved-name',
        message: `\`${raw.name}\` cannot be a value of a set step: \`${step.id}.${raw.name}\` already says how the step ended`,
        span: raw.nameSpan,
        hint: `rename it (e.g. ${raw.name}_value)`,
      };
    }
  },
});

export const setChecks = [setReservedName];
