/**
 * What an expression refers to: its free names (step ids, `inputs`, `secrets`, ...) with their
 * static member path, found by walking acorn's syntax tree with the scopes of arrow functions,
 * functions, blocks and catch clauses in mind (`rows.map(r => r.id)` refers to `rows`, not `r`).
 * Also refuses what an expression may not do: change a value it was given, await, import.
 * Never throws.
 */
import type { ExprAnalysis, ExprReference } from './analysis.js';
import { type AnyNode, derived, parsedExpression } from './parsed.js';
import { cleanMessage, skipSpace } from './template.js';

export type { ExprAnalysis, ExprReference } from './analysis.js';

/** Built-ins an expression may use. Not here on purpose: process, require, globalThis, Function, eval, Reflect, Proxy. */
export const JS_GLOBALS: ReadonlySet<string> = new Set([
  'Math',
  'JSON',
  'Number',
  'String',
  'Boolean',
  'Array',
  'Object',
  'Date',
  'RegExp',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'BigInt',
  'Symbol',
  'Intl',
  'Error',
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
  'URIError',
  'parseInt',
  'parseFloat',
  'isNaN',
  'isFinite',
  'encodeURIComponent',
  'decodeURIComponent',
  'encodeURI',
  'decodeURI',
  'undefined',
  'NaN',
  'Infinity',
]);

/** A refusal found while walking; thrown to stop the walk, caught in analyzeExpression. */
interface Refusal {
  refusal: true;
  message: string;
  offset: number;
}

interface Walk {
  source: string;
  /** How many enclosing scopes bind each name. */
  bound: Map<string, number>;
  references: ExprReference[];
}

/**
 * The analysis of an expression: a plain comparison of member paths and literals is read
 * without acorn (simple.ts), anything else from acorn's tree. Callers must not change it.
 */
export function analyzeExpression(source: string): ExprAnalysis {
  // Once per source while parsed.ts keeps it (a run asks at its start, which steps an expression
  // reads, and again when it compiles it); parsedExpression sets it for the simple form.
  return derived(parsedExpression(source), 'analysis', () => treeAnalysis(source));
}

/**
 * The analysis from the expression's tree (acorn's, or simple.ts's copy of it), computed once per
 * source (see parsed.ts): what simpleAnalysis must agree with (test/expr/simple.test.ts).
 */
export function treeAnalysis(source: string): ExprAnalysis {
  const first = skipSpace(source, 0);
  if (first >= source.length) return { ok: false, message: 'empty expression', offset: 0 };
  return derived(parsedExpression(source), 'treeAnalysis', ({ root, error }) =>
    root === null ? parseFailure(error, first) : analyzeTree(source, root, first),
  );
}

function analyzeTree(source: string, root: AnyNode, first: number): ExprAnalysis {
  const after = skipSpace(source, root.end);
  if (after < source.length) return { ok: false, message: 'unexpected text after the expression', offset: after };
  const state: Walk = { source, bound: new Map(), references: [] };
  try {
    walk(root, state);
  } catch (error) {
    const e = error as Partial<Refusal>;
    if (e.refusal === true) return { ok: false, message: e.message!, offset: e.offset! };
    if (error instanceof RangeError) return { ok: false, message: 'expression is too deeply nested', offset: first };
    return {
      ok: false,
      message: `cannot analyse the expression: ${String((error as Error)?.message ?? error)}`,
      offset: first,
    };
  }
  state.references.sort((a, b) => a.start - b.start);
  return { ok: true, references: state.references };
}

function parseFailure(error: unknown, fallback: number): ExprAnalysis {
  const e = error as { message?: unknown; pos?: unknown };
  if (error instanceof SyntaxError && typeof e.pos === 'number')
    return { ok: false, message: cleanMessage(String(e.message)), offset: e.pos };
  return { ok: false, message: 'expression is too deeply nested', offset: fallback };
}

function refuse(message: string, offset: number): never {
  const refusal: Refusal = { refusal: true, message, offset };
  throw refusal;
}

