/**
 * canonicalJson's own serialiser (the fast path verification runs on) against the canonicalize
 * package it replaces: the same bytes, or an error where the package throws one, for thousands of
 * generated values: strings with every kind of escape, astral characters and lone surrogates,
 * numbers at the edges of their forms, keys that sort differently by code unit than by code
 * point, nesting, and the values that are not plain JSON data (undefined, holes, toJSON, bigint,
 * functions, cycles, deep nesting) that the fast path hands to the package.
 */
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { CanonicalError, canonicalJson, sha256Hex } from '../../engine/transcript/canonical.js';
import { eventHash } from '../../engine/transcript/chain.js';
import { createHash } from 'node:crypto';

/** A small seeded PRNG (mulberry32): the same values on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNITS = [
  'a',
  'Z',
  ' ',
  '"',
  '\\',
  '/',
  '\n',
  '\t',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u0080',
  'é',
  '\u2028',
  '\u2029',
  '€',
  '\ufeff',
  '\uffff',
  '😀', // a surrogate pair
  '\ud800', // lone high
  '\udc00', // lone low
  '<',
  '&',
];
const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.1,
  1e21,
  1e-7,
  123456789012345680000,
  5e-324,
  Number.MAX_VALUE,
  Number.MAX_SAFE_INTEGER,
  -1.5e-10,
  333333333.3333333,
  NaN,
  Infinity,
];

function generate(next: () => number, depth: number, plainOnly: boolean): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const text = (): string => {
    let s = '';
    const n = Math.floor(next() * 8);
    for (let i = 0; i < n; i++) s += next() < 0.6 ? pick(UNITS.slice(0, 2)) : pick(UNITS);
    return plainOnly ? s.toWellFormed() : s;
  };
  const r = next();
  if (depth > 3 || r < 0.3) {
    const k = next();
    if (k < 0.4) return text();
    if (k < 0.7) {
      const n = pick(NUMBERS);
      return plainOnly && !Number.isFinite(n) ? 0 : n;
    }
    if (k < 0.85) return next() < 0.5;
    if (k < 0.95 || plainOnly) return null;
    return pick([undefined, 10n, () => 1, Symbol('s'), new Date(0)]);
  }
  if (r < 0.6) {
    const n = Math.floor(next() * 5);
    const items: unknown[] = [];
    for (let i = 0; i < n; i++) items.push(generate(next, depth + 1, plainOnly));
    if (!plainOnly && next() < 0.05) items.length += 1; // a hole
    return items;
  }
  const out: Record<string, unknown> = {};
  const n = Math.floor(next() * 6);
  for (let i = 0; i < n; i++) out[text()] = generate(next, depth + 1, plainOnly);
  if (!plainOnly && next() < 0.03) out.toJSON = () => 'replaced';
  return out;
}

/** What the package says: its text, or that it threw. */
function oracle(value: unknown): string | Error {
  try {
    const text = canonicalize(value);
    return text === undefined ? new Error('undefined') : text;
  } catch (error) {
    return error as Error;
  }
}

function ours(value: unknown, omit?: string): string | Error {
  try {
    return canonicalJson(value, omit);
  } catch (error) {
    expect(error).toBeInstanceOf(CanonicalError);
    return error as Error;
  }
}

describe('canonicalJson gives the canonicalize package’s bytes', () => {
  it('on 4,000 generated plain JSON values', () => {
    const next = random(8785);
    for (let i = 0; i < 4000; i++) {
      const value = generate(next, 0, true);
      const expected = oracle(value);
      expect(expected).not.toBeInstanceOf(Error);
      expect(ours(value)).toBe(expected);
    }
  });

  it('on 4,000 generated values with lone surrogates, NaN, undefined, holes, toJSON, bigint, functions: the same text, or an error where it throws', () => {
    const next = random(20261129);
    let threw = 0;
    for (let i = 0; i < 4000; i++) {
      const value = generate(next, 0, false);
      const expected = oracle(value);
      const actual = ours(value);
      if (expected instanceof Error) {
        threw++;
        expect(actual, `value ${i}`).toBeInstanceOf(Error);
      } else expect(actual).toBe(expected);
    }
    expect(threw).toBeGreaterThan(100); // the generator does reach the refusals
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 says (not by code point)', () => {
    const value = { '\ue000': 1, '😀': 2, a: 3, A: 4, '': 5, é: 6 };
    expect(canonicalJson(value)).toBe(oracle(value));
    expect(canonicalJson(value)).toBe('{"":5,"A":4,"a":3,"é":6,"😀":2,"\ue000":1}');
  });

  it('omitting a member equals canonicalising a copy without it, also on the package path', () => {
    const next = random(7);
    for (let i = 0; i < 1000; i++) {
      const data = generate(next, 1, i % 2 === 0);
      const event = { seq: i + 1, ts: '2026-11-29T07:00:00.000Z', type: 'x', data, prev: null, hash: 'f'.repeat(64) };
      const { hash: _hash, ...rest } = event;
      const expected = oracle(rest);
      const actual = ours(event, 'hash');
      if (expected instanceof Error) expect(actual).toBeInstanceOf(Error);
      else expect(actual).toBe(expected);
    }
  });

  it('refuses cycles, and nesting deeper than its own walk goes is left to the package', () => {
    const a: Record<string, unknown> = { b: 1 };
    a.self = a;
    expect(() => canonicalJson(a)).toThrow(CanonicalError);
    let deep: unknown = 'x';
    for (let i = 0; i < 1000; i++) deep = i % 2 ? [deep] : { k: deep };
    expect(canonicalJson(deep)).toBe(oracle(deep));
  });

  it('an event hashes as sha256 over the package’s canonical JSON of it without its hash', () => {
    const event = {
      seq: 3,
      ts: '2026-11-29T07:00:00.000Z',
      runId: 'r',
      type: 'step.output',
      data: { stepId: 's1', chunk: 'héllo 😀\n', n: [1, 2.5, -0, 1e21] },
      prev: 'a'.repeat(64),
      hash: 'ignored',
    };
    const { hash: _hash, ...rest } = event;
    const expected = createHash('sha256')
      .update(canonicalize(rest) as string, 'utf8')
      .digest('hex');
    expect(eventHash(event)).toBe(expected);
    expect(sha256Hex('héllo 😀')).toBe(createHash('sha256').update('héllo 😀', 'utf8').digest('hex'));
  });
});
