import { describe, expect, it } from 'vitest';
import { analyzeExpression, treeAnalysis } from '../../engine/expr/analyze.js';
import { parseExpressionAt } from 'acorn';
import { parsedExpression } from '../../engine/expr/parsed.js';
import { simpleAnalysis, simpleTree } from '../../engine/expr/simple.js';
import { PARSE_OPTIONS } from '../../engine/expr/template.js';

/** A small seeded generator (mulberry32), so a failure is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces of the simple form, and pieces near it that only acorn may decide.
const ROOTS = ['c0', 'h12', 'stuck', 'steps', 'inputs', 'a$', '_x', '$', 'undefined', 'NaN', 'loop', 'ns'];
const NEAR_ROOTS = [
  'true',
  'false',
  'null',
  'this',
  'in',
  'let',
  'await',
  'yield',
  'enum',
  'new',
  'typeof',
  'é',
  'a\\u0062',
  'x\u00e9',
  'async',
  'of',
];
const MEMBERS = [
  '.rows',
  '[0]',
  '.n',
  '.json',
  '.status',
  '?.x',
  '?.[1]',
  '["k-1"]',
  "['a b']",
  '[12]',
  '.class',
  '.true',
  '.if',
  '[999999999999999]',
];
const NEAR_MEMBERS = [
  '[01]',
  '[1e3]',
  '[1.5]',
  '[ 0 ]',
  '["a\\"b"]',
  '. x',
  ' .x',
  '?.5',
  '?.(1)',
  '.#p',
  '[0n]',
  '[`t`]',
  '[1234567890123456]',
  '[-1]',
  '(',
  '()',
  '.é',
  '[x]',
  "['\u2028']",
];
const LITERALS = ['100', '0', '1.5', '0.25', "'ok'", '"ok"', "'it\"s'", '"a\tb"', 'true', 'false', 'null', "''"];
const NEAR_LITERALS = [
  '01',
  '1.',
  '.5',
  '1e3',
  '10n',
  '1_000',
  '0x1f',
  '100abc',
  "'a\\'b'",
  '"line\nbreak"',
  "'open",
  '/re/',
  '`t`',
  '-1',
  '+1',
  '1.5.2',
];
const OPERATORS = ['==', '===', '!=', '!==', '<', '<=', '>', '>=', '&&', '||'];
const NEAR_OPERATORS = [
  '=',
  '= =',
  '====',
  '<!--',
  '-->',
  '??',
  '&',
  '|',
  '<<',
  '=>',
  '+',
  '-',
  '*',
  '/',
  '%',
  'in',
  '? 1 :',
  ',',
  '!',
  '?.',
  ';',
];
const SPACES = ['', ' ', '  ', '\n', '\t', '\r\n'];
const NEAR_SPACES = ['\u00a0', '/* c */', '// c\n', '\v', '\u2028', '\ufeff'];

function generate(next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const near = (): boolean => next() < 0.06;
  const space = (): string => (near() ? pick(NEAR_SPACES) : next() < 0.7 ? pick(SPACES.slice(0, 2)) : pick(SPACES));
  const operand = (): string => {
    let out = next() < 0.15 ? '!'.repeat(1 + Math.floor(next() * 3)) + (next() < 0.2 ? ' ' : '') : '';
    if (next() < 0.3) return out + (near() ? pick(NEAR_LITERALS) : pick(LITERALS));
    out += near() ? pick(NEAR_ROOTS) : pick(ROOTS);
    const members = Math.floor(next() * 5);
    for (let i = 0; i < members; i++) out += near() ? pick(NEAR_MEMBERS) : pick(MEMBERS);
    return out;
  };
  let out = space() + operand();
  const operators = Math.floor(next() * next() * 5);
  for (let i = 0; i < operators; i++)
    out += space() + (near() ? pick(NEAR_OPERATORS) : pick(OPERATORS)) + space() + operand();
  if (near()) out += pick([';', ')', ' x', '.', '(', '']);
  return out + space();
}

/** One random change: a character inserted, deleted or replaced, to find edges the pieces miss. */
function mutate(source: string, next: () => number): string {
  const chars = ' \t\n!"\'()*+,-./0123456789:;<=>?[\\]_`abexyz{|}~$é\u00a0';
  const at = Math.floor(next() * (source.length + 1));
  const char = chars[Math.floor(next() * chars.length)]!;
  const how = next();
  if (how < 0.4) return source.slice(0, at) + char + source.slice(at);
  if (how < 0.7) return source.slice(0, at) + source.slice(at + 1);
  return source.slice(0, at) + char + source.slice(at + 1);
}

