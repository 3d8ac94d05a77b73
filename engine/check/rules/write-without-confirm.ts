/**
 * A side effect needs a confirm that guards it (engine/graph/guards.ts): a writing sql step, a
 * non-GET http request, a shell step not marked readonly, a wait that re-runs one of them. The
 * runner uses `unguardedEffects` too: a headless run refuses these without --allow-writes.
 */
import type { RunbookDocument, Step } from '../../document/model.js';
import type { StepGraph } from '../../graph/model.js';
import { stepSpec } from '../../steps/registry.js';
import { scanTemplate } from '../../expr/template.js';
import { onlyAssumedWrite, unrecognised } from '../../sql/classify.js';
import { sqlText } from '../../steps/sql-text.js';
import { at, type Rule } from '../rule.js';

export function unguardedEffects(document: RunbookDocument, graph: StepGraph): Step[] {
  const unguarded = new Set(graph.nodes.filter((n) => n.sideEffect && n.guardedBy.length === 0).map((n) => n.id));
  return document.steps.filter((s) => unguarded.has(s.id));
}

/**
 * What a step changes, for messages: its kind's spec says (`writes`, `runs a script, which may
 * change something`), except for SQL taken to write only because Stepwise did not recognise it.
 */
export function whatItChanges(step: Step): string {
  const assumed = step.kind === 'sql' && step.attributes.readonly === undefined ? unrecognisedSql(step) : undefined;
  if (assumed) return `is treated as a write (${unrecognised(assumed)})`;
  return stepSpec(step.kind).changes ?? 'has side effects';
}

function unrecognisedSql(step: Step) {
  const text = sqlText(step);
  return text === null ? undefined : onlyAssumedWrite(text, scanTemplate(text).slots);
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
