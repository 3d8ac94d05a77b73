/**
 * An expression that reads a step which may not have passed on the way to it (it has a `when`,
 * stands in an `if` region this step is not in, may fail with on-fail=continue, or is skipped
 * when a confirm is declined with on-decline=skip), without testing that step's `outcome`.
 * Such a step reads as its outcome with null fields (runbooks/README.md, "Step results"): a
 * placeholder on it fails its step at run time, and `x.json.field` throws on the null. A
 * condition that reads one field directly (`gw.status == 200`) is safe: null is simply not 200.
 * An expression that tests the step's `outcome` itself (`gw.outcome == 'passed' && gw.json.ok`)
 * reads it knowingly, and is not reported either.
 */
import type { Expression, Step } from '../../document/model.js';
import { loopKey } from '../../document/each.js';
import { analyzeExpression, JS_GLOBALS } from '../../expr/analyze.js';
import { stepExpressions } from '../../graph/expressions.js';
import { spanAt } from '../../graph/references.js';
import { collectNames, resolve } from '../../graph/scope.js';
import { defineRule } from '../rule.js';
import { isStepKind, stepSpec } from '../../steps/registry.js';

export const readsSkippableStep = defineRule({
  name: 'reads-skippable-step',
  reports: ['reads-skippable-step'],
  *check({ document, graph }) {
    const names = collectNames(document.steps, document.frontmatter);
    const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
    /** Steps a confirm with on-decline=skip guards: "no" skips them. */
    const declinable = new Map<string, string[]>();
    for (const step of document.steps) {
      const onDecline = step.attributes['on-decline'];
      if (
        !isStepKind(step.kind) ||
        !stepSpec(step.kind).guard ||
        onDecline?.type !== 'enum' ||
        onDecline.value !== 'skip'
      )
        continue;
      for (const id of nodes.get(step.id)?.guards ?? []) declinable.set(id, [...(declinable.get(id) ?? []), step.id]);
    }
    // No step that may not pass, no read of one: the expressions are not read at all.
    if (!document.steps.some((step) => maySkip(step, declinable))) return;
    for (const reader of document.steps) {
      const conditions = [...reader.conditions, ...(reader.when ? [reader.when] : [])];
      const tested = new Set<string>();
      for (const condition of conditions)
        for (const read of reads(condition, reader, names)) if (read.field === 'outcome') tested.add(read.id);
      const seen = new Set<string>();
      for (const { expression, role } of stepExpressions(reader)) {
        const inCondition = role === 'when' || role === 'condition';
        const found = reads(expression, reader, names);
        // An expression that tests a step's outcome itself (`gw.outcome == 'passed' && gw.json.ok`) reads it knowingly.
        const testedHere = new Set(found.filter((read) => read.field === 'outcome').map((read) => read.id));
        for (const read of found) {
          const source = names.steps.get(read.id);
          if (
            !source ||
            source.id === reader.id ||
            // Outside its loop a body step is the list of its iterations' results: always there.
            (source.loop !== undefined && loopKey(source) !== loopKey(reader)) ||
            tested.has(read.id) ||
            testedHere.has(read.id) ||
            read.field === 'outcome' ||
            read.field === 'error'
          )
            continue;
          // One field read directly in a condition is null-safe: `gw.status == 200` is false for a skipped gw.
          if (inCondition && read.depth <= 1) continue;
          const why = mayNotPass(source, reader, declinable);
          if (why === null || seen.has(`${read.id}\u0000${expression.span.start.offset}`)) continue;
          seen.add(`${read.id}\u0000${expression.span.start.offset}`);
          yield {
            rule: 'reads-skippable-step',
            message: `\`${reader.id}\` reads \`${read.text}\`, but \`${read.id}\` may not have passed when it runs (${why}); then its fields are null`,
            span: spanAt(expression, read.start, read.end),
            hint: `test it first: when="${read.id}.outcome == 'passed'" (or give a default: ${read.text} ?? ...)`,
            step: reader,
          };
        }
      }
    }
  },
});

/** Whether some reader may find `source` not passed: `mayNotPass` is null for every reader when not. */
function maySkip(source: Step, declinable: Map<string, string[]>): boolean {
  return (
    source.when !== null || source.conditions.length > 0 || source.onFail === 'continue' || declinable.has(source.id)
  );
}

/** Why `source` may not have passed by the time `reader` runs; null when it always has. */
function mayNotPass(source: Step, reader: Step, declinable: Map<string, string[]>): string | null {
  const sameCondition = (c: Expression): boolean =>
    reader.conditions.some((own) => own.span.start.offset === c.span.start.offset && own.source === c.source);
  if (source.when !== null) return `it runs only when \`${clip(source.when.source)}\``;
  const outer = source.conditions.find((c) => !sameCondition(c));
  if (outer) return `it stands in an \`if\` on \`${clip(outer.source)}\``;
  if (source.onFail === 'continue') return 'it may fail with on-fail=continue';
  const confirms = (declinable.get(source.id) ?? []).filter((c) => !(declinable.get(reader.id) ?? []).includes(c));
  if (confirms.length > 0) return `declining \`${confirms[0]}\` skips it`;
  return null;
}

interface Read {
  id: string;
  /** The first field read after the step id (`status` in `gw.status`), or null. */
  field: string | null;
  /** How many members are read after the step id: `gw.json.x` is 2. */
  depth: number;
  text: string;
  start: number;
  end: number;
}

function reads(expression: Expression, step: Step, names: ReturnType<typeof collectNames>): Read[] {
  const analysis = analyzeExpression(expression.source);
  if (!analysis.ok) return [];
  const out: Read[] = [];
  for (const ref of analysis.references) {
    const r = resolve(ref, step.scope, names, (n) => JS_GLOBALS.has(n));
    if (r.kind !== 'step') continue;
    // The members after the id: `steps['a-b'].x` → [x]; `ns.check.x` → [x].
    const chain = ref.root === 'steps' ? ref.path.slice(1) : [ref.root, ...ref.path];
    const idParts =
      ref.root === 'steps'
        ? 1
        : r.id.split('.').length -
          (step.scope && !r.id.startsWith(`${ref.root}.`) && r.id !== ref.root ? step.scope.split('.').length : 0);
    const after = ref.root === 'steps' ? chain : chain.slice(Math.max(1, idParts));
    out.push({
      id: r.id,
      field: after[0] ?? null,
      depth: after.length,
      text: expression.source.slice(ref.start, ref.end),
      start: ref.start,
      end: ref.end,
    });
  }
  return out;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 40 ? `${line.slice(0, 37)}...` : line;
}
