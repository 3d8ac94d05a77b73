/**
 * `::::each` loops in the graph (runbooks/README.md, "Loops"). A body step is one node, whatever
 * the number of items; the runner runs the whole loop when the first body step's turn comes. So
 * the graph makes the body one unit: its steps chained in document order, whatever the loop's
 * `items` reads and whatever any body step reads from outside coming before the first body step,
 * and whatever reads a body step from outside coming after the last one. It also reports what
 * `check` can tell about a loop: `items` known not to be a list, and a body step read from
 * outside as one result (`replay.status`) when it is a list there (`replay[0].status`).
 */
import { parseExpressionAt } from '../expr/acorn.js';
import { report } from '../document/attributes.js';
import { isLoopName, loopKey, loopsOf } from '../document/each.js';
import type { Expression, Loop, Step } from '../document/model.js';
import { analyzeExpression, JS_GLOBALS } from '../expr/analyze.js';
import { stepSpec } from '../steps/registry.js';
import type { EdgeReason } from './model.js';
import { stepExpressions } from './expressions.js';
import { spanAt, stepDependencies, type Ctx } from './references.js';
import { resolve } from './scope.js';

type AddEdge = (from: string, to: string, why: EdgeReason, detail?: string) => void;

/**
 * Edges that keep each loop's body together, given the edges already drawn (`edges`), and the
 * loops' own diagnostics.
 */
export function loopEdges(
  steps: readonly Step[],
  edges: ReadonlyArray<{ from: string; to: string; why: EdgeReason; detail?: string }>,
  ctx: Ctx,
  addEdge: AddEdge,
): void {
  const loops = loopsOf(steps);
  // No loop: no edge to draw, and no step reads a loop's results from outside it (only a loop's
  // body step can be read as a list); the walks below would analyse every expression once more.
  if (loops.size === 0) return;
  const loopOf = new Map<string, string>();
  for (const [key, { body }] of loops) for (const s of body) loopOf.set(s.id, key);
  const readers: Step[] = [];
  for (const [key, { loop, body }] of loops) {
    const first = body[0]!;
    // The items expression is read once, before the first body step: its references are that step's.
    const reader: Step = {
      ...first,
      file: loop.file,
      conditions: [],
      when: loop.items,
      label: null,
      attributes: {},
      body: null,
    };
    delete reader.loop;
    readers.push(reader);
    for (const dep of stepDependencies(reader, ctx))
      if (loopOf.get(dep.id) !== key) addEdge(dep.id, first.id, 'reference', dep.detail);
    checkItems(loop, first, ctx);
    for (let i = 1; i < body.length; i++)
      addEdge(body[i - 1]!.id, body[i]!.id, 'order', `loop over ${loop.items.source}`);
  }
  for (const edge of [...edges]) {
    const into = loopOf.get(edge.to);
    const from = loopOf.get(edge.from);
    if (into !== undefined && from !== into) {
      const first = loops.get(into)!.body[0]!;
      if (first.id !== edge.to) addEdge(edge.from, first.id, 'order', `the loop's step ${edge.to} needs it`);
    }
    if (from !== undefined && into !== from) {
      const { body } = loops.get(from)!;
      const last = body[body.length - 1]!;
      if (last.id !== edge.from) addEdge(last.id, edge.to, 'order', `after the loop of ${edge.from}`);
    }
  }
  checkReadsFromOutside([...steps, ...readers], loops, loopOf, ctx);
}

const ARRAY_MEMBERS = new Set(Object.getOwnPropertyNames(Array.prototype));

