/**
 * One parse per expression source. A run asks about each expression several times: which steps
 * it reads (at the start), its references and whether it is straight-line (when it is compiled),
 * the host function that evaluates it, an assertion's compared left side (compiled again, as an
 * expression of its own), the report's expected and actual. Parsing each time cost a drill of
 * 1,000 assertions eight acorn parses apiece, about a tenth of its CPU. Here the tree and what is
 * derived from it are kept for the most recent MAX_SOURCES sources (oldest first out), so memory
 * stays bounded however long the runbook.
 *
 * Trees are shared: nothing may change one.
 */
import type { Node } from 'acorn';
import { parseExpressionAt } from './acorn.js';
import { simpleParse } from './simple.js';
import { PARSE_OPTIONS } from './template.js';

export type AnyNode = Node & Record<string, unknown>;

/** A source's parse, and facts derived from it by the modules that own them (filled lazily). */
export interface ParsedExpression {
  readonly source: string;
  /** The expression's tree, or null when acorn refused it (`error` says why). */
  readonly root: AnyNode | null;
  readonly error: unknown;
  /** Slots for derived facts: set once by their owners (analyze.ts, interpret.ts). */
  facts: Record<string, unknown>;
}

/** Enough for every expression of a large runbook's run; each entry is a small tree. */
const MAX_SOURCES = 4096;
const memo = new Map<string, ParsedExpression>();

/** The parse of `source` (with PARSE_OPTIONS), from the memo when it was parsed lately. */
export function parsedExpression(source: string): ParsedExpression {
  let entry = memo.get(source);
  if (entry !== undefined) return entry;
  // The simple form (comparisons of member paths and literals) without acorn: the same tree, and
  // its analysis (analyze.ts) read on the way.
  const simple = simpleParse(source);
  if (simple !== null) {
    entry = {
      source,
      root: simple.root as AnyNode,
      error: null,
      facts: { analysis: { ok: true, references: simple.references } },
    };
    remember(entry);
    return entry;
  }
  let root: AnyNode | null = null;
  let error: unknown = null;
  try {
    root = parseExpressionAt(source, 0, PARSE_OPTIONS) as AnyNode;
  } catch (thrown) {
    error = thrown;
  }
  entry = { source, root, error, facts: {} };
  remember(entry);
  return entry;
}

function remember(entry: ParsedExpression): void {
  if (memo.size >= MAX_SOURCES) memo.delete(memo.keys().next().value!);
  memo.set(entry.source, entry);
}

/** A fact derived from a parse, computed once per parse. */
export function derived<T>(entry: ParsedExpression, name: string, compute: (entry: ParsedExpression) => T): T {
  if (name in entry.facts) return entry.facts[name] as T;
  const value = compute(entry);
  entry.facts[name] = value;
  return value;
}

const COMPARISONS = new Set(['==', '===', '!=', '!==', '<', '<=', '>', '>=']);

/** Parentheses around a node do not change what it means: `(a)` is `a`. */
function unwrap(node: AnyNode): AnyNode {
  let inner = node;
  while (inner.type === 'ParenthesizedExpression') inner = inner.expression as AnyNode;
  return inner;
}

export interface Comparison {
  left: string;
  operator: string;
  right: string;
}

/**
 * `stuck.rowCount == 0` as its sides and operator (their text, without enclosing parentheses),
 * or null when the expression is not one comparison: what an assertion shows as actual and
 * expected.
 */
export function comparison(source: string): Comparison | null {
  return derived(parsedExpression(source), 'comparison', ({ root }) => {
    if (root === null) return null;
    const node = unwrap(root);
    if (node.type !== 'BinaryExpression' || !COMPARISONS.has(node.operator as string)) return null;
    const left = unwrap(node.left as AnyNode);
    const right = unwrap(node.right as AnyNode);
    const leftSource = source.slice(left.start, left.end);
    // An assertion evaluates its left side next, as an expression of its own: it is parsed already.
    if (!memo.has(leftSource))
      remember({ source: leftSource, root: rebased(left, left.start), error: null, facts: {} });
    return {
      left: leftSource,
      operator: node.operator as string,
      right: source.slice(right.start, right.end),
    };
  });
}

/**
 * A copy of a subtree with its offsets counted from `by`: the tree acorn makes of the subtree's
 * text alone (test/expr/parsed.test.ts compares them).
 */
function rebased<T>(value: T, by: number): T {
  if (Array.isArray(value)) return value.map((item) => rebased(item, by)) as T;
  if (value === null || typeof value !== 'object' || value instanceof RegExp) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    out[key] = (key === 'start' || key === 'end') && typeof item === 'number' ? item - by : rebased(item, by);
  return out as T;
}
