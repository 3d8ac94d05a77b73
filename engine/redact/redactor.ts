/**
 * The redaction engine: everything Stepwise records or displays passes through a Redactor first.
 *
 * It fails closed: when it cannot redact something (a value it does not understand, a broken
 * regex, an internal error) it throws a RedactionError and returns nothing, so callers write
 * nothing. It never returns unredacted text on an error path.
 *
 * How it works: every rule (secret forms, named patterns, the always-on URL and header rules)
 * reports matches as ranges of the input; overlaps are resolved in one place (`render`), and a
 * stream uses the same ranges to decide how much it may emit. This file is longer than most
 * because those three pieces (finding, rendering, streaming) share the same invariants and are
 * easier to check side by side; the rules themselves live in patterns.ts and encodings.ts.
 */
import type { RedactRule } from '../document/frontmatter-model.js';
import { derivedValues, encodedForms, escapesDecoded, percentDecoded, type View, withoutAnsi, withoutLineBreaks } from './encodings.js';
import {
  customMatcher,
  HEADER_LINES,
  isHeaderLine,
  isSensitiveKey,
  mayBeHeaderLine,
  NAMED_PATTERNS,
  SENSITIVE_ASSIGNMENTS,
  SENSITIVE_JSON_FIELDS,
  URL_CREDENTIALS,
  type Match,
  type Matcher,
} from './patterns.js';

export interface RedactionRules {
  /** Declared secret values by name (e.g. { OPS_API_KEY: 'sk_live_...' }). Empty values are ignored. */
  secrets: Record<string, string>;
  /** The runbook's `redact:` list. */
  patterns: readonly RedactRule[];
}

export interface Redactor {
  /** True when there is anything beyond the always-on rules (secrets or patterns declared). */
  readonly active: boolean;
  /** Masks every secret (in every encoding), every pattern, and credentials in URLs, in one string. */
  text(s: string): string;
  /**
   * A deep copy of a JSON-like value (objects, arrays, strings, numbers, booleans, null) with every
   * string redacted by text(). Object KEYS are kept as they are, except that the VALUE under a
   * sensitive header-like key is replaced entirely by '[REDACTED]' (see isSensitiveKey in
   * patterns.ts: authorization, cookie, x-api-key, password, token, *-token, *_secret, api/auth/
   * access/secret/private *-key, …). Arrays of header pairs like [['Authorization','Bearer x']] are
   * not special. Non-plain values (bigint, Date, Buffer, functions, symbols, cycles) throw a
   * RedactionError (fail closed); undefined stays undefined. Does not mutate its input.
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

/** Thrown whenever something cannot be redacted; the caller must then write nothing. */
export class RedactionError extends Error {
  override name = 'RedactionError';
}

/** Secrets shorter than this (in characters, not UTF-16 units) are only masked as whole tokens, never inside a longer word. */
export const SHORT_SECRET = 8;

export function isShortSecret(value: string): boolean {
  return value !== '' && Array.from(value).length < SHORT_SECRET;
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
    value: <T>(v: T): T => failClosed(() => redactValue(engine, v, new Set()) as T),
    stream: () => createStream(engine),
    add(name, value) {
      secrets = { ...secrets, [name]: value };
      engine = failClosed(() => buildEngine({ ...rules, secrets }));
    },
  };
}