function enter(state: Walk, names: string[]): void {
  for (const name of names) state.bound.set(name, (state.bound.get(name) ?? 0) + 1);
}

function leave(state: Walk, names: string[]): void {
  for (const name of names) {
    const count = (state.bound.get(name) ?? 1) - 1;
    if (count > 0) state.bound.set(name, count);
    else state.bound.delete(name);
  }
}

function walk(node: AnyNode | null | undefined, state: Walk): void {
  if (!node || typeof node.type !== 'string') return;
  switch (node.type) {
    case 'Identifier':
      if (!state.bound.has(node.name as string))
        state.references.push({ root: node.name as string, path: [], start: node.start, end: node.end });
      return;
    case 'MemberExpression':
    case 'ChainExpression':
      return walkChain(node, state);
    case 'Literal':
    case 'ThisExpression':
    case 'Super':
    case 'PrivateIdentifier':
    case 'TemplateElement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'EmptyStatement':
    case 'DebuggerStatement':
      return;
    case 'AwaitExpression':
      return refuse('`await` is not allowed in an expression', node.start);
    case 'YieldExpression':
      return refuse('`yield` is not allowed in an expression', node.start);
    case 'ImportExpression':
      return refuse('`import()` is not allowed in an expression', node.start);
    case 'MetaProperty':
      return refuse(`\`${state.source.slice(node.start, node.end)}\` is not allowed in an expression`, node.start);
    case 'AssignmentExpression':
      checkTargets(node.left as AnyNode, node, state);
      walkPattern(node.left as AnyNode, state);
      return walk(node.right as AnyNode, state);
    case 'UpdateExpression':
      checkTargets(node.argument as AnyNode, node, state);
      return walk(node.argument as AnyNode, state);
    case 'UnaryExpression':
      if (node.operator === 'delete') checkTargets(node.argument as AnyNode, node, state);
      return walk(node.argument as AnyNode, state);
    case 'Property':
    case 'PropertyDefinition':
    case 'MethodDefinition':
    case 'AccessorProperty':
      if (node.computed) walk(node.key as AnyNode, state);
      return walk(node.value as AnyNode, state);
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'FunctionDeclaration':
      return walkFunction(node, state);
    case 'ClassExpression':
    case 'ClassDeclaration': {
      walk(node.superClass as AnyNode, state);
      const names = node.type === 'ClassExpression' && node.id ? [(node.id as AnyNode).name as string] : [];
      enter(state, names);
      for (const member of (node.body as AnyNode).body as AnyNode[]) walk(member, state);
      return leave(state, names);
    }
    case 'StaticBlock':
      return walkBody(node, [], [], state);
    case 'LabeledStatement':
      return walk(node.body as AnyNode, state);
    case 'VariableDeclaration':
      for (const d of node.declarations as AnyNode[]) {
        walkPattern(d.id as AnyNode, state);
        walk(d.init as AnyNode, state);
      }
      return;
    case 'BlockStatement': {
      const names = lexicalNames(node.body as AnyNode[]);
      enter(state, names);
      for (const statement of node.body as AnyNode[]) walk(statement, state);
      return leave(state, names);
    }
    case 'SwitchStatement': {
      walk(node.discriminant as AnyNode, state);
      const cases = node.cases as AnyNode[];
      const names = cases.flatMap((c) => lexicalNames(c.consequent as AnyNode[]));
      enter(state, names);
      for (const c of cases) {
        walk(c.test as AnyNode, state);
        for (const statement of c.consequent as AnyNode[]) walk(statement, state);
      }
      return leave(state, names);
    }
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement': {
      const head = (node.type === 'ForStatement' ? node.init : node.left) as AnyNode | null;
      const names: string[] = [];
      const declares = head?.type === 'VariableDeclaration';
      if (declares && head.kind !== 'var')
        for (const d of head.declarations as AnyNode[]) bindingNames(d.id as AnyNode, names);
      // `for (x of xs)` writes to x.
      if (!declares && node.type !== 'ForStatement') checkTargets(head, node, state);
      enter(state, names);
      if (declares || node.type === 'ForStatement') walk(head, state);
      else walkPattern(head, state);
      for (const key of ['test', 'update', 'right', 'body']) walk(node[key] as AnyNode | null | undefined, state);
      return leave(state, names);
    }
    case 'CatchClause': {
      const names: string[] = [];
      bindingNames(node.param as AnyNode | null, names);
      enter(state, names);
      walkPattern(node.param as AnyNode | null, state);
      walk(node.body as AnyNode, state);
      return leave(state, names);
    }
    default:
      for (const key in node) {
        if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
        const value = node[key];
        if (Array.isArray(value)) for (const item of value) walk(item as AnyNode | null, state);
        else if (value !== null && typeof value === 'object') walk(value as AnyNode, state);
      }
  }
}

