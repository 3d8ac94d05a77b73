/**
 * Every step id reads as its result's fields plus `outcome` and `error` (engine/run/step-value.ts),
 * so a `set` step cannot use those two names for its own values.
 */
import { RESERVED_RESULT_NAMES } from '../../run/step-value.js';
import { at, type Rule } from '../rule.js';

export const setReservedName: Rule = ({ document }) => {
  const out = [];
  for (const step of document.steps) {
    if (step.kind !== 'set') continue;
    for (const raw of step.raw) {
      if (!(RESERVED_RESULT_NAMES as readonly string[]).includes(raw.name)) continue;
      out.push(
        at(step, document, {
          severity: 'error',
          rule: 'reserved-name',
          message: `\`${raw.name}\` cannot be a value of a set step: \`${step.id}.${raw.name}\` already says how the step ended`,
          span: raw.nameSpan,
          hint: `rename it (e.g. ${raw.name}_value)`,
        }),
      );
    }
  }
  return out;
};
