/**
 * Which confirm guards which side effect (runbooks/README.md, "Guards"). A guard is explicit and
 * local:
 *
 * - A confirm guards the side-effecting steps that follow it in its own section (its heading and
 *   the subsections under it), until the next confirm, when it cannot be skipped while they run
 *   (it has no `when`, and its `if` regions enclose them too).
 * - A confirm also guards every side-effecting step whose own condition (its `when`, or an
 *   enclosing `if`) requires its answer, wherever it stands: `when="go.answer"`, or
 *   `when="stuck.rowCount > 0 && go.answer"`. That holds for a confirm with a `when` too: when it
 *   is skipped its answer is null, and the step does not run.
 *
 * A side effect no confirm guards is a `check` warning, and a headless run refuses it without
 * --allow-writes.
 */
import { parseExpressionAt } from '../expr/acorn.js';
import type { Expression, Step } from '../document/model.js';
import { loopKey } from '../document/each.js';
import { qualifyId, type Names } from './scope.js';

export interface Guards {
  /** Confirm id → the side-effecting steps it guards, in document order. */
  guards: Map<string, string[]>;
  /** Side-effecting step id → the confirms that guard it. */
  guardedBy: Map<string, string[]>;
}

/**
 * `steps` in document order; `sideEffect(step)` says whether a step changes something (gates
 * such as confirms and inputs do not need a guard); `isGuard(step)` whether its answer guards
 * side effects (a confirm: its kind's spec says `guard`).
 */
export function findGuards(
  steps: readonly Step[],
  sideEffect: (step: Step) => boolean,
  isGuard: (step: Step) => boolean,
  names: Names,
): Guards {
  const guards = new Map<string, string[]>();
  const guardedBy = new Map<string, string[]>();
  // Pairs already added: a confirm may guard thousands of steps, and a scan of its list per step
  // would be quadratic.
  const added = new Set<string>();
  const add = (confirm: Step, step: Step): void => {
    const pair = `${confirm.id}\u0000${step.id}`;
    if (added.has(pair)) return;
    added.add(pair);
    const list = guards.get(confirm.id) ?? [];
    list.push(step.id);
    guards.set(confirm.id, list);
    const by = guardedBy.get(step.id) ?? [];
    by.push(confirm.id);
    guardedBy.set(step.id, by);
  };
  let current: Step | null = null;
  for (const step of steps) {
    if (isGuard(step)) {
      current = step;
      guards.set(step.id, guards.get(step.id) ?? []);
      continue;
    }
    if (current !== null && !within(current.section, step.section)) current = null;
    if (!sideEffect(step)) continue;
    if (
      current !== null &&
      current.when === null &&
      // A confirm inside a loop asks once per item: it guards only steps of its own loop.
      (current.loop === undefined || loopKey(current) === loopKey(step)) &&
      current.conditions.every((c) =>
        step.conditions.some((own) => own.source === c.source && own.span.start.offset === c.span.start.offset),
      )
    )
      add(current, step);
    for (const id of answersRequired(step, names)) {
      const confirm = names.steps.get(id);
      if (confirm !== undefined && isGuard(confirm)) add(confirm, step);
    }
  }
  // Document order, by the first step of each id (as a search from the top finds it).
  const order = new Map<string, number>();
  steps.forEach((s, i) => {
    if (!order.has(s.id)) order.set(s.id, i);
  });
  const at = (id: string): number => order.get(id) ?? -1;
  for (const list of guardedBy.values()) list.sort((a, b) => at(a) - at(b));
  return { guards, guardedBy };
}

/** Whether `section` is `outer` or a subsection of it. */
function within(outer: readonly string[], section: readonly string[]): boolean {
  return outer.length <= section.length && outer.every((title, i) => section[i] === title);
}

/**
 * The confirms whose answer a step's conditions require: ids `X` such that `X.answer` (or
 * `X.answer === true`, `X.answer == true`, `steps['X'].answer`) is one of the top-level `&&`
 * terms of its `when` or of an enclosing `if`. Only then is the step certain not to run unless
 * the responder said yes.
 */
export function answersRequired(step: Step, names: Names): string[] {
  const ids: string[] = [];
  for (const condition of [...step.conditions, ...(step.when ? [step.when] : [])]) {
    for (const term of conjuncts(condition)) {
      const id = answerOf(term);
      if (id === null) continue;
      const resolved = qualifyId(id, step.scope, names);
      if (resolved !== undefined && !ids.includes(resolved)) ids.push(resolved);
    }
  }
  return ids;
}

type Node = { type: string; [key: string]: unknown };

function conjuncts(expression: Expression): Node[] {
  let root: Node;
  try {
    root = parseExpressionAt(expression.source, 0, { ecmaVersion: 'latest' }) as unknown as Node;
  } catch {
    return [];
  }
  if ((root as { end?: number }).end !== expression.source.trimEnd().length) return [];
  const out: Node[] = [];
  const walk = (node: Node): void => {
    if (node.type === 'LogicalExpression' && node.operator === '&&') {
      walk(node.left as Node);
      walk(node.right as Node);
    } else out.push(node);
  };
  walk(root);
  return out;
}

/** `X.answer`, `X.answer === true`, `X.answer == true`, `steps['X'].answer`, `steps.X.answer`: the id X. */
function answerOf(term: Node): string | null {
  if (term.type === 'BinaryExpression' && (term.operator === '===' || term.operator === '==')) {
    const left = term.left as Node;
    const right = term.right as Node;
    if (right.type === 'Literal' && right.value === true) return answerOf(left);
    if (left.type === 'Literal' && left.value === true) return answerOf(right);
    return null;
  }
  if (term.type !== 'MemberExpression' || term.optional === true) return null;
  if (propertyName(term) !== 'answer') return null;
  return stepIdOf(term.object as Node);
}

function propertyName(member: Node): string | null {
  const property = member.property as Node;
  if (member.computed !== true && property.type === 'Identifier') return property.name as string;
  if (member.computed === true && property.type === 'Literal' && typeof property.value === 'string')
    return property.value;
  return null;
}

/** `go`, `ns.go`, `steps['go-1']`, `steps.go`. */
function stepIdOf(node: Node): string | null {
  if (node.type === 'Identifier') return node.name === 'steps' ? null : (node.name as string);
  if (node.type !== 'MemberExpression' || node.optional === true) return null;
  const object = node.object as Node;
  const name = propertyName(node);
  if (name === null) return null;
  if (object.type === 'Identifier' && object.name === 'steps') return name;
  const inner = stepIdOf(object);
  return inner === null ? null : `${inner}.${name}`;
}
