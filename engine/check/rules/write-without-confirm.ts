/**
 * A side effect needs a confirm that guards it (engine/graph/guards.ts): a writing sql step, a
 * non-GET http request, a shell step not marked readonly, a wait that re-runs one of them. The
 * runner uses `unguardedEffects` too: a headless run refuses these without --allow-writes.
 */
import type { RunbookDocument, Step } from '../../document/model.js';
import type { StepGraph } from '../../graph/model.js';
import { stepSpec } from '../../steps/registry.js';
import { at, type Rule } from '../rule.js';

export function unguardedEffects(document: RunbookDocument, graph: StepGraph): Step[] {
  const unguarded = new Set(graph.nodes.filter((n) => n.sideEffect && n.guardedBy.length === 0).map((n) => n.id));
  return document.steps.filter((s) => unguarded.has(s.id));
}

/** What a step of this kind changes, for messages (its spec says): `writes`, `runs a script, which may change something`. */
export function whatItChanges(step: Step): string {
  return stepSpec(step.kind).changes ?? 'has side effects';
}

export const writeWithoutConfirm: Rule = ({ document, graph }) =>
  unguardedEffects(document, graph).map((step) =>
    at(step, document, {
      severity: 'warning',
      rule: 'write-without-confirm',
      message: `\`${step.id}\` ${whatItChanges(step)}, but no confirm guards it; a headless run will refuse it without --allow-writes`,
      span: step.span,
      hint: `add ::confirm[...] above it in its section (a confirm guards the steps after it until the next confirm), or guard it with when="CONFIRM.answer"${stepSpec(step.kind).guardHint ? `; ${stepSpec(step.kind).guardHint}` : ''}`,
    }),
  );