/** `a.b?.['c'][0]`: one reference with the static part of the chain; computed keys are walked. */
function walkChain(node: AnyNode, state: Walk): void {
  const members: AnyNode[] = [];
  let base = node;
  for (;;) {
    if (base.type === 'MemberExpression') {
      members.push(base);
      base = base.object as AnyNode;
    } else if (base.type === 'ChainExpression' || base.type === 'ParenthesizedExpression')
      base = base.expression as AnyNode;
    else break;
  }
  members.reverse();
  if (base.type === 'Identifier' && !state.bound.has(base.name as string)) {
    const path: string[] = [];
    let end = base.end;
    for (const member of members) {
      const name = staticKey(member);
      if (name === undefined) break;
      path.push(name);
      end = member.end;
    }
    state.references.push({ root: base.name as string, path, start: base.start, end });
  } else walk(base, state);
  for (const member of members) if (member.computed) walk(member.property as AnyNode, state);
}

/** The property name of `a.b`, `a['b']`, `a[0]`, `` a[`b`] ``; undefined when computed at run time. */
function staticKey(member: AnyNode): string | undefined {
  const key = member.property as AnyNode;
  if (!member.computed) return key.type === 'Identifier' ? (key.name as string) : undefined;
  if (key.type === 'Literal' && !key.regex) return String(key.value);
  if (key.type === 'TemplateLiteral' && (key.expressions as unknown[]).length === 0) {
    const cooked = ((key.quasis as AnyNode[])[0]?.value as { cooked?: string | null } | undefined)?.cooked;
    return typeof cooked === 'string' ? cooked : undefined;
  }
  return undefined;
}

/**
 * Refuses a change to a value the expression did not create: an assignment, `++`, `delete`, a
 * `for (x of ...)` head. The target's root must be free: `a`, `a.b[c]`, `(a).b`, and through
 * calls `a.find(f).b` (the found element is `a`'s), but not `JSON.parse(s).b`, a new value.
 */
function checkTargets(target: AnyNode | null, change: AnyNode, state: Walk): void {
  const targets: AnyNode[] = [];
  assignmentTargets(target, targets);
  for (const t of targets) {
    const root = targetRoot(t);
    if (root === undefined || state.bound.has(root.name) || (root.throughCall && JS_GLOBALS.has(root.name))) continue;
    const written = clip(state.source.slice(t.start, t.end));
    const name = root.name;
    const what =
      change.type === 'UpdateExpression'
        ? `\`${clip(state.source.slice(change.start, change.end))}\` changes \`${name}\``
        : change.type === 'UnaryExpression'
          ? `\`delete ${written}\` changes \`${name}\``
          : change.type === 'AssignmentExpression'
            ? `\`${written} ${String(change.operator)} ...\` assigns to \`${name}\``
            : `\`${written}\` in a loop head assigns to \`${name}\``;
    refuse(`expressions cannot change values: ${what}; use a \`set\` step`, change.start);
  }
}

