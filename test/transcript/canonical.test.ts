/** RFC 8785 canonical JSON, proven byte for byte on the RFC's published vectors, and the normalisation before it. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CanonicalError, canonicalJson, normalize } from '../../engine/transcript/canonical.js';

const vectors = join(import.meta.dirname, 'rfc8785-vectors');

describe('canonicalJson: the RFC 8785 test vectors', () => {
  const names = readdirSync(join(vectors, 'input')).filter((f) => f.endsWith('.json'));
  it('has the vectors', () => expect(names.length).toBeGreaterThanOrEqual(6));
  it.each(names)('%s canonicalises to exactly the published bytes', (name) => {
    const input = JSON.parse(readFileSync(join(vectors, 'input', name), 'utf8'));
    const expected = readFileSync(join(vectors, 'output', name));
    expect(Buffer.from(canonicalJson(input), 'utf8').equals(expected)).toBe(true);
  });
});

describe('canonicalJson refuses what RFC 8785 refuses', () => {
  it.each([
    ['a lone high surrogate', { a: '\ud800' }],
    ['a lone low surrogate', ['x\udc00y']],
    ['NaN', { n: NaN }],
    ['Infinity', [Infinity]],
  ])('%s', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalError);
  });
});

describe('normalize: values JSON cannot carry exactly become strings', () => {
  it('bigint, NaN, ±Infinity, -0, Dates, bytes', () => {
    const value = {
      big: 2n ** 64n + 1n,
      nan: NaN,
      inf: Infinity,
      ninf: -Infinity,
      nz: -0,
      at: new Date('2026-01-02T03:04:05.678Z'),
      bytes: new Uint8Array([1, 2, 255]),
      n: 1.5,
      s: 'x',
    };
    expect(normalize(value)).toEqual({
      big: '18446744073709551617',
      nan: 'NaN',
      inf: 'Infinity',
      ninf: '-Infinity',
      nz: '-0',
      at: '2026-01-02T03:04:05.678Z',
      bytes: 'AQL/',
      n: 1.5,
      s: 'x',
    });
  });

  it('drops undefined members, turns undefined array items into null, keeps nesting', () => {
    expect(
      normalize({ a: undefined, b: [undefined, 1, { c: undefined }], m: new Map([['k', 1n]]), set: new Set([1, 2]) }),
    ).toEqual({ b: [null, 1, {}], m: { k: '1' }, set: [1, 2] });
  });

  it('replaces lone surrogates so the event can still be hashed', () => {
    expect(normalize('a\ud800b')).toBe('a\ufffdb');
    expect(canonicalJson(normalize({ s: '\udc00' }))).toBe('{"s":"\ufffd"}');
  });

  it('a normalised value hashes the same after a JSON round trip', () => {
    const value = normalize({
      rows: [{ id: 9007199254740993n, amount: '12345678901234567890.12', at: new Date(0), nz: -0, x: NaN }],
      z: 'é',
      a: '\u20ac',
    });
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });

  it('refuses cycles and functions', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => normalize(a)).toThrow(/contains itself/);
    expect(() => normalize({ f: () => 1 })).toThrow(CanonicalError);
  });

  it('the same object twice (not a cycle) is fine', () => {
    const shared = { x: 1 };
    expect(normalize({ a: shared, b: [shared] })).toEqual({ a: { x: 1 }, b: [{ x: 1 }] });
  });
});
