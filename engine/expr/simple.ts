/**
 * The analysis of the expressions most runbooks are made of, without acorn: comparisons and
 * `&&`/`||` of member paths and literals (`c0.rows[0].n == 100`, `!go.answer || h.json.ok`).
 * Acorn costs ~100 µs per expression while cold and builds a tree kept in the parse memo; a
 * 1 MB runbook has ~10,000 such expressions, each read by the graph and again by the rules.
 *
 * Anything else gives null and goes to acorn (analyze.ts): calls, functions, parentheses,
 * arithmetic, `??`, comments, escapes, numbers other than plain decimals, non-ASCII names,
 * reserved words, whitespace inside a member path. What is accepted is always valid JavaScript,
 * and its references are exactly those acorn's tree gives (test/expr/simple.test.ts compares
 * the two on many generated expressions).
 */
import type { ExprAnalysis, ExprReference } from './analysis.js';

/**
 * Words that are not plain identifiers in some context (keywords, strict-mode and contextual
 * words): such a root goes to acorn, which knows what each one means. `true`, `false` and
 * `null` are literals here, and refused before a member.
 */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while ' +
    'with yield let static enum await implements package protected interface private public async of get set ' +
    'arguments eval'
  ).split(' '),
);

/** Operators between two operands; longest first, so `===` is not read as `==` and `=`. */
const OPERATORS = ['===', '!==', '==', '!=', '<=', '>=', '&&', '||', '<', '>'];

/**
 * At most this many operators, and `!` before an operand: acorn recurses per operator, and a
 * long enough chain is its "too deeply nested" error, which only acorn may decide.
 */
const MAX_OPERATORS = 64;
const MAX_NOTS = 8;

/** The references of `source` when it is of the simple form; null when acorn must decide. */
export function simpleAnalysis(source: string): ExprAnalysis | null {
  const parsed = simpleParse(source);
  return parsed === null ? null : { ok: true, references: parsed.references };
}

/**
 * The tree acorn builds for `source` (parseExpressionAt with template.ts's PARSE_OPTIONS: the
 * same node types, fields and offsets) when it is of the simple form; null when acorn must read
 * it. A run compiles each assertion's expression to evaluate it on the host (interpret.ts reads
 * this tree), and a drill's thousand assertions each cost acorn ~100 µs while it is cold.
 */
export function simpleTree(source: string): SimpleNode | null {
  return simpleParse(source)?.root ?? null;
}

/** An ESTree node as acorn builds it: `type`, `start`, `end` and the fields of its type. */
export type SimpleNode = { type: string; start: number; end: number } & Record<string, unknown>;

/** Binding power of each operator, as acorn's: `||` < `&&` < equality < relational. */
const PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 6,
  '!=': 6,
  '===': 6,
  '!==': 6,
  '<': 7,
  '>': 7,
  '<=': 7,
  '>=': 7,
};

/** The simple form read once: acorn's tree for it, and its references. */
export interface SimpleParse {
  root: SimpleNode;
  references: ExprReference[];
}

/** simpleTree and simpleAnalysis in one reading (parsed.ts keeps both). */
export function simpleParse(source: string): SimpleParse | null {
  const references: ExprReference[] = [];
  // Operands (each under its `!`s) and the operators between them, then folded by precedence.
  const operands: SimpleNode[] = [];
  const operators: string[] = [];
  let at = space(source, 0);
  for (let count = 0; count <= MAX_OPERATORS; count++) {
    const nots: number[] = [];
    while (source.charCodeAt(at) === 33 /* ! */) {
      if (nots.length === MAX_NOTS) return null;
      nots.push(at);
      at = space(source, at + 1);
    }
    // After an operand only spaces, an operator or the end may come: so a literal with a member
    // (`true.x`), a number or name that goes on (`01`, `10n`, `1e3`, `a\u0062`, `xé`) is refused.
    let node = operand(source, at, references);
    if (node === null) return null;
    for (let i = nots.length - 1; i >= 0; i--)
      node = { type: 'UnaryExpression', start: nots[i]!, end: node.end, operator: '!', prefix: true, argument: node };
    operands.push(node);
    at = space(source, node.end);
    if (at === source.length) return { root: fold(operands, operators), references };
    const operator = OPERATORS.find((op) => source.startsWith(op, at));
    if (operator === undefined) return null;
    operators.push(operator);
    at = space(source, at + operator.length);
  }
  return null;
}

/** `a op b op c ...` as acorn nests it: tighter operators first, left to right among equals. */
function fold(operands: SimpleNode[], operators: string[]): SimpleNode {
  const values: SimpleNode[] = [operands[0]!];
  const pending: string[] = [];
  const reduce = () => {
    const right = values.pop()!;
    const left = values.pop()!;
    const operator = pending.pop()!;
    const type = operator === '&&' || operator === '||' ? 'LogicalExpression' : 'BinaryExpression';
    values.push({ type, start: left.start, end: right.end, left, operator, right });
  };
  for (let i = 0; i < operators.length; i++) {
    const operator = operators[i]!;
    while (pending.length > 0 && PRECEDENCE[pending[pending.length - 1]!]! >= PRECEDENCE[operator]!) reduce();
    pending.push(operator);
    values.push(operands[i + 1]!);
  }
  while (pending.length > 0) reduce();
  return values[0]!;
}