/** The identifiers and members a pattern writes to. */
function assignmentTargets(node: AnyNode | null | undefined, out: AnyNode[]): void {
  if (!node) return;
  switch (node.type) {
    case 'ObjectPattern':
      for (const p of node.properties as AnyNode[])
        assignmentTargets((p.type === 'RestElement' ? p.argument : p.value) as AnyNode, out);
      return;
    case 'ArrayPattern':
      for (const e of node.elements as (AnyNode | null)[]) assignmentTargets(e, out);
      return;
    case 'AssignmentPattern':
      return assignmentTargets(node.left as AnyNode, out);
    case 'RestElement':
      return assignmentTargets(node.argument as AnyNode, out);
    case 'ParenthesizedExpression':
      return assignmentTargets(node.expression as AnyNode, out);
    default:
      out.push(node);
  }
}

/** Whose value a write to `node` changes: `a` for `a`, `a.b[c].d`, `(a).b`, `a.find(f).b`. */
function targetRoot(node: AnyNode): { name: string; throughCall: boolean } | undefined {
  let current = node;
  let throughCall = false;
  for (;;) {
    if (current.type === 'MemberExpression') current = current.object as AnyNode;
    else if (current.type === 'ChainExpression' || current.type === 'ParenthesizedExpression')
      current = current.expression as AnyNode;
    else if (current.type === 'CallExpression') {
      throughCall = true;
      current = current.callee as AnyNode;
    } else break;
  }
  return current.type === 'Identifier' ? { name: current.name as string, throughCall } : undefined;
}

function walkFunction(node: AnyNode, state: Walk): void {
  const names: string[] = [];
  if (node.type === 'FunctionExpression' && node.id) names.push((node.id as AnyNode).name as string);
  if (node.type !== 'ArrowFunctionExpression') names.push('arguments');
  for (const param of node.params as AnyNode[]) bindingNames(param, names);
  const body = node.body as AnyNode;
  if (body.type !== 'BlockStatement') {
    enter(state, names);
    for (const param of node.params as AnyNode[]) walkPattern(param, state);
    walk(body, state);
    return leave(state, names);
  }
  walkBody(body, names, node.params as AnyNode[], state);
}

/** A function body or static block: parameters and `var`s bound throughout, then the block itself. */
function walkBody(body: AnyNode, names: string[], params: AnyNode[], state: Walk): void {
  for (const statement of body.body as AnyNode[]) hoistVars(statement, names);
  enter(state, names);
  for (const param of params) walkPattern(param, state);
  walk(body.type === 'StaticBlock' ? { ...body, type: 'BlockStatement' } : body, state);
  leave(state, names);
}

/** let, const, class and function declarations directly in a block. */
function lexicalNames(statements: AnyNode[]): string[] {
  const names: string[] = [];
  for (const s of statements) {
    if (s.type === 'VariableDeclaration' && s.kind !== 'var')
      for (const d of s.declarations as AnyNode[]) bindingNames(d.id as AnyNode, names);
    else if ((s.type === 'FunctionDeclaration' || s.type === 'ClassDeclaration') && s.id)
      names.push((s.id as AnyNode).name as string);
  }
  return names;
}

/** `var` names declared in a statement, not counting nested functions. */
function hoistVars(node: AnyNode | null | undefined, names: string[]): void {
  if (!node) return;
  switch (node.type) {
    case 'VariableDeclaration':
      if (node.kind === 'var') for (const d of node.declarations as AnyNode[]) bindingNames(d.id as AnyNode, names);
      return;
    case 'BlockStatement':
      for (const s of node.body as AnyNode[]) hoistVars(s, names);
      return;
    case 'IfStatement':
      hoistVars(node.consequent as AnyNode, names);
      return hoistVars(node.alternate as AnyNode | null, names);
    case 'ForStatement':
      hoistVars(node.init as AnyNode | null, names);
      return hoistVars(node.body as AnyNode, names);
    case 'ForInStatement':
    case 'ForOfStatement':
      hoistVars(node.left as AnyNode, names);
      return hoistVars(node.body as AnyNode, names);
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'LabeledStatement':
    case 'WithStatement':
      return hoistVars(node.body as AnyNode, names);
    case 'TryStatement':
      hoistVars(node.block as AnyNode, names);
      hoistVars((node.handler as AnyNode | null)?.body as AnyNode | undefined, names);
      return hoistVars(node.finalizer as AnyNode | null, names);
    case 'SwitchStatement':
      for (const c of node.cases as AnyNode[]) for (const s of c.consequent as AnyNode[]) hoistVars(s, names);
      return;
  }
}

