/**
 * RunbookDocument → StepGraph (runbooks/README.md, "The step graph"): nodes for the steps that run, edges from
 * references, `needs`, `wait`, and ordering around side effects; cycles are errors.
 */
import { report } from '../document/attributes.js';
import type { Diagnostic } from '../document/diagnostic.js';
import type { RunbookDocument, Step } from '../document/model.js';
import { closest } from '../document/suggest.js';
import { hasEffect, isGate } from './effects.js';
import { stepSpec } from '../steps/registry.js';
import type { EdgeReason, GraphEdge, GraphNode, StepGraph } from './model.js';
import { findGuards } from './guards.js';
import { loopEdges } from './loops.js';
import { findCycles, topologicalOrder } from './order.js';
import { stepDependencies } from './references.js';
import { boundInputNames } from '../document/include-scopes.js';
import { collectNames, qualifyId, type Names } from './scope.js';
import { resolveTarget } from './targets.js';

export interface GraphResult {
  graph: StepGraph;
  diagnostics: Diagnostic[];
}

const PRIORITY: Record<EdgeReason, number> = { reference: 0, needs: 1, wait: 2, order: 3 };

export function buildGraph(document: RunbookDocument): GraphResult {
  const diagnostics: Diagnostic[] = [];
  // An include is replaced by the steps it names; it is no node of its own.
  const steps = document.steps.filter((s) => stepSpec(s.kind).inlines !== true);
  const names = collectNames(document.steps, document.frontmatter);
  const indexOf = new Map(steps.map((s, i) => [s.id, i]));
  const edges = new Map<string, GraphEdge>();
  const addEdge = (from: string, to: string, why: EdgeReason, detail?: string): void => {
    const key = `${from}\u0000${to}`;
    const existing = edges.get(key);
    if (existing && PRIORITY[existing.why] <= PRIORITY[why]) return;
    edges.set(key, detail === undefined ? { from, to, why } : { from, to, why, detail });
  };
  const ctx = { names, diagnostics, mainFile: document.path, boundInputs: boundInputNames(document.blocks) };
  const effects = steps.map(hasEffect);
  const nodes: GraphNode[] = steps.map((step, i) => {
    for (const dep of stepDependencies(step, ctx))
      if (indexOf.has(dep.id)) addEdge(dep.id, step.id, 'reference', dep.detail);
    for (const need of step.needs) {
      const id = findStep(need.id, step, names, need.span, diagnostics, document.path, 'needs');
      if (id !== undefined) addEdge(id, step.id, 'needs');
    }
    // A step that re-runs another (wait) comes after it, and has its effect.
    const reruns = stepSpec(step.kind).reruns;
    const waitFor = reruns === undefined ? undefined : step.attributes[reruns];
    if (reruns !== undefined && waitFor?.type === 'step-ref') {
      const id = findStep(waitFor.id, step, names, waitFor.span, diagnostics, document.path, reruns);
      if (id !== undefined) {
        addEdge(id, step.id, 'wait', 're-runs it');
        if (effects[indexOf.get(id)!]) effects[i] = true;
      }
    }
    return node(step, effects[i]!, resolveTarget(step, document.frontmatter, diagnostics, document.path));
  });
  const { guards, guardedBy } = findGuards(
    steps,
    (step) => effects[indexOf.get(step.id)!]! && !isGate(step),
    (step) => stepSpec(step.kind).guard === true,
    names,
  );
  for (const n of nodes) {
    n.sideEffect = n.effect && !isGate(steps[indexOf.get(n.id)!]!);
    n.guards = guards.get(n.id) ?? [];
    n.guardedBy = guardedBy.get(n.id) ?? [];
  }
  orderAroundEffects(steps, effects, addEdge);
  loopEdges(steps, [...edges.values()], ctx, addEdge);
  const edgeList = [...edges.values()];
  const successors: number[][] = steps.map(() => []);
  for (const edge of edgeList) successors[indexOf.get(edge.from)!]!.push(indexOf.get(edge.to)!);
  const cycles = findCycles(steps.length, successors);
  const within = edgesWithin(cycles, steps, edgeList);
  for (const [i, cycle] of cycles.entries()) reportCycle(cycle, steps, within[i]!, diagnostics, document.path);
  const order = topologicalOrder(steps.length, successors).map((i) => steps[i]!.id);
  return { graph: { nodes, edges: edgeList, order }, diagnostics };
}

/**
 * A side-effect step comes after every step above it and before every step below it. Only the
 * edges to and from the nearest barrier are drawn: the rest follow transitively, so the graph
 * stays linear in size.
 */
