/**
 * A side effect needs a confirm that guards it (engine/graph/guards.ts): a writing sql step, a
 * non-GET http request, a shell step not marked readonly, a wait that re-runs one of them. The
 * runner refuses the same steps (engine/graph/effects.ts) in a headless run without --allow-writes.
 */
import { unguardedEffects, whatItChanges } from '../../graph/effects.js';
import { stepSpec } from '../../steps/registry.js';
import { defineRule } from '../rule.js';

export const writeWithoutConfirm = defineRule({
  name: 'write-without-confirm',
  reports: ['write-without-confirm'],
  *check({ document, graph }) {
    for (const step of unguardedEffects(document.steps, graph)) {
      const guardHint = stepSpec(step.kind).guardHint;
      yield {
        rule: 'write-without-confirm',
        message: `\`${step.id}\` ${whatItChanges(step)}, but no confirm guards it; a headless run will refuse it without --allow-writes`,
        span: step.span,
        hint: `add ::confirm[...] above it in its section (a confirm guards the steps after it until the next confirm), or guard it with when="CONFIRM.answer"${guardHint ? `; ${guardHint}` : ''}`,
        step,
      };
    }
  },
});
