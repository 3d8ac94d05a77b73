/**
 * Everything Stepwise records or displays passes through a Redactor first: text, JSON-like
 * values, streams of output, a runbook's own source. It fails closed: when it cannot redact
 * something (a value it does not understand, a broken regex, an internal error) it throws a
 * RedactionError and returns nothing, so callers write nothing.
 *
 * How it works: every rule (secret forms, named patterns, the always-on URL, header, assignment
 * and field rules) reports matches as ranges of the input (engine.ts); overlaps are resolved in
 * one place (`render`); a stream uses the same ranges to decide how much it may emit
 * (stream.ts); cut-off parts of secrets are found in partials.ts. The rules themselves live in
 * patterns.ts and encodings.ts.
 */
import { buildEngine, redactSource, redactText, type Engine, type RedactionRules } from './engine.js';
import { failClosed, RedactionError } from './errors.js';
import { isSensitiveKey } from './patterns.js';
import { createStream } from './stream.js';

export { isShortSecret, SHORT_SECRET, type RedactionRules } from './engine.js';
export { RedactionError } from './errors.js';

export interface Redactor {
  /** True when there is anything beyond the always-on rules (secrets or patterns declared). */
  readonly active: boolean;
  /** Masks every secret (in every encoding), every pattern, and credentials in URLs, in one string. */
  text(s: string): string;
  /**
   * A JSON-like value (objects, arrays, strings, numbers, booleans, null), copied where it changes, with every
   * string and key redacted by text() (two keys that mask alike both stay, as `KEY#2`), numbers
   * that are a secret masked to a string, and the VALUE under a
   * sensitive header-like key is replaced entirely by '[REDACTED]' (see isSensitiveKey in
   * patterns.ts: authorization, cookie, x-api-key, password, token, *-token, *_secret, api/auth/
   * access/secret/private *-key, …). Arrays of header pairs like [['Authorization','Bearer x']] are
   * not special. Non-plain values (bigint, Date, Buffer, functions, symbols, cycles) throw a
   * RedactionError (fail closed); undefined stays undefined. Does not mutate its input; an object
   * in which nothing is masked comes back itself, so treat the result as read-only.
   */
  value<T>(v: T): T;
  /**
   * Redacts a stream of text chunks (shell stdout, an HTTP body read in pieces). A secret split
   * across two chunks, or across a 4 KiB boundary, is still masked. push() returns the text that
   * is safe to emit now (it holds back a tail just long enough that no secret/encoding/pattern
   * could straddle it); end() returns the rest. Concatenating all outputs equals text(all input).
   */
  stream(): { push(chunk: string): string; end(): string };
  /**
   * Masks a runbook's own source: declared secrets, and credentials written into it literally (a
   * password in a target URL), but never a placeholder: `PGPASSWORD={{ secrets.PW }}` or
   * `postgres://{{ secrets.U }}:{{ secrets.P }}@db` are templates, not secrets, and the recorded
   * source must still read as the runbook that ran.
   */
  source(text: string): string;
  /**
   * Masks one more secret from now on (an answer to a secret input, known only mid-run). Streams
   * already open keep the secrets they started with.
   */
  add(name: string, value: string): void;
}

export function createRedactor(rules: RedactionRules): Redactor {
  let secrets = { ...rules.secrets };
  let engine = failClosed(() => buildEngine(rules));
  return {
    get active() {
      return engine.active;
    },
    text: (s) => failClosed(() => redactText(engine, s)),
    source: (s) => failClosed(() => redactSource(engine, s)),
    value: <T>(v: T): T => failClosed(() => redactValue(engine, v, new Set(), shortCache(engine)) as T),
    stream: () => createStream(engine),
    add(name, value) {
      secrets = { ...secrets, [name]: value };
      engine = failClosed(() => buildEngine({ ...rules, secrets }));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Values

function redactValue(engine: Engine, v: unknown, ancestors: Set<object>, known: Map<string, string>): unknown {
  if (v === undefined || v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    // A numeric secret (a PIN, an account number) comes back as a number from SQL, JSON or Number().
    if (!engine.active) return v;
    const text = String(v);
    const masked = redactText(engine, text);
    return masked === text ? v : masked;
  }
  if (typeof v === 'string') return redactShort(engine, known, v);
  if (typeof v !== 'object') throw new RedactionError(`cannot redact a ${typeof v}`);
  if (ancestors.has(v)) throw new RedactionError('cannot redact a value that contains itself');
  ancestors.add(v);
  try {
    if (Array.isArray(v)) {
      if (!Array.isArray(Object.getPrototypeOf(v))) throw new RedactionError('cannot redact an Array subclass');
      // The array itself when nothing in it is masked and it has no holes (a copy has undefined
      // there); a copy is made from the first item that changes.
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        const masked = redactValue(engine, item, ancestors, known);
        if (out === undefined) {
          if (masked === item && (item !== undefined || i in v)) continue;
          out = new Array(v.length);
          for (let j = 0; j < i; j++) out[j] = v[j];
        }
        out[i] = masked;
      }
      return out ?? v;
    }
    if (!isPlainObject(v))
      throw new RedactionError(`cannot redact a ${Object.prototype.toString.call(v).slice(8, -1)}`);
    // The object itself when nothing in it is masked (most of what a run records): a copy is made
    // from the first member that changes.
    const keys = Object.keys(v);
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const item = (v as Record<string, unknown>)[key];
      const masked =
        isSensitiveKey(key) && item !== undefined && item !== null
          ? '[REDACTED]'
          : redactValue(engine, item, ancestors, known);
      // A key can hold a secret too ({"<token>": {...}}); two masked keys must not overwrite each other.
      const maskedKey = redactShort(engine, known, key);
      if (out === undefined) {
        if (masked === item && maskedKey === key) continue;
        out = {};
        for (let j = 0; j < i; j++) setMember(out, keys[j]!, (v as Record<string, unknown>)[keys[j]!]);
      }
      let name = maskedKey;
      for (let n = 2; name !== key && (Object.hasOwn(out, name) || Object.hasOwn(v, name)); n++)
        name = `${maskedKey}#${n}`;
      setMember(out, name, masked);
    }
    return out ?? v;
  } finally {
    ancestors.delete(v);
  }
}

/** defineProperty: a `__proto__` key (JSON.parse makes them) must stay a key, not become the prototype. */
function setMember(out: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__')
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  else out[name] = value;
}

/**
 * Short strings seen per engine, masked: the same keys (stepId, status, rows…) and many of the
 * same values (a step's kind, its query, a header's value, a result's digest) recur in every
 * event. A new engine (a secret added) starts afresh.
 */
const maskedShort = new WeakMap<Engine, Map<string, string>>();
const MAX_SHORT = 4096;
const MAX_SHORT_LENGTH = 256;

/** The short strings masked so far with `engine` (see maskedShort). */
function shortCache(engine: Engine): Map<string, string> {
  let known = maskedShort.get(engine);
  if (known === undefined) maskedShort.set(engine, (known = new Map()));
  return known;
}

/** A short string masked as text is (redactText depends only on the engine and the text); `known` is the engine's shortCache. */
function redactShort(engine: Engine, known: Map<string, string>, text: string): string {
  if (text.length > MAX_SHORT_LENGTH) return redactText(engine, text);
  let masked = known.get(text);
  if (masked === undefined) {
    masked = redactText(engine, text);
    if (known.size >= MAX_SHORT) known.clear();
    known.set(text, masked);
  }
  return masked;
}

/** An object literal or JSON.parse result, from this realm or another (a vm sandbox). */
function isPlainObject(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto === null) return true;
  return Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(v) === '[object Object]';
}
