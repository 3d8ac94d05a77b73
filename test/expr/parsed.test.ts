/**
 * engine/expr/parsed.ts: one parse per expression source, shared by the analysis, the host
 * evaluator and assertions. Its derived facts must be what a fresh parse gives, including for an
 * assertion's left side, whose tree is cut out of the whole expression's.
 */
import { parseExpressionAt } from 'acorn';
import { describe, expect, it } from 'vitest';
import { analyzeExpression, isStraightLine, treeAnalysis } from '../../engine/expr/analyze.js';
import { comparison, parsedExpression } from '../../engine/expr/parsed.js';
import { PARSE_OPTIONS } from '../../engine/expr/template.js';

/** A tree as plain data (acorn's nodes are class instances; a regex literal's value is a RegExp). */
const plain = (tree: unknown): unknown =>
  JSON.parse(
    JSON.stringify(tree, (_k, v) =>
      v instanceof RegExp ? `/${v.source}/${v.flags}` : typeof v === 'bigint' ? `${v}n` : v,
    ),
  );

describe('comparison() and the left side it hands on', () => {
  it.each([
    ['stuck.rowCount == 0', 'stuck.rowCount', '==', '0'],
    ['(c0.rows[0].n) === 100', 'c0.rows[0].n', '===', '100'],
    ['((a == b))', 'a', '==', 'b'],
    ['`${x.y}-z` != "q"', '`${x.y}-z`', '!=', '"q"'],
    ['(a, b.c) >= 1n', 'a, b.c', '>=', '1n'],
    ['r.rows.map(x => x.id).length < 3', 'r.rows.map(x => x.id).length', '<', '3'],
    ['/a+b/gi.test(s.t) <= true', '/a+b/gi.test(s.t)', '<=', 'true'],
    ['  -lag.seconds >  -5 ', '-lag.seconds', '>', '-5'],
    ['{ a: [1, 2] }.a[1] !== (m?.n ?? 0)', '{ a: [1, 2] }.a[1]', '!==', 'm?.n ?? 0'],
  ])('%s', (source, left, operator, right) => {
    expect(comparison(source)).toEqual({ left, operator, right });
    // The left side's tree, cut from the whole one, is the tree of its text alone.
    expect(plain(parsedExpression(left).root)).toEqual(plain(parseExpressionAt(left, 0, PARSE_OPTIONS)));
    expect(analyzeExpression(left)).toEqual(analyzeExpression(`${left} `));
    expect(isStraightLine(left)).toBe(isStraightLine(`${left} `));
  });

  it('is null for what is not one comparison', () => {
    for (const source of ['a && b == 1', 'x !== m?.n ?? 0', 'a == 1 ? x : y', 'f(a == 1)', 'a +', '', 'a.b'])
      expect(comparison(source)).toBeNull();
  });

  it('gives the same analysis object for the same source (parsed once)', () => {
    // A plain comparison is read without acorn (engine/expr/simple.ts); anything else is parsed once.
    expect(analyzeExpression('q9.rows.map((r) => r.n)')).toBe(analyzeExpression('q9.rows.map((r) => r.n)'));
    expect(treeAnalysis('q9.rows[0].n == 1')).toBe(treeAnalysis('q9.rows[0].n == 1'));
    expect(parsedExpression('q9.rows[0].n == 1')).toBe(parsedExpression('q9.rows[0].n == 1'));
  });
});