describe('simpleAnalysis', () => {
  it('gives what acorn gives for every expression it accepts, on generated expressions', () => {
    const next = random(20240611);
    let accepted = 0;
    let total = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < 12_000; i++) {
      const base = generate(next);
      for (const source of [base, mutate(base, next), mutate(mutate(base, next), next)]) {
        total++;
        const fast = simpleAnalysis(source);
        if (fast === null) continue;
        accepted++;
        const slow = treeAnalysis(source);
        if (JSON.stringify(fast) !== JSON.stringify(slow) && mismatches.length < 10)
          mismatches.push(`${JSON.stringify(source)}: ${JSON.stringify(fast)} but acorn: ${JSON.stringify(slow)}`);
      }
    }
    expect(mismatches).toEqual([]);
    // The corpus exercises both paths: most generated expressions are simple, many are not.
    expect(accepted).toBeGreaterThan(total * 0.3);
    expect(accepted).toBeLessThan(total * 0.9);
  });

  it.each([
    ['c0.rows[0].n == 100', ['c0.rows.0.n']],
    ["h0.json.status == 'ok'", ['h0.json.status']],
    ['!go.answer || a?.b?.[2]["k"] >= 1.5 && null != x', ['go.answer', 'a.b.2.k', 'x']],
    ['  steps["my-id"].rows  ', ['steps.my-id.rows']],
    ['true', []],
  ])('reads %j', (source, refs) => {
    const fast = simpleAnalysis(source);
    expect(fast).not.toBeNull();
    expect(fast).toEqual(treeAnalysis(source));
    expect(fast!.ok && fast!.references.map((r) => [r.root, ...r.path].join('.'))).toEqual(refs);
  });

  it.each([
    'a.b()',
    '(a) == 1',
    'a + 1',
    'a ?? b',
    'this.x',
    'true.x',
    "'a'.length",
    'a[i]',
    'a == 01',
    'a /* c */ == 1',
    'a\u00a0== 1',
    'a.b =',
    '',
    '   ',
    `${'a == '.repeat(100)}a`,
    `${'!'.repeat(20)}a`,
  ])('leaves %j to acorn', (source) => {
    expect(simpleAnalysis(source)).toBeNull();
    // And analyzeExpression still answers as acorn does.
    expect(analyzeExpression(source)).toEqual(treeAnalysis(source));
  });
});

describe('simpleTree', () => {
  it('builds the tree acorn builds for every expression it accepts, on generated expressions', () => {
    const next = random(20261129);
    let accepted = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < 12_000; i++) {
      const base = generate(next);
      for (const source of [base, mutate(base, next), mutate(mutate(base, next), next)]) {
        const fast = simpleTree(source);
        if (fast === null) continue;
        accepted++;
        // A plain copy of acorn's nodes (instances of its Node class), compared field by field.
        const slow = JSON.parse(JSON.stringify(parseExpressionAt(source, 0, PARSE_OPTIONS)));
        if (JSON.stringify(sorted(fast)) !== JSON.stringify(sorted(slow)) && mismatches.length < 10)
          mismatches.push(`${JSON.stringify(source)}: ${JSON.stringify(fast)} but acorn: ${JSON.stringify(slow)}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(10_000);
  });

  it.each([
    'c0.rows[0].n == 100',
    '!go.answer || a?.b?.[2]["k"] >= 1.5 && null != x',
    'a || b && c == d < e',
    'a < b == c && d || e',
    '!!a.b === !c',
    '  a?.b.c  ',
  ])('builds acorn’s tree for %j', (source) => {
    expect(sorted(simpleTree(source))).toEqual(
      sorted(JSON.parse(JSON.stringify(parseExpressionAt(source, 0, PARSE_OPTIONS)))),
    );
  });

  it('is what parsedExpression keeps, so a run evaluates it without acorn', () => {
    const source = 'z9.rows[0].n == 100 && z9?.ok';
    expect(parsedExpression(source).root).toEqual(simpleTree(source));
    expect(parsedExpression(source).root?.constructor).toBe(Object);
  });
});

/** Keys in one order, so two trees built in different orders compare as text. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
}