/** Names a binding pattern declares. */
function bindingNames(pattern: AnyNode | null | undefined, names: string[]): void {
  if (!pattern) return;
  switch (pattern.type) {
    case 'Identifier':
      names.push(pattern.name as string);
      return;
    case 'ObjectPattern':
      for (const p of pattern.properties as AnyNode[])
        bindingNames((p.type === 'RestElement' ? p.argument : p.value) as AnyNode, names);
      return;
    case 'ArrayPattern':
      for (const e of pattern.elements as (AnyNode | null)[]) bindingNames(e, names);
      return;
    case 'AssignmentPattern':
      return bindingNames(pattern.left as AnyNode, names);
    case 'RestElement':
      return bindingNames(pattern.argument as AnyNode, names);
  }
}

/** The expressions inside a pattern: default values, computed keys, member targets. */
function walkPattern(pattern: AnyNode | null | undefined, state: Walk): void {
  if (!pattern) return;
  switch (pattern.type) {
    case 'Identifier':
      return;
    case 'ObjectPattern':
      for (const p of pattern.properties as AnyNode[]) {
        if (p.type === 'RestElement') walkPattern(p.argument as AnyNode, state);
        else {
          if (p.computed) walk(p.key as AnyNode, state);
          walkPattern(p.value as AnyNode, state);
        }
      }
      return;
    case 'ArrayPattern':
      for (const e of pattern.elements as (AnyNode | null)[]) walkPattern(e, state);
      return;
    case 'AssignmentPattern':
      walkPattern(pattern.left as AnyNode, state);
      return walk(pattern.right as AnyNode, state);
    case 'RestElement':
      return walkPattern(pattern.argument as AnyNode, state);
    case 'ParenthesizedExpression':
      return walkPattern(pattern.expression as AnyNode, state);
    default:
      return walk(pattern, state);
  }
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 40 ? `${line.slice(0, 37)}...` : line;
}

const STRAIGHT_LINE = new Set([
  'Identifier',
  'Literal',
  'MemberExpression',
  'ChainExpression',
  'BinaryExpression',
  'LogicalExpression',
  'UnaryExpression',
  'ConditionalExpression',
  'TemplateLiteral',
  'TemplateElement',
  'ArrayExpression',
  'ObjectExpression',
  'Property',
  'ParenthesizedExpression',
  'SequenceExpression',
]);

/**
 * True when an expression can only take time in proportion to its own size: member access,
 * literals (no regular expressions), operators, conditionals, no calls, functions or `new`.
 * The sandbox evaluates such expressions without arming its timeout watchdog, which costs
 * more than the evaluation itself; everything else runs under the time limit.
 */
export function isStraightLine(source: string): boolean {
  return derived(parsedExpression(source), 'straightLine', ({ root }) => root !== null && straightLine(source, root));
}

function straightLine(source: string, root: AnyNode): boolean {
  if (skipSpace(source, root.end) < source.length) return false;
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!STRAIGHT_LINE.has(node.type)) return false;
    if (node.type === 'Literal' && (node as { regex?: unknown }).regex) return false;
    if (node.type === 'Property' && (node.kind !== 'init' || node.method)) return false;
    if (node.type === 'UnaryExpression' && node.operator === 'delete') return false;
    for (const key of Object.keys(node)) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      const value = node[key];
      if (Array.isArray(value))
        for (const item of value) if (item && typeof item === 'object') stack.push(item as AnyNode);
      if (value && typeof value === 'object' && typeof (value as AnyNode).type === 'string')
        stack.push(value as AnyNode);
    }
  }
  return true;
}
