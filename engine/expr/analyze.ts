/**
 * What an expression refers to: its free names (step ids, `inputs`, `secrets`, ...) with their
 * static member path, found by walking acorn's syntax tree with the scopes of arrow functions
 * and functions in mind (`rows.map(r => r.id)` refers to `rows`, not `r`). Never throws.
 */
import { parseExpressionAt, type Node } from 'acorn';
import { cleanMessage } from './template.js';

export interface ExprReference {
  root: string;
  /** Static member chain after the root: `steps['my-id'].rows[0]` → ['my-id', 'rows', '0']. */
  path: string[];
  start: number;
  end: number;
}

export type ExprAnalysis = { ok: true; references: ExprReference[] } | { ok: false; message: string; offset: number };

export const JS_GLOBALS: ReadonlySet<string> = new Set([
  'Math', 'JSON', 'Number', 'String', 'Boolean', 'Array', 'Object', 'Date', 'RegExp', 'Map', 'Set',
  'BigInt', 'Symbol', 'Intl', 'Error', 'TypeError', 'RangeError', 'parseInt', 'parseFloat', 'isNaN',
  'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'undefined',
  'NaN', 'Infinity',
]);

class Refusal extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

type AnyNode = Node & Record<string, unknown>;

export function analyzeExpression(source: string): ExprAnalysis {
  if (source.trim() === '') return { ok: false, message: 'empty expression', offset: 0 };
  let root: AnyNode;
  try {
    root = parseExpressionAt(source, 0, { ecmaVersion: 'latest', preserveParens: true, allowAwaitOutsideFunction: true }) as AnyNode;
  } catch (error) {
    const e = error as SyntaxError & { pos?: number };
    return { ok: false, message: cleanMessage(e.message), offset: e.pos ?? 0 };
  }
  const rest = source.slice(root.end);
  if (rest.trim() !== '') return { ok: false, message: 'unexpected text after the expression', offset: root.end + (rest.length - rest.trimStart().length) };
  const references: ExprReference[] = [];
  try {
    walk(root, [new Set()], references);
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, message: error.message, offset: error.offset };
    return { ok: false, message: `cannot analyse the expression: ${(error as Error).message}`, offset: 0 };
  }
  references.sort((a, b) => a.start - b.start);
  return { ok: true, references };
}

function isBound(name: string, scopes: Set<string>[]): boolean {
  for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i]!.has(name)) return true;
  return false;
}

function walk(node: AnyNode | null | undefined, scopes: Set<string>[], out: ExprReference[]): void {
  if (!node || typeof node.type !== 'string') return;
  switch (node.type) {
    case 'Identifier':
      if (!isBound(node.name as string, scopes)) out.push({ root: node.name as string, path: [], start: node.start, end: node.end });
      return;
    case 'MemberExpression':
      return walkMember(node, scopes, out);
    case 'ChainExpression':
      return walk(node.expression as AnyNode, scopes, out);
    case 'Property':
      if (node.computed) walk(node.key as AnyNode, scopes, out);
      return walk(node.value as AnyNode, scopes, out);
    case 'PropertyDefinition':
    case 'MethodDefinition':
      if (node.computed) walk(node.key as AnyNode, scopes, out);
      return walk(node.value as AnyNode, scopes, out);
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'FunctionDeclaration':
      return walkFunction(node, scopes, out);
    case 'AssignmentExpression':
    case 'UpdateExpression': {
      const target = (node.type === 'AssignmentExpression' ? node.left : node.argument) as AnyNode;
      const root = rootName(target);
      if (root !== undefined && !isBound(root, scopes)) {
        throw new Refusal(`expressions cannot change values: this assigns to \`${root}\`; use a \`set\` step`, node.start);
      }
      if (node.type === 'AssignmentExpression') walkPatternDefaults(node.left as AnyNode, scopes, out);
      return walk((node.type === 'AssignmentExpression' ? node.right : node.argument) as AnyNode, scopes, out);
    }
    case 'AwaitExpression':
    case 'YieldExpression':
      throw new Refusal(`\`${node.type === 'AwaitExpression' ? 'await' : 'yield'}\` is not allowed in an expression`, node.start);
    case 'ImportExpression':
      throw new Refusal('`import()` is not allowed in an expression', node.start);
    case 'MetaProperty':
      throw new Refusal('`new.target` and `import.meta` are not allowed in an expression', node.start);
    case 'LabeledStatement':
      return walk(node.body as AnyNode, scopes, out);
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'ThisExpression':
    case 'Super':
    case 'Literal':
      return;
    case 'VariableDeclarator':
      walkPatternDefaults(node.id as AnyNode, scopes, out);
      return walk(node.init as AnyNode, scopes, out);
    case 'CatchClause': {
      const scope = new Set<string>();
      if (node.param) bindPattern(node.param as AnyNode, scope);
      return walk(node.body as AnyNode, [...scopes, scope], out);
    }
    case 'BlockStatement': {
      const scope = new Set<string>();
      for (const statement of node.body as AnyNode[]) declare(statement, scope);
      for (const statement of node.body as AnyNode[]) walk(statement, [...scopes, scope], out);
      return;
    }
    case 'ClassExpression':
    case 'ClassDeclaration':
      walk(node.superClass as AnyNode, scopes, out);
      return walk(node.body as AnyNode, scopes, out);
    default:
      for (const key of Object.keys(node)) {
        if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
        const value = node[key];
        if (Array.isArray(value)) for (const item of value) walk(item as AnyNode, scopes, out);
        else if (value && typeof value === 'object' && typeof (value as AnyNode).type === 'string') walk(value as AnyNode, scopes, out);
      }
  }
}

