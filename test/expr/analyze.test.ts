import { describe, expect, it } from 'vitest';
import { analyzeExpression, isStraightLine, JS_GLOBALS, type ExprReference } from '../../engine/expr/analyze.js';

/** References as `root.path.path`, in order. */
const refs = (source: string): string[] => {
  const result = analyzeExpression(source);
  if (!result.ok) throw new Error(`${result.message} at ${result.offset}`);
  return result.references.map((r) => [r.root, ...r.path].join('.'));
};

describe('analyzeExpression: references', () => {
  it.each<[string, string, string[]]>([
    ['a member chain', 'stuck.rowCount == 0', ['stuck.rowCount']],
    ['two roots', 'health.status == 200 && health.json.status == "ok"', ['health.status', 'health.json.status']],
    ['a method name is part of the chain', 'stuck.rows.map(r => r.id)', ['stuck.rows.map']],
    ['a call ends the chain', 'a.b().c', ['a.b']],
    ['arrow parameters are local', 'rows.filter(r => r.age > inputs.max_age)', ['rows.filter', 'inputs.max_age']],
    ['destructured parameters with defaults', 'rows.map(({ id, n = limit }) => id + n)', ['rows.map', 'limit']],
    ['array and rest parameters', 'pairs.map(([k, v], ...rest) => k + v + rest.length + w)', ['pairs.map', 'w']],
    ['computed string and number members', "steps['my-id'].rows[0].id", ['steps.my-id.rows.0.id']],
    ['no-substitution template keys', 'a[`b`].c', ['a.b.c']],
    ['other literal keys', 'a[1n][null][true]', ['a.1.null.true']],
    ['computed non-literal members stop the path', 'a.rows[i].id', ['a.rows', 'i']],
    ['a computed key is walked', 'a[b.c].d', ['a', 'b.c']],
    ['optional chaining', 'a?.b?.c', ['a.b.c']],
    ['optional call', 'a?.b?.(c).d', ['a.b', 'c']],
    ['parentheses do not stop the path', '(a).b.c', ['a.b.c']],
    ['object keys are not references, shorthand is', '({ a: b, [c]: 1, d, "e": f })', ['b', 'c', 'd', 'f']],
    ['spread', '({ ...a, b: [...c] })', ['a', 'c']],
    ['inputs and secrets', 'inputs.max_age * 60 + secrets.KEY.length', ['inputs.max_age', 'secrets.KEY.length']],
    [
      'function bodies with declarations',
      'items.reduce(function (acc, x) { const y = x * k; return acc + y; }, 0)',
      ['items.reduce', 'k'],
    ],
    [
      'a named function expression sees its name and arguments',
      '(function f() { return arguments.length + f + g })',
      ['g'],
    ],
    ['var is function-wide', 'xs.map(function (v) { if (v) { var r = 1 } return r + q })', ['xs.map', 'q']],
    ['let is block-wide', 'x => { { let b = 1; } return b }', ['b']],
    ['for-of bindings', 'x => { for (const y of ys) z(y); return y }', ['ys', 'z', 'y']],
    ['for bindings', 'x => { let s = 0; for (let i = 0; i < n; i++) s += i; return s }', ['n']],
    ['for-in bindings', 'x => { const out = []; for (const k in o) out.push(k); return out }', ['o']],
    ['catch parameters', 'x => { try { return f() } catch ({ message }) { return message + m } }', ['f', 'm']],
    ['switch cases share a scope', 'x => { switch (x) { case 1: let k = 2; return k; } return k }', ['k']],
    ['local function and class declarations', 'x => { function g() {} class K {} return g + K + L }', ['L']],
    ['class bodies', '(class A extends B { x = c; static { let d; d; e } [k]() { return A } })', ['B', 'c', 'e', 'k']],
    ['labels are not references', 'x => { outer: for (;;) { break outer; } }', []],
    ['this and super are not references', '({ m() { return this.a + super.b } })', []],
    ['template literals', '`${a.b}-${c}`', ['a.b', 'c']],
    ['tagged templates', 'tag`x${y}`', ['tag', 'y']],
    ['globals are references too (the caller decides)', 'Math.max(a, 1) + undefined', ['Math.max', 'a', 'undefined']],
    ['new', 'new Date(inputs.since).getTime()', ['Date', 'inputs.since']],
    ['local assignment is fine', 'xs.map(x => { let t = 0; t += x; return t; })', ['xs.map']],
    ['changing a local value is fine', 'xs.map(x => (x.n += 1, x))', ['xs.map']],
    ['a local shadows a free name only inside', 'a + xs.map(a => a) + a', ['a', 'xs.map', 'a']],
    ['a default sees earlier parameters', '((a, b = a + c) => b)', ['c']],
    ['sequence and conditional', 'a ? (b, c) : d', ['a', 'b', 'c', 'd']],
    ['typeof and void', 'typeof a === "object" && void b', ['a', 'b']],
    ['surrounding white space', '\n\t a.b \r\n', ['a.b']],
    ['a leading comment', '/* why */ a', ['a']],
  ])('%s', (_name, source, expected) => {
    expect(refs(source)).toEqual(expected);
  });

  it.each<[string, string, ExprReference[]]>([
    [
      'positions',
      '  a.b + c',
      [
        { root: 'a', path: ['b'], start: 2, end: 5 },
        { root: 'c', path: [], start: 8, end: 9 },
      ],
    ],
    [
      'the end of a partly static chain',
      'a.rows[i].id',
      [
        { root: 'a', path: ['rows'], start: 0, end: 6 },
        { root: 'i', path: [], start: 7, end: 8 },
      ],
    ],
    ['optional chains', 'x?.y', [{ root: 'x', path: ['y'], start: 0, end: 4 }]],
    ['inside parentheses', '(a).b', [{ root: 'a', path: ['b'], start: 1, end: 5 }]],
    [
      'ordered by position',
      'f(b)[c] + a',
      [
        { root: 'f', path: [], start: 0, end: 1 },
        { root: 'b', path: [], start: 2, end: 3 },
        { root: 'c', path: [], start: 5, end: 6 },
        { root: 'a', path: [], start: 10, end: 11 },
      ],
    ],
  ])('%s', (_name, source, references) => {
    expect(analyzeExpression(source)).toEqual({ ok: true, references });
  });
});

