/**
 * What the Sandbox holds of a value is what JSON carries into the evaluator: the copy made at
 * once for plain data must be JSON.parse(JSON.stringify(value, jsonSafe)) deep-frozen, member for
 * member and in the same order, and its text the same as that of the value.
 */
import { describe, expect, it } from 'vitest';
import { heldValue, Sandbox, type Resolver } from '../../engine/run/sandbox.js';

/** sandbox.ts's jsonSafe: what the JSON path has always used. */
const jsonSafe = (_key: string, value: unknown): unknown =>
  typeof value === 'bigint'
    ? value.toString()
    : typeof value === 'number' && !Number.isFinite(value)
      ? String(value)
      : value;

function viaJson(value: unknown): unknown {
  const json = value === undefined ? undefined : JSON.stringify(value, jsonSafe);
  return json === undefined ? undefined : JSON.parse(json);
}

/** Same members in the same order, all frozen, same prototypes, and -0 told apart from 0. */
function same(got: unknown, want: unknown, where = '$'): void {
  if (typeof want !== 'object' || want === null) {
    expect(Object.is(got, want), `${where}: ${String(got)} vs ${String(want)}`).toBe(true);
    return;
  }
  expect(typeof got, where).toBe('object');
  expect(Object.isFrozen(got), `${where} frozen`).toBe(true);
  expect(Array.isArray(got), where).toBe(Array.isArray(want));
  expect(Object.getPrototypeOf(got), where).toBe(Object.getPrototypeOf(want));
  const keys = Reflect.ownKeys(got as object);
  expect(keys, where).toEqual(Reflect.ownKeys(want));
  for (const key of keys)
    if (key !== 'length')
      same(
        (got as Record<string, unknown>)[key as string],
        (want as Record<string, unknown>)[key as string],
        `${where}.${String(key)}`,
      );
}

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function generated(next: () => number, depth = 0): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 9 : 13));
  switch (pick) {
    case 0:
      return 'text \u00e9 \ud800 "q"';
    case 1:
      return [0, -0, 1.5, -2e-7, 1e21, Number.MAX_VALUE][Math.floor(next() * 6)];
    case 2:
      return next() < 0.5;
    case 3:
      return null;
    case 4:
      return undefined;
    case 5:
      return [Number.NaN, Infinity, -Infinity][Math.floor(next() * 3)];
    case 6:
      return 12n;
    case 7:
      return () => 1;
    case 8:
      return Symbol('s');
    case 9: {
      const out: unknown[] = [];
      for (let i = 0, n = Math.floor(next() * 4); i < n; i++) out.push(generated(next, depth + 1));
      if (next() < 0.2) out.length += 2; // holes
      return out;
    }
    case 10: {
      const out: Record<string, unknown> = next() < 0.2 ? Object.create(null) : {};
      const keys = ['b', 'a', '10', '2', '__proto__', 'toString', 'z-y'];
      for (let i = 0, n = Math.floor(next() * 5); i < n; i++) {
        const key = keys[Math.floor(next() * keys.length)]!;
        Object.defineProperty(out, key, {
          value: generated(next, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    case 11:
      return [new Date(0), new Map([['a', 1]]), new Uint8Array([1, 2]), Buffer.from('x'), new Number(3)][
        Math.floor(next() * 5)
      ];
    default:
      return { toJSON: () => ({ n: Number.NaN, s: 'x' }) };
  }
}

describe('Sandbox values', () => {
  it('hold what a JSON round trip makes, frozen, for 3,000 generated values of every kind', () => {
    const next = random(7);
    for (let i = 0; i < 3000; i++) {
      const value = generated(next);
      const held = heldValue(value);
      same(held.copy, viaJson(value));
      const text = 'json' in held ? held.json : JSON.stringify(held.copy);
      expect(text).toBe(value === undefined ? undefined : JSON.stringify(value, jsonSafe));
    }
  });

  it('a value that contains itself still throws as JSON does', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = { loop };
    expect(() => heldValue(loop)).toThrow(TypeError);
  });

  it('reach the evaluator as the host sees them, after a value was set before and after it started', () => {
    const resolver: Resolver = (root) => (root === 'JSON' || root === 'Object' ? 'global' : ['steps', root]);
    const at = { line: 1, column: 1, offset: 0 };
    const expr = (source: string) => ({ source, span: { start: at, end: at } });
    const s = new Sandbox(5000);
    s.set(['steps', 'a'], { rows: [{ n: -0, big: 5n, list: [1, undefined, () => 1] }], when: new Date(0) });
    const remote = 'a.rows.map(r => JSON.stringify(r))[0] + a.when';
    expect(s.evaluate(expr(remote), resolver)).toBe('{"n":0,"big":"5","list":[1,null,null]}1970-01-01T00:00:00.000Z');
    s.set(['steps', 'b'], { __proto__: null, x: [1, 2], y: undefined } as unknown);
    expect(s.evaluate(expr('b.x.map(v => v * 2).join() + Object.keys(b).join()'), resolver)).toBe('2,4x');
    expect(s.evaluate(expr('b.x[1] == 2'), resolver)).toBe(true);
  });
});