function walkMember(node: AnyNode, scopes: Set<string>[], out: ExprReference[]): void {
  const chain: AnyNode[] = [];
  let current: AnyNode = node;
  for (;;) {
    if (current.type === 'MemberExpression') {
      chain.unshift(current);
      current = current.object as AnyNode;
    } else if (current.type === 'ChainExpression') current = current.expression as AnyNode;
    else break;
  }
  if (current.type === 'Identifier' && !isBound(current.name as string, scopes)) {
    const path: string[] = [];
    let end = current.end;
    for (const member of chain) {
      const name = staticName(member);
      if (name === undefined) break;
      path.push(name);
      end = member.end;
    }
    out.push({ root: current.name as string, path, start: current.start, end });
  } else walk(current, scopes, out);
  for (const member of chain) if (member.computed) walk(member.property as AnyNode, scopes, out);
}

function staticName(member: AnyNode): string | undefined {
  const property = member.property as AnyNode;
  if (!member.computed) return property.type === 'Identifier' ? (property.name as string) : undefined;
  if (property.type === 'Literal' && (typeof property.value === 'string' || typeof property.value === 'number')) return String(property.value);
  return undefined;
}

function rootName(node: AnyNode): string | undefined {
  let current = node;
  while (current.type === 'MemberExpression') current = current.object as AnyNode;
  if (current.type === 'Identifier') return current.name as string;
  if (current.type === 'ObjectPattern' || current.type === 'ArrayPattern') {
    const names = new Set<string>();
    bindPattern(current, names);
    return names.values().next().value;
  }
  return undefined;
}

function walkFunction(node: AnyNode, scopes: Set<string>[], out: ExprReference[]): void {
  const scope = new Set<string>();
  if (node.type === 'FunctionExpression' && node.id) scope.add((node.id as AnyNode).name as string);
  for (const param of node.params as AnyNode[]) bindPattern(param, scope);
  const inner = [...scopes, scope];
  for (const param of node.params as AnyNode[]) walkPatternDefaults(param, inner, out);
  const body = node.body as AnyNode;
  if (body.type === 'BlockStatement') {
    for (const statement of body.body as AnyNode[]) hoist(statement, scope);
  }
  walk(body, inner, out);
}

/** Names a statement declares in its block (let, const, var, function, class). */
function declare(statement: AnyNode, scope: Set<string>): void {
  if (statement.type === 'VariableDeclaration') for (const d of statement.declarations as AnyNode[]) bindPattern(d.id as AnyNode, scope);
  else if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id) scope.add((statement.id as AnyNode).name as string);
}