describe('analyzeExpression: refusals and errors', () => {
  it.each<[string, string, string, number]>([
    ['empty', '', 'empty expression', 0],
    ['white space', '  \n ', 'empty expression', 0],
    ['a syntax error', 'a ==', 'Unexpected token', 4],
    ['an unterminated string', 'a + "abc', 'Unterminated string constant', 4],
    ['an assignment to a literal', '1 = 2', 'Assigning to rvalue', 0],
    ['a statement', 'return 1', 'Unexpected token', 0],
    ['trailing text', 'a b', 'unexpected text after the expression', 2],
    ['a trailing comment', 'a // c', 'unexpected text after the expression', 2],
    ['a label', 'lbl: 1', 'unexpected text after the expression', 3],
    [
      'assignment to a member',
      'a.x = 2',
      'expressions cannot change values: `a.x = ...` assigns to `a`; use a `set` step',
      0,
    ],
    [
      'assignment to a name',
      'b && (x = 1)',
      'expressions cannot change values: `x = ...` assigns to `x`; use a `set` step',
      6,
    ],
    [
      'compound assignment',
      'a ||= 1',
      'expressions cannot change values: `a ||= ...` assigns to `a`; use a `set` step',
      0,
    ],
    [
      'destructuring assignment',
      '[x, y.z] = [1, 2]',
      'expressions cannot change values: `x = ...` assigns to `x`; use a `set` step',
      0,
    ],
    [
      'object destructuring assignment',
      '({ a } = b)',
      'expressions cannot change values: `a = ...` assigns to `a`; use a `set` step',
      1,
    ],
    [
      'assignment through a call',
      'rows.find(r => r.id == 1).done = true',
      'expressions cannot change values: `rows.find(r => r.id == 1).done = ...` assigns to `rows`; use a `set` step',
      0,
    ],
    [
      'assignment to a global',
      'Math.PI = 3',
      'expressions cannot change values: `Math.PI = ...` assigns to `Math`; use a `set` step',
      0,
    ],
    [
      'assignment inside a function',
      'xs.map(x => { total += x })',
      'expressions cannot change values: `total += ...` assigns to `total`; use a `set` step',
      14,
    ],
    ['increment', 'count++', 'expressions cannot change values: `count++` changes `count`; use a `set` step', 0],
    [
      'prefix decrement of a member',
      '--a.b[0]',
      'expressions cannot change values: `--a.b[0]` changes `a`; use a `set` step',
      0,
    ],
    ['delete', 'delete a.b', 'expressions cannot change values: `delete a.b` changes `a`; use a `set` step', 0],
    [
      'a for-of head',
      'x => { for (y of x); }',
      'expressions cannot change values: `y` in a loop head assigns to `y`; use a `set` step',
      7,
    ],
    ['await', 'await a', '`await` is not allowed in an expression', 0],
    ['await in an async arrow', 'xs.map(async x => await x)', '`await` is not allowed in an expression', 18],
    ['yield', '(function* () { yield 1 })', '`yield` is not allowed in an expression', 16],
    ['dynamic import', "import('fs')", '`import()` is not allowed in an expression', 0],
    ['new.target', '(function () { return new.target })', '`new.target` is not allowed in an expression', 22],
    ['import.meta (a syntax error in a script)', 'import.meta', "Cannot use 'import.meta' outside a module", 0],
  ])('refuses %s', (_name, source, message, offset) => {
    expect(analyzeExpression(source)).toEqual({ ok: false, message, offset });
  });

  it('a refusal inside an unused branch still counts', () => {
    expect(analyzeExpression('false && (a = 1)')).toMatchObject({ ok: false, offset: 10 });
  });
});