/** The operand at `at` (a literal, or a member path whose reference is added), or null. */
function operand(source: string, at: number, references: ExprReference[]): SimpleNode | null {
  const c = source.charCodeAt(at);
  if (c === 34 || c === 39) return stringLiteral(source, at);
  if (isDigit(c)) {
    const end = number(source, at);
    return end < 0 ? null : literal(source, at, end, Number(source.slice(at, end)));
  }
  const nameEnd = name(source, at);
  if (nameEnd < 0) return null;
  const root = source.slice(at, nameEnd);
  if (root === 'true' || root === 'false') return literal(source, at, nameEnd, root === 'true');
  if (root === 'null') return literal(source, at, nameEnd, null);
  if (RESERVED.has(root)) return null;
  const path: string[] = [];
  let node = identifier(source, at, nameEnd);
  let chained = false;
  for (;;) {
    let i = node.end;
    const optional = source.startsWith('?.', i);
    if (optional) {
      chained = true;
      i += 2;
      if (source.charCodeAt(i) !== 91 /* [ */) {
        const keyEnd = name(source, i);
        if (keyEnd < 0) return null;
        path.push(source.slice(i, keyEnd));
        node = member(node, identifier(source, i, keyEnd), false, true);
        continue;
      }
    }
    const c = source.charCodeAt(i);
    if (!optional && c === 46 /* . */) {
      const keyEnd = name(source, i + 1);
      if (keyEnd < 0) return null;
      path.push(source.slice(i + 1, keyEnd));
      node = member(node, identifier(source, i + 1, keyEnd), false, false);
    } else if (c === 91 /* [ */) {
      const keyEnd = key(source, i + 1);
      if (keyEnd < 0 || source.charCodeAt(keyEnd) !== 93 /* ] */) return null;
      const k = source.charCodeAt(i + 1);
      const quoted = k === 34 || k === 39;
      const text = quoted ? source.slice(i + 2, keyEnd - 1) : source.slice(i + 1, keyEnd);
      path.push(text);
      const property = literal(source, i + 1, keyEnd, quoted ? text : Number(text));
      node = member(node, property, true, optional);
      node.end = keyEnd + 1;
    } else break;
  }
  references.push({ root, path, start: at, end: node.end });
  return chained ? { type: 'ChainExpression', start: at, end: node.end, expression: node } : node;
}

function member(object: SimpleNode, property: SimpleNode, computed: boolean, optional: boolean): SimpleNode {
  return { type: 'MemberExpression', start: object.start, end: property.end, object, property, computed, optional };
}

function identifier(source: string, start: number, end: number): SimpleNode {
  return { type: 'Identifier', start, end, name: source.slice(start, end) };
}

function literal(source: string, start: number, end: number, value: unknown): SimpleNode {
  return { type: 'Literal', start, end, value, raw: source.slice(start, end) };
}

function stringLiteral(source: string, at: number): SimpleNode | null {
  const end = string(source, at);
  return end < 0 ? null : literal(source, at, end, source.slice(at + 1, end - 1));
}

/** The end of a computed key: a quoted string or an index up to 15 digits (String(n) is its text), or -1. */
function key(source: string, at: number): number {
  const c = source.charCodeAt(at);
  if (c === 34 || c === 39) return string(source, at);
  if (c === 48 /* 0 */) return at + 1;
  let i = at;
  while (isDigit(source.charCodeAt(i))) i++;
  return i === at || i - at > 15 ? -1 : i;
}

/** The end of a quoted string without escapes or line breaks, or -1. */
function string(source: string, at: number): number {
  const quote = source.charCodeAt(at);
  for (let i = at + 1; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === quote) return i + 1;
    if (c === 92 /* \ */ || c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return -1;
  }
  return -1;
}

/** The end of `0`, `12` or `1.5`, or -1. */
function number(source: string, at: number): number {
  let i = at + 1;
  if (source.charCodeAt(at) !== 48 /* 0 */) while (isDigit(source.charCodeAt(i))) i++;
  if (source.charCodeAt(i) === 46 /* . */) {
    const fraction = i + 1;
    i = fraction;
    while (isDigit(source.charCodeAt(i))) i++;
    if (i === fraction) return -1;
  }
  return i;
}

/** The end of an ASCII identifier name at `at`, or -1. */
function name(source: string, at: number): number {
  if (!isNameStart(source.charCodeAt(at))) return -1;
  let i = at + 1;
  while (isNamePart(source.charCodeAt(i))) i++;
  return i;
}

/** Spaces, tabs and line breaks; other whitespace and comments go to acorn. */
function space(source: string, at: number): number {
  let i = at;
  for (;;) {
    const c = source.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else return i;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}