/** `var` declarations anywhere in a function body (not in nested functions) belong to the function. */
function hoist(node: AnyNode | null | undefined, scope: Set<string>): void {
  if (!node || typeof node.type !== 'string') return;
  if (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') return;
  if (node.type === 'FunctionDeclaration') {
    if (node.id) scope.add((node.id as AnyNode).name as string);
    return;
  }
  if (node.type === 'VariableDeclaration' && node.kind === 'var') {
    for (const d of node.declarations as AnyNode[]) bindPattern(d.id as AnyNode, scope);
  }
  if (node.type === 'ForStatement' || node.type === 'ForInStatement' || node.type === 'ForOfStatement') {
    const left = (node.init ?? node.left) as AnyNode | null;
    if (left?.type === 'VariableDeclaration') for (const d of left.declarations as AnyNode[]) bindPattern(d.id as AnyNode, scope);
  }
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (Array.isArray(value)) for (const item of value) hoist(item as AnyNode, scope);
    else if (value && typeof value === 'object' && key !== 'loc') hoist(value as AnyNode, scope);
  }
}

function bindPattern(pattern: AnyNode | null, scope: Set<string>): void {
  if (!pattern) return;
  switch (pattern.type) {
    case 'Identifier':
      scope.add(pattern.name as string);
      return;
    case 'ObjectPattern':
      for (const p of pattern.properties as AnyNode[]) bindPattern((p.type === 'RestElement' ? p.argument : p.value) as AnyNode, scope);
      return;
    case 'ArrayPattern':
      for (const e of pattern.elements as (AnyNode | null)[]) bindPattern(e, scope);
      return;
    case 'AssignmentPattern':
      return bindPattern(pattern.left as AnyNode, scope);
    case 'RestElement':
      return bindPattern(pattern.argument as AnyNode, scope);
  }
}

/** Default values and computed keys inside a binding pattern are expressions. */
function walkPatternDefaults(pattern: AnyNode | null, scopes: Set<string>[], out: ExprReference[]): void {
  if (!pattern) return;
  switch (pattern.type) {
    case 'ObjectPattern':
      for (const p of pattern.properties as AnyNode[]) {
        if (p.type === 'RestElement') walkPatternDefaults(p.argument as AnyNode, scopes, out);
        else {
          if (p.computed) walk(p.key as AnyNode, scopes, out);
          walkPatternDefaults(p.value as AnyNode, scopes, out);
        }
      }
      return;
    case 'ArrayPattern':
      for (const e of pattern.elements as (AnyNode | null)[]) walkPatternDefaults(e, scopes, out);
      return;
    case 'AssignmentPattern':
      walkPatternDefaults(pattern.left as AnyNode, scopes, out);
      return walk(pattern.right as AnyNode, scopes, out);
    case 'RestElement':
      return walkPatternDefaults(pattern.argument as AnyNode, scopes, out);
    case 'MemberExpression':
      return walk(pattern, scopes, out);
  }
}

const STRAIGHT_LINE = new Set([
  'Identifier', 'Literal', 'MemberExpression', 'ChainExpression', 'BinaryExpression', 'LogicalExpression',
  'UnaryExpression', 'ConditionalExpression', 'TemplateLiteral', 'TemplateElement', 'ArrayExpression',
  'ObjectExpression', 'Property', 'ParenthesizedExpression', 'SequenceExpression',
]);

/**
 * True when an expression can only take time in proportion to its own size: member access,
 * literals (no regular expressions), operators, conditionals, no calls, functions or `new`.
 * The sandbox evaluates such expressions without arming its timeout watchdog, which costs
 * more than the evaluation itself; everything else runs under the time limit.
 */
export function isStraightLine(source: string): boolean {
  let root: AnyNode;
  try {
    root = parseExpressionAt(source, 0, { ecmaVersion: 'latest', preserveParens: true }) as AnyNode;
  } catch {
    return false;
  }
  if (source.slice(root.end).trim() !== '') return false;
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
      if (Array.isArray(value)) for (const item of value) if (item && typeof item === 'object') stack.push(item as AnyNode);
      if (value && typeof value === 'object' && typeof (value as AnyNode).type === 'string') stack.push(value as AnyNode);
    }
  }
  return true;
}