describe('analyzeExpression: robustness', () => {
  it.each([
    ['deep parentheses', `${'('.repeat(100_000)}a${')'.repeat(100_000)}`],
    ['deep arrays', '['.repeat(200_000)],
    ['deep arrows', `${'x => '.repeat(50_000)}y`],
    ['long operator chains', `${'a + '.repeat(100_000)}b`],
    ['long call chains', `f${'()'.repeat(200_000)}`],
    ['binary junk', Array.from({ length: 100_000 }, (_, i) => String.fromCharCode((i * 7919) % 0xffff)).join('')],
    ['lone surrogates', '\uD800 + a'],
    ['NUL', 'a\u0000'],
  ])('never throws: %s', (_name, source) => {
    const start = performance.now();
    const result = analyzeExpression(source);
    expect(performance.now() - start).toBeLessThan(10_000);
    if (!result.ok) expect(typeof result.offset).toBe('number');
  });

  it('a long static chain is one reference', () => {
    const result = analyzeExpression(`a${'.b'.repeat(100_000)}`);
    expect(result.ok && result.references.length === 1 && result.references[0]!.path.length).toBe(100_000);
  });
});

describe('JS_GLOBALS', () => {
  it.each([
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
    'BigInt',
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
    'Intl',
    'Symbol',
    'Error',
  ])('has %s', (name) => {
    expect(JS_GLOBALS.has(name)).toBe(true);
  });

  it.each(['process', 'require', 'globalThis', 'Function', 'eval', 'module', 'global', 'Reflect', 'Proxy', 'import'])(
    'lacks %s',
    (name) => {
      expect(JS_GLOBALS.has(name)).toBe(false);
    },
  );
});

describe('isStraightLine', () => {
  it.each<[string, boolean]>([
    ['a.b == 1 && c', true],
    ['(a) ? `x${b}` : [1, { c }]', true],
    ['a.b()', false],
    ['xs.map(x => x)', false],
    ['new Date()', false],
    ['/x+/.test(a)', false],
    ['delete a.b', false],
    ['a b', false],
    ['a ==', false],
  ])('%s → %s', (source, expected) => {
    expect(isStraightLine(source)).toBe(expected);
  });
});
