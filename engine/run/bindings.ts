/** How an expression's free names map to values in the sandbox, seen from the step it is in. */
import type { Expression, RunbookDocument, Step } from '../document/model.js';
import { analyzeExpression } from '../expr/analyze.js';
import { stepExpressions } from '../graph/expressions.js';
import { isLoopName, LOOP_NAME } from '../document/each.js';
import { collectNames, resolve } from '../graph/scope.js';
import { stepSpec } from '../steps/registry.js';
import { boundInputNames, inputScope } from '../document/include-scopes.js';
import { isGlobalName, type Resolver } from './sandbox.js';

/** Where the inputs each parameterised include binds live in the sandbox, by namespace. */
export const INCLUDE_INPUTS = '__inputs';

/** Where the current item and `loop` of an `each` body live in the sandbox's scope. */
export const LOOP_SCOPE = '__loop';

export function bindings(document: RunbookDocument): (step: Step) => Resolver {
  const names = collectNames(document.steps, document.frontmatter);
  const bound = boundInputNames(document.blocks);
  const cache = new Map<string | null, Resolver>();
  return (step) => {
    const key = step.loop === undefined ? step.scope : `${step.scope}\u0000${step.loop.as}`;
    let resolver = cache.get(key);
    if (resolver) return resolver;
    // An included step reads the inputs its include binds (run-values.ts sets them there).
    const own = inputScope(bound, step.scope);
    resolver = (root, path) => {
      if (root === 'steps') return ['steps'];
      // Inside an `each` body: the current item, and `loop` (engine/run/loop.ts sets both).
      if (isLoopName(step, root)) return [LOOP_SCOPE, root === LOOP_NAME ? LOOP_NAME : 'item'];
      const r = resolve({ root, path, start: 0, end: 0 }, step.scope, names, isGlobalName);
      if (r.kind === 'builtin') return 'global';
      if (r.kind === 'run-name') return root === 'inputs' && own !== null ? [INCLUDE_INPUTS, own] : [root];
      if (r.kind === 'unknown') return 'unknown';
      // `root` is the step itself, or a namespace (`ns` in `ns.check.status`) holding it.
      if (r.id === root || r.id.endsWith(`.${root}`)) return ['steps', r.id];
      const parts = r.id.split('.');
      return ['__ns', ...parts.slice(0, parts.indexOf(root) + 1)];
    };
    cache.set(key, resolver);
    return resolver;
  };
}

/** The ids of the steps an expression reads, seen from the step it is in. */
export function stepsRead(document: RunbookDocument): (expression: Expression, step: Step) => string[] {
  const names = collectNames(document.steps, document.frontmatter);
  return (expression, step) => {
    const analysis = analyzeExpression(expression.source);
    if (!analysis.ok) return [];
    const ids: string[] = [];
    for (const ref of analysis.references) {
      const r = resolve(ref, step.scope, names, isGlobalName);
      if (r.kind === 'step' && !ids.includes(r.id)) ids.push(r.id);
    }
    return ids;
  };
}

/**
 * For each step id, the steps whose expressions read it; null when that cannot be known ahead
 * (an expression reads `steps` or a namespace as a whole, fails to parse, or a step re-runs
 * another): then every value is kept. A run keeps a step's value only while a reader of it has
 * not finished, so memory does not grow with the steps already done.
 */
export function stepReaders(document: RunbookDocument): Map<string, Set<string>> | null {
  const names = collectNames(document.steps, document.frontmatter);
  const readers = new Map<string, Set<string>>();
  for (const step of document.steps) {
    // A loop's steps read again on every iteration: every value is kept.
    if (stepSpec(step.kind).reruns !== undefined || step.loop !== undefined) return null;
    for (const { expression } of stepExpressions(step)) {
      const analysis = analyzeExpression(expression.source);
      if (!analysis.ok) return null;
      for (const ref of analysis.references) {
        const r = resolve(ref, step.scope, names, isGlobalName);
        if (r.kind === 'step') {
          let set = readers.get(r.id);
          if (set === undefined) readers.set(r.id, (set = new Set()));
          set.add(step.id);
        } else if (ref.root === 'steps' || names.namespaces.has(ref.root)) return null;
      }
    }
  }
  return readers;
}
