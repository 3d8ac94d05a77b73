import { describe, expect, it } from 'vitest';
import { analyzeExpression } from '../../engine/expr/analyze.js';

const refs = (source: string) => {
  const result = analyzeExpression(source);
  if (!result.ok) throw new Error(result.message);
  return result.references.map((r) => [r.root, ...r.path].join('.'));
};

describe('analyzeExpression', () => {
  it.each([
    ['a member chain', 'stuck.rowCount == 0', ['stuck.rowCount']],
    ['two roots', 'health.status == 200 && health.json.status == "ok"', ['health.status', 'health.json.status']],
    ['arrow parameters are local', 'stuck.rows.map(r => r.id)', ['stuck.rows.map']],
    ['destructured parameters with defaults', 'rows.map(({ id, n = limit }) => id + n)', ['rows.map', 'limit']],
    ['computed string members', "steps['my-step'].rows[0].id", ['steps.my-step.rows.0.id']],
    ['computed non-literal members stop the path', 'a.rows[i].id', ['a.rows', 'i']],
    ['optional chaining', 'a?.b?.c', ['a.b.c']],
    ['object keys are not references', '({ a: b, [c]: 1, d })', ['b', 'c', 'd']],
    ['inputs and secrets', 'inputs.max_age * 60 + secrets.KEY.length', ['inputs.max_age', 'secrets.KEY.length']],
    ['function bodies with declarations', 'items.reduce(function (acc, x) { const y = x * k; return acc + y; }, 0)', ['items.reduce', 'k']],
    ['template literals', '`${a.b}-${c}`', ['a.b', 'c']],
    ['globals are references too (the caller decides)', 'Math.max(a, 1)', ['Math.max', 'a']],
    ['local assignment is fine', 'xs.map(x => { let t = 0; t += x; return t; })', ['xs.map']],
  ])('%s', (_name, source, expected) => {
    expect(refs(source)).toEqual(expected);
  });

  it('gives positions of references', () => {
    const result = analyzeExpression('  a.b + c');
    expect(result).toEqual({ ok: true, references: [{ root: 'a', path: ['b'], start: 2, end: 5 }, { root: 'c', path: [], start: 8, end: 9 }] });
  });

  it.each([
    ['empty', '   ', 0, /empty/],
    ['syntax error', 'a ==', 4, /Unexpected token/],
    ['trailing text', 'a b', 2, /unexpected text/],
    ['assignment to scope', 'a.x = 2', 0, /cannot change values/],
    ['increment of scope', 'count++', 0, /cannot change values/],
    ['await', 'await a', 0, /await/],
    ['dynamic import', "import('fs')", 0, /import/],
    ['a statement', 'return 1', 0, /Unexpected|'return'/],
  ])('refuses %s', (_name, source, offset, message) => {
    const result = analyzeExpression(source);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.offset).toBe(offset);
      expect(result.message).toMatch(message);
    }
  });
});