/** `replay.status` outside `replay`'s loop: there `replay` is a list of results. */
function checkReadsFromOutside(
  steps: readonly Step[],
  loops: ReadonlyMap<string, { loop: Loop }>,
  loopOf: ReadonlyMap<string, string>,
  ctx: Ctx,
): void {
  for (const step of steps) {
    for (const { expression } of stepExpressions(step)) {
      const analysis = analyzeExpression(expression.source);
      if (!analysis.ok) continue;
      for (const ref of analysis.references) {
        if (isLoopName(step, ref.root)) continue;
        const r = resolve(ref, step.scope, ctx.names, (n) => JS_GLOBALS.has(n));
        if (r.kind !== 'step') continue;
        const key = loopOf.get(r.id);
        if (key === undefined || loopKey(step) === key) continue;
        const { loop } = loops.get(key)!;
        const after = ref.root === 'steps' ? ref.path.slice(1) : ref.path.slice(r.id.split('.').length - 1);
        const field = after[0];
        if (field === undefined || /^\d+$/.test(field) || ARRAY_MEMBERS.has(field)) continue;
        report(
          { diagnostics: ctx.diagnostics, ...(step.file !== ctx.mainFile ? { file: step.file } : {}) },
          'error',
          'loop-result-array',
          `\`${r.id}\` runs once per item of the loop over \`${loop.items.source}\`: outside the loop it is a list of results, so \`${r.id}.${field}\` is undefined`,
          spanAt(expression, ref.start, ref.end),
          `read one item's result, \`${r.id}[i].${field}\`, or all of them, e.g. \`${r.id}.every(r => r.outcome == 'passed')\`, \`${r.id}.length\``,
        );
      }
    }
  }
}

/** `items` that is, before the run, certainly not a list: a literal, an input, env, a secret, a step's whole value. */
function checkItems(loop: Loop, first: Step, ctx: Ctx): void {
  const what = notAList(loop.items, first, ctx);
  if (what === null) return;
  report(
    { diagnostics: ctx.diagnostics, ...(loop.file !== ctx.mainFile ? { file: loop.file } : {}) },
    'error',
    'each-items',
    `\`each\` walks a list, but \`items="${loop.items.source}"\` is ${what.is}`,
    loop.items.span,
    what.hint,
  );
}

function notAList(items: Expression, first: Step, ctx: Ctx): { is: string; hint: string } | null {
  const source = items.source.trim();
  let node: { type: string; value?: unknown; end: number };
  try {
    node = parseExpressionAt(source, 0, { ecmaVersion: 'latest' }) as unknown as typeof node;
  } catch {
    return null; // reported as expression-syntax
  }
  if (node.end !== source.length) return null;
  const literal = 'write a list, e.g. items="[7000, 7001]", or an expression giving one';
  if (node.type === 'Literal')
    return { is: `the ${node.value === null ? 'value null' : typeof node.value}`, hint: literal };
  if (node.type === 'TemplateLiteral') return { is: 'a string', hint: literal };
  if (node.type === 'ObjectExpression')
    return { is: 'an object', hint: `${literal}; Object.values(...) lists an object's values` };
  const analysis = analyzeExpression(source);
  if (!analysis.ok || analysis.references.length !== 1) return null;
  const ref = analysis.references[0]!;
  if (ref.start !== 0 || ref.end !== source.length) return null;
  const split = (name: string): string => `split it into a list: items="${name}.split(',')"`;
  if (ref.path.length === 1 && ref.root === 'inputs') {
    const input = ctx.names.frontmatter.inputs[ref.path[0]!];
    if (input === undefined || input.type === 'list') return null;
    return {
      is: `a ${input.type} input`,
      hint:
        input.type === 'number' || input.type === 'boolean'
          ? literal
          : `declare it as a list (type: list), or ${split(source)}`,
    };
  }
  if (ref.path.length === 1 && (ref.root === 'env' || ref.root === 'secrets' || ref.root === 'run'))
    return { is: 'a string', hint: split(source) };
  const r = resolve(ref, first.scope, ctx.names, (n) => JS_GLOBALS.has(n));
  if (r.kind !== 'step') return null;
  const own = ref.root === 'steps' ? ref.path.slice(1) : ref.path.slice(r.id.split('.').length - 1);
  if (own.length > 0) return null;
  const step = ctx.names.steps.get(r.id);
  if (step?.loop !== undefined) return null; // outside its loop, a loop's step is the list of its results
  const spec = step ? stepSpec(step.kind) : undefined;
  const fields: readonly string[] = step && spec ? (spec.resultFields?.(step) ?? spec.result) : [];
  const list = ['rows', 'json', 'value'].find((f) => fields.includes(f));
  return {
    is: `the whole result of step \`${r.id}\` (an object)`,
    hint: list ? `walk one of its fields, e.g. items="${source}.${list}"` : 'walk a list that the step returns',
  };
}
