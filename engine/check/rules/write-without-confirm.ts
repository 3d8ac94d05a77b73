/**
 * A writing SQL statement needs a `confirm` before it (format.md §7); a confirm only counts when
 * it cannot be skipped while the write runs (its conditions are among the write's own).
 * The runner uses `unguardedWrites` too: a headless run refuses these without --allow-writes.
 */
import type { RunbookDocument, Step } from '../../document/model.js';
import type { StepGraph } from '../../graph/model.js';
import { at, type Rule } from '../rule.js';

export function unguardedWrites(document: RunbookDocument, graph: StepGraph): Step[] {
  const effect = new Map(graph.nodes.map((n) => [n.id, n.effect]));
  const confirms: Step[] = [];
  const out: Step[] = [];
  for (const step of document.steps) {
    if (step.kind === 'confirm') confirms.push(step);
    if (step.kind === 'sql' && effect.get(step.id) && !confirms.some((c) => guards(c, step))) out.push(step);
  }
  return out;
}

export const writeWithoutConfirm: Rule = ({ document, graph }) =>
  unguardedWrites(document, graph).map((step) =>
    at(step, document, {
      severity: 'warning',
      rule: 'write-without-confirm',
      message: `\`${step.id}\` writes, but no confirm comes before it; a headless run will refuse it without --allow-writes`,
      span: step.span,
      hint: 'add ::confirm[...] above it (outside any `if` region it is not in), or readonly=true if it does not write',
    }),
  );

function guards(confirm: Step, write: Step): boolean {
  if (confirm.when !== null) return false;
  return confirm.conditions.every((c) => write.conditions.includes(c));
}