/** Runs `fn`, turning any error into a RedactionError (keeping the original as `cause`). */
function failClosed<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RedactionError) throw e;
    throw new RedactionError(`redaction failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

// ---------------------------------------------------------------------------------------------
// Building the rules

/** One encoded form of one secret, as searched for. */
interface SecretForm {
  text: string;
  mask: string;
  /** Only whole-token occurrences count (forms of short secrets). */
  token: boolean;
}

interface Engine {
  active: boolean;
  /** Forms searched in the text with ANSI escapes removed. */
  plainForms: SecretForm[];
  /** base64 forms of long secrets, searched with line breaks removed as well (MIME wrapping). */
  wrappedForms: SecretForm[];
  matchers: Matcher[];
  /** Trailing characters a stream holds back for the regex rules. */
  regexHold: number;
  /** Trailing characters (of each searched view) a stream holds back for the secret forms. */
  plainHold: number;
  wrappedHold: number;
  /** The forms a size limit or an ellipsis can leave part of. */
  partial: PartialIndex;
}

function buildEngine(rules: RedactionRules): Engine {
  const plainForms: SecretForm[] = [];
  const wrappedForms: SecretForm[] = [];
  for (const [name, value] of Object.entries(rules.secrets)) {
    if (typeof value !== 'string') throw new RedactionError(`secret ${name} is not a string`);
    if (value === '') continue;
    for (const part of [value, ...derivedValues(value)]) {
      const short = isShortSecret(part);
      for (const form of encodedForms(part)) {
        const f = { text: form.text, mask: `[REDACTED:${name}]`, token: short };
        (form.base64 && !short ? wrappedForms : plainForms).push(f);
      }
    }
  }
  const matchers = [URL_CREDENTIALS, HEADER_LINES, SENSITIVE_ASSIGNMENTS, SENSITIVE_JSON_FIELDS, ...rules.patterns.map(patternMatcher)];
  const longest = (forms: SecretForm[]) => forms.reduce((n, f) => Math.max(n, f.text.length), 0);
  return {
    active: plainForms.length + wrappedForms.length + rules.patterns.length > 0,
    plainForms,
    wrappedForms,
    matchers,
    regexHold: Math.max(...matchers.map((m) => m.hold)),
    // +1: a short secret's whole-token check needs the character after it.
    plainHold: plainForms.length ? longest(plainForms) + 1 : 0,
    wrappedHold: wrappedForms.length ? longest(wrappedForms) + 1 : 0,
    partial: partialIndex([...plainForms, ...wrappedForms]),
  };
}

function patternMatcher(rule: RedactRule): Matcher {
  if ('regex' in rule) return customMatcher(rule.regex);
  const named = NAMED_PATTERNS[rule.pattern];
  if (!named) throw new RedactionError(`unknown redact pattern \`${String(rule.pattern)}\``);
  return named;
}

// ---------------------------------------------------------------------------------------------
// Finding matches

interface Found {
  matches: Match[];
  /** The earliest index at which a match could still change when more text is appended. */
  settled: number;
}

/** Every match of every rule that starts at or after `from` (text before `from` is context). */
function findAll(engine: Engine, text: string, from: number): Found {
  const matches: Match[] = [];
  let settled = text.length - engine.regexHold;
  for (const m of engine.matchers) {
    m.find(text, from, matches);
    if (m.holdFrom) settled = Math.min(settled, m.holdFrom(text));
  }
  if (engine.plainForms.length || engine.wrappedForms.length) {
    const plain = withoutAnsi(text);
    findForms(plain, engine.plainForms, from, matches);
    settled = Math.min(settled, holdPoint(plain, engine.plainHold));
    // Also with %XX decoded (a value, or its base64, URL-encoded more than it needs to be) and
    // with \u00XX and &#NN; decoded (each JSON and HTML encoder escapes different characters).
    const views = [plain, ...new Set([percentDecoded(plain), escapesDecoded(plain)])].filter((v, i) => i === 0 || v !== plain);
    for (const view of views.slice(1)) {
      findForms(view, engine.plainForms, from, matches);
      settled = Math.min(settled, holdPoint(view, engine.plainHold));
    }
    if (engine.wrappedForms.length) {
      for (const view of views) {
        const unwrapped = withoutLineBreaks(view);
        findForms(unwrapped, engine.wrappedForms, from, matches);
        settled = Math.min(settled, holdPoint(unwrapped, engine.wrappedHold));
      }
    }
  }
  return { matches, settled: Math.max(0, settled) };
}

/** Where the last `hold` characters of a view begin, in the original text. */
function holdPoint(view: View, hold: number): number {
  const n = view.text.length;
  return n <= hold ? 0 : view.orig(n - hold);
}

