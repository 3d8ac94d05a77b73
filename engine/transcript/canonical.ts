/**
 * The bytes a transcript event is hashed over: RFC 8785 canonical JSON (the `canonicalize`
 * package: UTF-16 key order, ES number form, refuses lone surrogates and non-finite numbers).
 * Before that, values JSON cannot carry exactly are normalised to strings, so an event hashes the
 * same after export and re-import: bigint, NaN, ±Infinity and -0 become their decimal text, Dates
 * their ISO text, bytes their base64, lone surrogates U+FFFD. Objects lose undefined members;
 * arrays turn them into null, as JSON.stringify does.
 */
import crypto, { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export class CanonicalError extends Error {}

/**
 * What normalize() measured on the way: a lower bound of the copy's canonical JSON size in bytes
 * (each string counts its UTF-16 length and quotes, each other value a byte or more), so a caller
 * can refuse a huge value before it walks it again.
 */
export interface Meter {
  bytes: number;
}

/**
 * A JSON-exact copy of `value` (see above). Throws CanonicalError on a cycle or a function. With
 * a `meter`, adds the copy's size to it (see Meter).
 */
export function normalize(value: unknown, seen: Set<object> = new Set(), meter?: Meter): unknown {
  if (meter !== undefined) meter.bytes += typeof value === 'string' ? value.length + 2 : 1;
  switch (typeof value) {
    case 'string':
      return value.isWellFormed() ? value : value.toWellFormed();
    case 'number':
      if (Number.isNaN(value)) return 'NaN';
      if (value === Infinity) return 'Infinity';
      if (value === -Infinity) return '-Infinity';
      if (Object.is(value, -0)) return '-0';
      return value;
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value;
    case 'undefined':
      return undefined;
    case 'object':
      return value === null ? null : normalizeObject(value, seen, meter);
    default:
      throw new CanonicalError(`a ${typeof value} cannot be recorded in a transcript`);
  }
}

function normalizeObject(value: object, seen: Set<object>, meter: Meter | undefined): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (seen.has(value)) throw new CanonicalError('a value that contains itself cannot be recorded in a transcript');
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => normalize(v, seen, meter) ?? null);
    if (value instanceof Map) return normalize(Object.fromEntries(value), seen, meter);
    if (value instanceof Set) return normalize([...value], seen, meter);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const v = normalize((value as Record<string, unknown>)[key], seen, meter);
      if (v !== undefined) {
        out[key] = v;
        if (meter !== undefined) meter.bytes += key.length + 3;
      }
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** Thrown by `fast` at anything but plain JSON data: the package then decides (output or error). */
const UNUSUAL = new Error('not plain JSON data');

/** Deeper than this, `fast` hands over to the package (which finds cycles). */
const FAST_DEPTH = 256;

/**
 * RFC 8785 for plain JSON data (strings without lone surrogates, finite numbers, booleans, null,
 * arrays without holes or undefined, objects without toJSON or undefined members), the same bytes
 * as the canonicalize package: keys sorted by UTF-16 code units, strings and numbers as
 * JSON.stringify writes them. Several times faster (no per-character surrogate loop, no arrays of
 * parts per object), which is most of what verifying a long transcript costs. Anything else
 * throws UNUSUAL, and the package handles the whole value instead.
 */
function fast(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw UNUSUAL;
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw UNUSUAL;
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth > FAST_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') throw UNUSUAL;
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw UNUSUAL;
          if (i > 0) out += ',';
          out += fast(value[i], depth + 1);
        }
        return `${out}]`;
      }
      return fastObject(value as Record<string, unknown>, depth, undefined);
    }
    default:
      throw UNUSUAL;
  }
}

function fastObject(value: Record<string, unknown>, depth: number, omit: string | undefined): string {
  const keys = Object.keys(value).sort();
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === omit) continue;
    if (!key.isWellFormed()) throw UNUSUAL;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${fast(value[key], depth + 1)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * RFC 8785 canonical JSON of an already normalised value; with `omit`, of the object `value`
 * without that member (an event without its `hash`, with no copy made).
 */
export function canonicalJson(value: unknown, omit?: string): string {
  try {
    if (omit === undefined) return fast(value, 0);
    if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      typeof (value as { toJSON?: unknown }).toJSON !== 'function'
    )
      return fastObject(value as Record<string, unknown>, 0, omit);
  } catch (error) {
    if (error !== UNUSUAL && !(error instanceof RangeError)) throw error;
  }
  if (omit !== undefined && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { [omit]: _omitted, ...rest } = value as Record<string, unknown>;
    value = rest;
  }
  try {
    const text = canonicalize(value);
    if (text === undefined) throw new CanonicalError('nothing to canonicalise');
    return text;
  } catch (error) {
    if (error instanceof CanonicalError) throw error;
    throw new CanonicalError(`cannot canonicalise: ${(error as Error).message}`);
  }
}

/**
 * node:crypto's one-shot hash (Node 20.12+): several times faster than createHash for one short
 * text. Read off the default export: a namespace import would copy every export of node:crypto,
 * loading WebCrypto on the way (tens of milliseconds at every start).
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function sha256Hex(text: string): string {
  if (oneShot) return oneShot('sha256', text, 'hex');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON text that needs no escape: its canonical form is the text in quotes. */
const PLAIN_STRING = /^[^"\\\u0000-\u001f]*$/;

/**
 * The UTF-8 size of the canonical JSON of an already normalised value, or, once it is known to
 * be larger than `limit`, some number larger than `limit` (the walk stops there, so measuring a
 * huge value against a small limit costs little). Never allocates more than a string's escaped
 * copy for strings with quotes, backslashes or control characters.
 */
export function canonicalSize(value: unknown, limit = Infinity): number {
  let total = 0;
  const text = (s: string): void => {
    // Every UTF-16 unit is at least one UTF-8 byte: a string longer than what is left is over.
    if (s.length + 2 > limit - total) total += s.length + 2;
    else total += PLAIN_STRING.test(s) ? Buffer.byteLength(s) + 2 : Buffer.byteLength(JSON.stringify(s));
  };
  const visit = (v: unknown): void => {
    if (total > limit) return;
    if (typeof v === 'string') return text(v);
    if (typeof v === 'number') return void (total += (JSON.stringify(v) ?? 'null').length);
    if (typeof v === 'boolean') return void (total += v ? 4 : 5);
    if (v === null || typeof v !== 'object') return void (total += 4); // null (undefined in an array is null too)
    if (Array.isArray(v)) {
      total += 2 + Math.max(0, v.length - 1);
      for (const item of v) {
        visit(item);
        if (total > limit) return;
      }
      return;
    }
    total += 2;
    let members = 0;
    for (const key of Object.keys(v)) {
      const item = (v as Record<string, unknown>)[key];
      if (item === undefined) continue;
      if (members++ > 0) total += 1;
      text(key);
      total += 1;
      visit(item);
      if (total > limit) return;
    }
  };
  visit(value);
  return total;
}
