/** The expression sandbox: host-evaluated straight-line expressions agree with vm2; limits hold. */
import { describe, expect, it } from 'vitest';
import type { Expression } from '../../engine/document/model.js';
import { Sandbox, type Resolver } from '../../engine/run/sandbox.js';

const at = { line: 1, column: 1, offset: 0 };
const expr = (source: string): Expression => ({ source, span: { start: at, end: at } });
const resolver: Resolver = (root) =>
  ['inputs', 'run', 'env', 'secrets'].includes(root)
    ? [root]
    : ['Math', 'JSON', 'Number', 'String', 'undefined', 'NaN', 'Infinity'].includes(root)
      ? 'global'
      : ['steps', root];

/**
 * A sandbox with `limitMs` for each expression: the behaviour tests give it seconds, since the
 * evaluator process answers slowly on a loaded machine; the runaway test gives it 200 ms.
 */
function sandbox(limitMs = 5000): Sandbox {
  const s = new Sandbox(limitMs);
  s.set(['inputs'], { n: 3, name: 'x' });
  s.set(['steps', 'q'], { rows: [{ id: 1, n: '9007199254740993' }, { id: 2 }], rowCount: 2, json: { status: 'ok' } });
  return s;
}

describe('Sandbox', () => {
  it.each([
    ['q.rowCount == 2', true],
    ['q.rows[0].n', '9007199254740993'],
    ['q.json.status === "ok" && inputs.n > 2', true],
    ['`${inputs.name}-${q.rows.length}`', 'x-2'],
    ['q.rows[5]?.id ?? "none"', 'none'],
    ['inputs.n * 2 + 1', 7],
    ['q.rows.map(r => r.id).join(",")', '1,2'],
    ['Math.max(...q.rows.map(r => r.id))', 2],
    ['JSON.stringify({ a: inputs.n })', '{"a":3}'],
    ['typeof nothing', 'undefined'],
    ['q.constructor', '[function]'],
    ['q.__proto__', {}],
    ['"abc".length + inputs.name.length', 4],
  ])('%s', (source, expected) => {
    expect(sandbox().evaluate(expr(source), resolver)).toEqual(expected);
  });

  it('errors name the expression', () => {
    expect(() => sandbox().evaluate(expr('q.rows[5].id'), resolver)).toThrow(
      /expression `q\.rows\[5\]\.id` failed: Cannot read properties of undefined/,
    );
    expect(() => sandbox().evaluate(expr('q.nope.x()'), resolver)).toThrow(/failed/);
  });

  it('stops an expression that runs forever', () => {
    const started = Date.now();
    expect(() => sandbox(200).evaluate(expr('(() => { while (true) {} })()'), resolver)).toThrow(
      /did not finish within 200 ms/,
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('the scope cannot be changed, and the host is out of reach', () => {
    const s = sandbox();
    expect(() => s.evaluate(expr('q.rows.push(3)'), resolver)).toThrow();
    expect(s.evaluate(expr('q.rows.length'), resolver)).toBe(2);
    expect(() => s.evaluate(expr('this.constructor.constructor("return process")()'), resolver)).toThrow();
    expect(() => s.evaluate(expr('q.rows.constructor.constructor("return process")()'), resolver)).toThrow();
  });

  it('values set later are seen by later evaluations', () => {
    const s = sandbox();
    s.set(['steps', 'later'], { value: 42 });
    expect(s.evaluate(expr('later.value + 1'), resolver)).toBe(43);
    expect(s.evaluate(expr('[later.value].map(v => v * 2)[0]'), resolver)).toBe(84);
  });
});

describe('Sandbox: no expression changes what another sees', () => {
  it.each([
    ['this.__put(["steps","q"], "{\\"rowCount\\": 99}")'],
    ['__get.call(null, ["steps"]).q = 1'],
    ['Object.assign(__get(["steps"]), { q: { rowCount: 99 } })'],
    ['Object.defineProperty(Array.prototype, "rowCount", { value: 99 })'],
    ['Object.assign(Array.prototype, { extra: 99 })'],
    ['Object.assign(Object.prototype, { rowCount: 99, extra: 99 })'],
    ['Reflect.set(Math, "max", () => 99)'],
    ['Object.defineProperty(JSON, "stringify", { value: () => "99" })'],
    ['Reflect.defineProperty(Object.getPrototypeOf(q.rows), "extra", { value: 99 })'],
    ['[].constructor.prototype.extra = 99'],
    ['Function.prototype.extra = 99'],
  ])('%s has no lasting effect', (attack) => {
    const s = sandbox();
    try {
      s.evaluate(expr(attack), resolver);
    } catch {
      /* refused, or failed inside the sandbox: either is fine as long as nothing changed */
    }
    expect(s.evaluate(expr('q.rowCount'), resolver)).toBe(2);
    expect(s.evaluate(expr('q.rows.map(r => r.id).length'), resolver)).toBe(2);
    expect(s.evaluate(expr('[].extra'), resolver)).toBeUndefined();
    expect(s.evaluate(expr('({}).rowCount'), resolver)).toBeUndefined();
    expect(s.evaluate(expr('Math.max(1, 2)'), resolver)).toBe(2);
    expect(s.evaluate(expr('JSON.stringify([1])'), resolver)).toBe('[1]');
    expect(s.evaluate(expr('(() => 1).extra'), resolver)).toBeUndefined();
  });

  it('a global written by one expression is not there for the next', () => {
    const s = sandbox();
    try {
      s.evaluate(
        expr('Reflect.set(Math, "leaked", 1) || Object.defineProperty(Math, "leaked", { value: 1 })'),
        resolver,
      );
    } catch {
      /* fine */
    }
    expect(s.evaluate(expr('Math.leaked'), resolver)).toBeUndefined();
  });

  it.each([
    'q.rowCount == 2',
    'q.rows[0].n',
    'q.rows.length',
    'q.json.status === "ok" && inputs.n > 2',
    '`${inputs.name}-${q.rows.length}`',
    'q.rows[5]?.id ?? "none"',
    'inputs.n * 2 + 1',
    'q.constructor',
    'q.__proto__',
    'q.rows.constructor',
    'inputs.name.length',
    'q.missing?.x',
    '!q.json',
    'typeof q.rows',
    'q.rowCount > 1 ? "many" : "one"',
    '"id" in q.rows[0]',
    '"map" in q.rows',
    'q.rows[0].id.toFixed',
    'q.rows[1].n',
    'inputs.name[0]',
    '({ __proto__: q.rows[0] }).id',
  ])('%s: the host path and the sandbox agree, before and after an attack', (source) => {
    const host = sandbox();
    const vm = new Sandbox(5000, { hostPath: false });
    vm.set(['inputs'], { n: 3, name: 'x' });
    vm.set(['steps', 'q'], {
      rows: [{ id: 1, n: '9007199254740993' }, { id: 2 }],
      rowCount: 2,
      json: { status: 'ok' },
    });
    expect(vm.evaluate(expr(source), resolver)).toEqual(host.evaluate(expr(source), resolver));
    try {
      vm.evaluate(expr('Object.assign(Object.prototype, { rows: 1, status: "pwned", n: 0 })'), resolver);
    } catch {
      /* refused */
    }
    expect(vm.evaluate(expr(source), resolver)).toEqual(host.evaluate(expr(source), resolver));
  });
});
