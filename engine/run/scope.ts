/**
 * Starting a run at a section (`run --from SECTION`, `run --only SECTION`, the TUI's outline):
 * which steps run, which are recorded as skipped `not in scope`, and, before anything runs,
 * every in-scope step that would read, need or re-run a step left out.
 *
 * Fail safe: a confirm that guards an in-scope side effect is pulled into scope with it (a side
 * effect never loses its guard by starting below its confirm), and a gate (confirm, input) left
 * out whose answer is given (--answers, or a person at the terminal) is pulled in to be asked.
 * Anything else an in-scope step needs from outside the scope is a problem naming the step, its
 * place, the step it needs and where to start instead.
 */
import type { RunbookDocument } from '../document/model.js';
import type { GraphEdge, GraphNode, StepGraph } from '../graph/model.js';
import { closest } from '../document/suggest.js';
import { stepSpec } from '../steps/registry.js';
import type { RunScopeRecord } from './events.js';
import { describeHeading, distance, findSection, type Heading, sections } from './scope-sections.js';

export type { Heading } from './scope-sections.js';
export { sections } from './scope-sections.js';

/** Run from a section on, or only that section (its heading and the sub-sections under it). */
export type ScopeRequest = { from: string } | { only: string };

export interface ScopeOptions {
  /** Out-of-scope gates whose answers are given: pulled into scope and asked (the answers file answers). */
  answerable?: ReadonlySet<string>;
  /** Who gives those answers, for the reason recorded: `--answers` (the default), `the responder`. */
  answeredBy?: string;
}

export interface RunScope {
  option: 'from' | 'only';
  section: Heading;
  inScope: ReadonlySet<string>;
  /** Each step left out, with the reason recorded for it: `not in scope (--from "Fix")`. */
  outOfScope: ReadonlyMap<string, string>;
  /** Steps before or after the section that run anyway, and why. */
  pulledIn: { id: string; why: string }[];
  /** What run.started records, and what `resume` builds the same scope from. */
  record: RunScopeRecord;
}

/** Why a scope cannot run: at the step that needs what it leaves out, or about the SECTION itself. */
export interface ScopeProblem {
  message: string;
  hint: string;
  at?: { file: string; line: number; column: number };
}

export type ScopeResult = { ok: true; scope: RunScope } | { ok: false; problems: ScopeProblem[] };

export function runScope(
  document: RunbookDocument,
  graph: StepGraph,
  request: ScopeRequest,
  options: ScopeOptions = {},
): ScopeResult {
  const option = 'from' in request ? 'from' : 'only';
  const name = 'from' in request ? request.from : request.only;
  const { headings, under } = sections(document);
  const found = findSection(headings, name);
  if (!found.ok) return { ok: false, problems: [sectionProblem(option, name, found)] };
  const section = found.heading;
  const end = option === 'from' ? Infinity : sectionEnd(headings, section);
  const heading = (id: string): number => under.get(id) ?? -1;
  const inScope = new Set(
    graph.nodes.filter((n) => heading(n.id) >= section.index && heading(n.id) < end).map((n) => n.id),
  );
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const needed = new Map<string, GraphEdge[]>();
  for (const edge of graph.edges) {
    if (edge.why === 'order') continue;
    const list = needed.get(edge.to);
    if (list) list.push(edge);
    else needed.set(edge.to, [edge]);
  }
  const pulledIn: RunScope['pulledIn'] = [];
  const answered: string[] = [];
  const missing: { node: GraphNode; edge: GraphEdge }[] = [];
  const flag = `--${option} "${section.text}"`;
  const pull = (id: string, why: string): void => {
    inScope.add(id);
    pulledIn.push({ id, why });
    queue.push(id);
  };
  const queue = [...inScope];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    const node = nodes.get(id)!;
    for (const confirm of node.guardedBy)
      if (!inScope.has(confirm)) pull(confirm, `it guards \`${id}\`, which is in scope`);
    for (const edge of needed.get(id) ?? []) {
      const dep = edge.from;
      if (inScope.has(dep)) continue;
      const depNode = nodes.get(dep)!;
      if (stepSpec(depNode.kind).gate === true && options.answerable?.has(dep) === true) {
        answered.push(dep);
        pull(dep, `\`${id}\` reads its answer, which ${options.answeredBy ?? '--answers'} gives`);
      } else missing.push({ node, edge });
    }
  }
  // A step needed early on may have been pulled in later (a confirm guarding another step).
  const problems = missing.filter(({ edge }) => !inScope.has(edge.from));
  if (problems.length > 0) {
    const order = new Map(graph.nodes.map((n, i) => [n.id, i]));
    problems.sort((a, b) => order.get(a.node.id)! - order.get(b.node.id)!);
    return {
      ok: false,
      problems: problems.map(({ node, edge }) =>
        needsProblem(
          node,
          nodes.get(edge.from)!,
          edge,
          flag,
          pulledIn,
          headings[heading(edge.from)],
          options.answeredBy,
        ),
      ),
    };
  }
  const reason = `not in scope (${flag})`;
  const outOfScope = new Map(graph.nodes.filter((n) => !inScope.has(n.id)).map((n) => [n.id, reason]));
  const record: RunScopeRecord = option === 'from' ? { from: section.slug } : { only: section.slug };
  if (answered.length > 0) record.answered = answered.sort();
  return { ok: true, scope: { option, section, inScope, outOfScope, pulledIn, record } };
}