function orderAroundEffects(
  steps: Step[],
  effects: boolean[],
  addEdge: (from: string, to: string, why: EdgeReason, detail?: string) => void,
): void {
  let barrier: Step | null = null;
  let since: Step[] = [];
  steps.forEach((step, i) => {
    if (effects[i]) {
      if (barrier) addEdge(barrier.id, step.id, 'order', `side effect at ${step.id}`);
      for (const before of since) addEdge(before.id, step.id, 'order', `side effect at ${step.id}`);
      barrier = step;
      since = [];
    } else {
      if (barrier) addEdge((barrier as Step).id, step.id, 'order', `side effect at ${(barrier as Step).id}`);
      since.push(step);
    }
  });
}

function findStep(
  id: string,
  from: Step,
  names: Names,
  span: Step['span'],
  diagnostics: Diagnostic[],
  mainFile: string,
  attr: string,
): string | undefined {
  const found = qualifyId(id, from.scope, names);
  if (found !== undefined && found !== from.id) return found;
  const here = { diagnostics, ...(from.file !== mainFile ? { file: from.file } : {}) };
  if (found === from.id) report(here, 'error', 'cycle', `step \`${from.id}\` cannot name itself in \`${attr}\``, span);
  else {
    const hint = closest(id, names.steps.keys());
    report(
      here,
      'error',
      'unknown-reference',
      `\`${attr}\` names \`${id}\`, which is not a step id${hint ? `; did you mean \`${hint}\`?` : ''}`,
      span,
    );
  }
  return undefined;
}

/**
 * The edges between steps of each cycle, in edge order; one pass over the edges, as the cycles
 * (strongly connected components) are disjoint: filtering all edges per cycle was quadratic
 * when a runbook has thousands of small cycles.
 */
function edgesWithin(cycles: number[][], steps: Step[], edges: GraphEdge[]): GraphEdge[][] {
  const cycleOf = new Map<string, number>();
  cycles.forEach((cycle, i) => {
    for (const step of cycle) cycleOf.set(steps[step]!.id, i);
  });
  const within: GraphEdge[][] = cycles.map(() => []);
  for (const edge of edges) {
    const i = cycleOf.get(edge.from);
    if (i !== undefined && cycleOf.get(edge.to) === i) within[i]!.push(edge);
  }
  return within;
}

/** `inCycle`: the edges between the cycle's steps (edgesWithin). */
function reportCycle(
  cycle: number[],
  steps: Step[],
  inCycle: GraphEdge[],
  diagnostics: Diagnostic[],
  mainFile: string,
): void {
  const first = steps[cycle[0]!]!;
  const path = describePath(first.id, inCycle);
  const here = { diagnostics, ...(first.file !== mainFile ? { file: first.file } : {}) };
  report(
    here,
    'error',
    'cycle',
    `dependency cycle: ${path}`,
    first.span,
    'a step can only use results of steps that can run before it; remove one of these references or needs',
  );
}

function describePath(start: string, edges: GraphEdge[]): string {
  // The first edge from each step; a search of all edges per step was quadratic in a long cycle.
  const firstFrom = new Map<string, GraphEdge>();
  for (const e of edges) if (!firstFrom.has(e.from)) firstFrom.set(e.from, e);
  const parts = [start];
  const seen = new Set([start]);
  let current = start;
  for (;;) {
    const edge = firstFrom.get(current);
    if (!edge) break;
    parts.push(`${edge.to} (${edge.why}${edge.detail && edge.why !== 'order' ? `: ${edge.detail}` : ''})`);
    if (seen.has(edge.to)) break;
    seen.add(edge.to);
    current = edge.to;
  }
  return parts.join(' → ');
}

function node(step: Step, effect: boolean, target: string | null): GraphNode {
  return {
    id: step.id,
    kind: step.kind,
    file: step.file,
    line: step.span.start.line,
    column: step.span.start.column,
    label: step.label?.source ?? null,
    summary: summarize(step),
    section: step.section,
    effect,
    sideEffect: effect,
    guards: [],
    guardedBy: [],
    target,
    when: step.when?.source ?? null,
    conditions: step.conditions.map((c) => c.source),
    ...(step.loop ? { loop: { items: step.loop.items.source, as: step.loop.as, max: step.loop.max } } : {}),
  };
}

function summarize(step: Step): string {
  const attr = (name: string): string | undefined => {
    const value = step.attributes[name];
    return value?.type === 'template' ? value.template.source : undefined;
  };
  const spec = stepSpec(step.kind);
  const described = spec.describe?.(step);
  if (described !== undefined) return described;
  const text =
    step.body?.template.source ?? (spec.leafBody ? attr(spec.leafBody) : undefined) ?? step.label?.source ?? '';
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '' && !l.startsWith('--') && !l.startsWith('#')) ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