function findForms(view: View, forms: SecretForm[], from: number, out: Match[]): void {
  const t = view.text;
  for (const f of forms) {
    const n = f.text.length;
    for (let i = t.indexOf(f.text); i !== -1; ) {
      if (f.token && !isWholeToken(t, i, i + n)) {
        i = t.indexOf(f.text, i + 1);
        continue;
      }
      const start = view.orig(i);
      if (start >= from) out.push({ start, end: view.end(i + n - 1), mask: f.mask });
      i = t.indexOf(f.text, i + n);
    }
  }
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Bounded by non-alphanumeric characters or the text's edges. */
function isWholeToken(t: string, start: number, end: number): boolean {
  return !WORD_CHAR.test(t[start - 1] ?? '') && !WORD_CHAR.test(t[end] ?? '');
}

// ---------------------------------------------------------------------------------------------
// Rendering

/**
 * `text[from, to)` with every match masked. Overlaps are resolved so no matched character
 * survives: matches are taken by start, longest first; one inside an earlier one disappears
 * (so the longest secret wins), and one that sticks out of it masks its remainder too.
 */
function render(text: string, from: number, to: number, matches: Match[]): string {
  // By start, longest first; on a tie a named mask ([REDACTED:NAME]) over a generic one.
  const sorted = matches.filter((m) => m.start < to).sort((a, b) => a.start - b.start || b.end - a.end || b.mask.length - a.mask.length);
  let out = '';
  let at = from;
  let lastMask = '';
  for (const m of sorted) {
    if (m.end > to) throw new RedactionError('internal: a match crosses the emitted range');
    if (m.end <= at) continue;
    if (m.start < at && m.mask === lastMask) {
      at = m.end; // the same secret overlapping itself: one mask
      continue;
    }
    out += text.slice(at, Math.max(at, m.start)) + m.mask;
    at = m.end;
    lastMask = m.mask;
  }
  return out + text.slice(at, to);
}

function redactText(engine: Engine, s: string): string {
  if (typeof s !== 'string') throw new RedactionError(`text() needs a string, got ${typeof s}`);
  // Fast path: the always-on rules all need a colon (`://`, `Name:`, `"key":`) or `=` (`NAME=`).
  if (!engine.active && !s.includes(':') && !s.includes('=')) return s;
  const { matches } = findAll(engine, s, 0);
  partials(engine, s, 0, true, matches);
  return matches.length ? render(s, 0, s.length, matches) : s;
}

function redactSource(engine: Engine, s: string): string {
  if (typeof s !== 'string') throw new RedactionError(`source() needs a string, got ${typeof s}`);
  const { matches } = findAll(engine, s, 0);
  const kept = matches.filter((m) => m.mask !== '[REDACTED]' || !/\{\{|\}\}|\$\{/.test(s.slice(m.start, m.end)));
  return kept.length ? render(s, 0, s.length, kept) : s;
}

/** A partial secret shorter than this, at a cut, is left: a few characters could be anything. */
const MIN_PARTIAL = 8;

/** The forms a cut can leave part of, by their first and by their last MIN_PARTIAL characters. */
interface PartialIndex {
  byStart: Map<string, SecretForm[]>;
  byEnd: Map<string, SecretForm[]>;
  longest: number;
}

function partialIndex(forms: readonly SecretForm[]): PartialIndex {
  const byStart = new Map<string, SecretForm[]>();
  const byEnd = new Map<string, SecretForm[]>();
  let longest = 0;
  for (const f of forms) {
    if (f.token || f.text.length <= MIN_PARTIAL) continue;
    const add = (map: Map<string, SecretForm[]>, key: string): void => void (map.get(key) ?? map.set(key, []).get(key)!).push(f);
    add(byStart, f.text.slice(0, MIN_PARTIAL));
    add(byEnd, f.text.slice(-MIN_PARTIAL));
    longest = Math.max(longest, f.text.length);
  }
  return { byStart, byEnd, longest };
}

/**
 * A secret cut in two by a size limit: the text ends with the start of a secret form (a body kept
 * to its first bytes), or, when `head`, begins with the end of one (the last lines of output); or
 * a message quotes its first characters and cuts them off with `...` or `…` (V8's
 * `"ghp_Zq8vLm"... is not valid JSON`). Ordinary text does not hold 8 or more characters of a
 * secret that way by chance. Costs a map lookup per position near the ends (and the ellipses).
 */
function partials(engine: Engine, text: string, from: number, head: boolean, out: Match[]): void {
  const { byStart, byEnd, longest } = engine.partial;
  if (longest === 0 || text.length - from < MIN_PARTIAL) return;
  const view = withoutAnsi(text);
  const t = view.text;
  const push = (i: number, j: number, f: SecretForm): void => {
    if (view.orig(i) >= from) out.push({ start: view.orig(i), end: view.end(j - 1), mask: f.mask });
  };
  /** A form starting at i whose first j - i characters are t[i, j), cut there (j - i shorter than the form). */
  const cutAt = (i: number, j: number): SecretForm | undefined =>
    byStart.get(t.substr(i, MIN_PARTIAL))?.find((f) => j - i < f.text.length && f.text.startsWith(t.slice(i, j)));
  // the end of the text
  for (let i = Math.max(0, t.length - longest + 1); i <= t.length - MIN_PARTIAL; i++) {
    const f = cutAt(i, t.length);
    if (f) {
      push(i, t.length, f);
      break;
    }
  }
  // before an ellipsis
  for (const mark of ['...', '…']) {
    for (let e = t.indexOf(mark); e !== -1; e = t.indexOf(mark, e + 1)) {
      const end = e > 0 && (t[e - 1] === '"' || t[e - 1] === "'") ? e - 1 : e;
      for (let i = Math.max(0, end - longest + 1); i <= end - MIN_PARTIAL; i++) {
        const f = cutAt(i, end);
        if (f) {
          push(i, end, f);
          break;
        }
      }
    }
  }
  // the start of the text
  if (!head || from > 0) return;
  for (let i = 0; i + MIN_PARTIAL <= Math.min(t.length, longest - 1); i++) {
    const f = byEnd.get(t.substr(i, MIN_PARTIAL))?.find((g) => i + MIN_PARTIAL < g.text.length && g.text.endsWith(t.slice(0, i + MIN_PARTIAL)));
    if (f) {
      push(0, i + MIN_PARTIAL, f);
      break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Values

function redactValue(engine: Engine, v: unknown, ancestors: Set<object>): unknown {
  if (v === undefined || v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    // A numeric secret (a PIN, an account number) comes back as a number from SQL, JSON or Number().
    if (!engine.active) return v;
    const text = String(v);
    const masked = redactText(engine, text);
    return masked === text ? v : masked;
  }
  if (typeof v === 'string') return redactText(engine, v);
  if (typeof v !== 'object') throw new RedactionError(`cannot redact a ${typeof v}`);
  if (ancestors.has(v)) throw new RedactionError('cannot redact a value that contains itself');
  ancestors.add(v);
  try {
    if (Array.isArray(v)) {
      if (!Array.isArray(Object.getPrototypeOf(v))) throw new RedactionError('cannot redact an Array subclass');
      return Array.from(v, (item: unknown) => redactValue(engine, item, ancestors));
    }
    if (!isPlainObject(v)) throw new RedactionError(`cannot redact a ${Object.prototype.toString.call(v).slice(8, -1)}`);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) {
      const masked = isSensitiveKey(key) && item !== undefined && item !== null ? '[REDACTED]' : redactValue(engine, item, ancestors);
      // A key can hold a secret too ({"<token>": {...}}); two masked keys must not overwrite each other.
      let name = redactText(engine, key);
      for (let n = 2; name !== key && (Object.hasOwn(out, name) || Object.hasOwn(v, name)); n++) name = `${redactText(engine, key)}#${n}`;
      // defineProperty: a `__proto__` key (JSON.parse makes them) must stay a key, not become the prototype.
      if (name === '__proto__') Object.defineProperty(out, name, { value: masked, enumerable: true, writable: true, configurable: true });
      else out[name] = masked;
    }
    return out;
  } finally {
    ancestors.delete(v);
  }
}

/** An object literal or JSON.parse result, from this realm or another (a vm sandbox). */
function isPlainObject(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto === null) return true;
  return Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(v) === '[object Object]';
}

// ---------------------------------------------------------------------------------------------
// Streams

/** Emitted text kept as context, for lookbehinds, `^` and whole-token checks at the next chunk's start. */
const CONTEXT = 256;
/** An unfinished last token (no whitespace yet) is held up to this size: URLs, JWTs, emails. */
const TOKEN_HOLD = 8 * 1024;
/** An unfinished sensitive header line is held up to this size, then masked to its end. */
const HEADER_HOLD = 8 * 1024;
/** A single match still growing past this size is an error rather than unbounded memory. */
const MAX_HELD = 4 * 1024 * 1024;

/**
 * How much new text a stream waits for before scanning again. Each scan reads the whole held
 * window, so scanning on every 1-character push would cost hold × length; waiting for a quarter
 * of the hold keeps streams linear. Waiting is always safe: it only emits later, never differently.
 */
function scanStep(engine: Engine): number {
  const hold = Math.max(engine.plainHold, engine.wrappedHold, engine.regexHold);
  return hold === 0 ? 0 : Math.min(1024, Math.max(16, hold >> 2));
}

/**
 * A redacting stream. Invariant: `context + pending` is a window of the input whose first
 * `context.length` characters were already emitted; no match found in it crosses that boundary.
 * After an error every later call throws: it must not emit what it had held back.
 */
function createStream(engine: Engine) {
  let context = '';
  let pending = '';
  let swallowing = false; // inside an over-long header value: drop until the line ends
  let state: 'open' | 'ended' | 'failed' = 'open';
  let scanned = 0; // pending.length after the last scan
  const step = scanStep(engine);

  const guarded = <T>(fn: () => T): T => {
    if (state === 'failed') throw new RedactionError('this redaction stream failed earlier');
    try {
      return failClosed(fn);
    } catch (e) {
      state = 'failed';
      pending = '';
      throw e;
    }
  };

  /** Emits `buffer[from, cut)`, keeps the rest. */
  const emit = (buffer: string, from: number, cut: number, matches: Match[]): string => {
    const out = render(buffer, from, cut, matches);
    context = buffer.slice(Math.max(0, cut - CONTEXT), cut);
    pending = buffer.slice(cut);
    scanned = pending.length;
    return out;
  };

  const skipSwallowed = (chunk: string): string => {
    const eol = chunk.search(/[\r\n\u2028\u2029]/);
    const dropped = eol === -1 ? chunk : chunk.slice(0, eol);
    context = (context + dropped).slice(-CONTEXT);
    if (eol === -1) return '';
    swallowing = false;
    return chunk.slice(eol);
  };

  return {
    push(chunk: string): string {
      return guarded(() => {
        if (state === 'ended') throw new RedactionError('push() after end()');
        if (typeof chunk !== 'string') throw new RedactionError(`push() needs a string, got ${typeof chunk}`);
        pending += swallowing ? skipSwallowed(chunk) : chunk;
        // Nothing can be emitted while the pending text fits in the hold; and see scanStep.
        if (pending.length <= Math.max(engine.plainHold, engine.regexHold) || pending.length - scanned < step) return '';
        const buffer = context + pending;
        const from = context.length;
        const { matches, settled } = findAll(engine, buffer, from);
        const cut = safeCut(buffer, from, matches, settled);
        if (cut === 'swallow') {
          swallowing = true;
          return emit(buffer, from, buffer.length, matches);
        }
        if (buffer.length - cut > MAX_HELD) throw new RedactionError(`a single match grew past ${MAX_HELD} characters; refusing to hold more`);
        return emit(buffer, from, cut, matches);
      });
    },
    end(): string {
      return guarded(() => {
        if (state === 'ended') return '';
        state = 'ended';
        const buffer = context + pending;
        const { matches } = findAll(engine, buffer, context.length);
        partials(engine, buffer, context.length, false, matches); // output cut off at its size limit
        const out = emit(buffer, context.length, buffer.length, matches);
        context = '';
        return out;
      });
    },
  };
}

/**
 * How far into `buffer` the stream may emit: before anything a longer input could still turn
 * into a match (the secret and pattern holds, an unfinished token, an unfinished header line),
 * and never inside a match. 'swallow' means an over-long header line: emit all and mask the
 * rest of its value as it arrives.
 */
function safeCut(buffer: string, from: number, matches: Match[], settled: number): number | 'swallow' {
  let cut = Math.min(settled, unfinishedToken(buffer));
  const line = lastLineStart(buffer);
  if (line >= from && mayBeHeaderLine(buffer.slice(line))) {
    if (buffer.length - line <= HEADER_HOLD) cut = Math.min(cut, line);
    else if (isHeaderLine(buffer.slice(line))) return 'swallow';
  }
  cut = Math.max(cut, from);
  for (let moved = true; moved; ) {
    moved = false;
    for (const m of matches) {
      if (m.start < cut && cut < m.end) {
        cut = m.start;
        moved = true;
      }
    }
    // Never split a surrogate pair between two outputs: each is often written out on its own.
    if (cut > from && cut < buffer.length && isHighSurrogate(buffer.charCodeAt(cut - 1))) {
      cut--;
      moved = true;
    }
  }
  return cut;
}

/**
 * Start of the trailing run of non-whitespace, if it is short enough to hold. A longer one
 * (minified JSON on one line) is cut after its last quote, comma, bracket or `&` instead of
 * anywhere, so a URL or token inside it is held whole.
 */
function unfinishedToken(buffer: string): number {
  let i = buffer.length;
  while (i > 0 && buffer.length - i <= TOKEN_HOLD && !/\s/.test(buffer[i - 1] ?? '')) i--;
  if (buffer.length - i <= TOKEN_HOLD) return i;
  const start = buffer.length - TOKEN_HOLD;
  for (let k = buffer.length - 1; k >= start; k--) if (STRUCTURAL.has(buffer[k]!)) return k + 1;
  return buffer.length;
}

/** Characters a URL, a JWT or a base64 token never contains, where a long run of text may be cut. */
const STRUCTURAL = new Set(['"', "'", ',', '{', '}', '[', ']', '<', '>', '`', '|', ';']);

function lastLineStart(buffer: string): number {
  for (let i = buffer.length - 1; i >= 0; i--) {
    const c = buffer.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return i + 1;
  }
  return 0;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