/** The scope a run recorded (run.started), rebuilt for `resume`: the same section, the same answered gates. */
export function recordedScope(document: RunbookDocument, graph: StepGraph, record: RunScopeRecord): ScopeResult {
  const request: ScopeRequest = 'from' in record ? { from: String(record.from) } : { only: String(record.only) };
  return runScope(document, graph, request, { answerable: new Set(record.answered ?? []), answeredBy: 'the run' });
}

/** `--only`: the section ends at the next heading of its depth or above. */
function sectionEnd(headings: readonly Heading[], section: Heading): number {
  const next = headings.find((h) => h.index > section.index && h.depth <= section.depth);
  return next === undefined ? Infinity : next.index;
}

function sectionProblem(
  option: string,
  name: string,
  found: Exclude<ReturnType<typeof findSection>, { ok: true }>,
): ScopeProblem {
  if (found.why === 'ambiguous')
    return {
      message: `--${option} "${name}": ${found.matches.length} sections have that title: ${found.matches.map(describeHeading).join(', ')}`,
      hint: `name one by its slug: --${option} ${found.matches[1]!.slug}`,
    };
  const [first] = found.nearby;
  if (first === undefined)
    return { message: `--${option} "${name}": the runbook has no headings`, hint: `run it without --${option}` };
  const match = closest(
    name,
    found.nearby.flatMap((h) => [h.slug, h.text]),
  );
  // A title typed in part (`fix-stuk`) is near its heading's start, though too short for `closest`.
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  const meant =
    found.nearby.find((h) => h.slug === match || h.text === match) ??
    (distance(name.toLowerCase(), first.slug) <= limit ? first : undefined);
  return {
    message: `--${option} "${name}": no section has that slug or title${meant ? `; did you mean \`${meant.slug}\`?` : ''}`,
    hint: `nearby sections: ${found.nearby.map(describeHeading).join(', ')}`,
  };
}

function needsProblem(
  node: GraphNode,
  dep: GraphNode,
  edge: GraphEdge,
  flag: string,
  pulledIn: RunScope['pulledIn'],
  depSection: Heading | undefined,
  answeredBy: string | undefined,
): ScopeProblem {
  const how =
    edge.why === 'reference'
      ? `reads \`${dep.id}\`${edge.detail ? ` (\`${edge.detail}\`)` : ''}`
      : edge.why === 'wait'
        ? `re-runs \`${dep.id}\``
        : `needs \`${dep.id}\``;
  const pulled = pulledIn.find((p) => p.id === node.id);
  const where = depSection ? `under "${depSection.text}" (line ${depSection.line})` : 'above the first heading';
  const start = depSection ? `start at its section (--from ${depSection.slug})` : 'run the whole runbook';
  const answer =
    stepSpec(dep.kind).gate === true && answeredBy === undefined
      ? `, or give \`${dep.id}\` its answer in --answers (${dep.id}: ...)`
      : '';
  return {
    message: `\`${node.id}\`${pulled ? ` (run because ${pulled.why})` : ''} ${how}, which ${flag} leaves out: it stands ${where} and would not run`,
    hint: `${start}${answer}`,
    at: { file: node.file, line: node.line, column: node.column },
  };
}

/** `file:line:col: error: message` and its hint, as `check` prints diagnostics. */
export function formatScopeProblem(problem: ScopeProblem, runbook: string): string {
  const at = problem.at ? `${problem.at.file}:${problem.at.line}:${problem.at.column}` : runbook;
  return `${at}: error: ${problem.message}\n  hint: ${problem.hint}\n`;
}
