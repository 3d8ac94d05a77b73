/**
 * The redaction engine's core: the secret forms and rules built from a runbook's secrets and
 * patterns, finding every match of every rule as ranges of a text (in the views where encoded
 * forms hide: colour codes removed, %XX and \u00XX decoded, line breaks removed), and rendering
 * the masks with overlaps resolved in one place. Streams (stream.ts) and values (redactor.ts)
 * are built on these.
 */
import type { Engine, SecretForm } from './engine-types.js';
import type { RedactRule } from '../document/frontmatter-model.js';
import {
  derivedValues,
  encodedForms,
  escapesDecoded,
  percentDecoded,
  type View,
  withoutAnsi,
  withoutLineBreaks,
} from './encodings.js';
import { RedactionError } from './errors.js';
import { partialIndex, partials } from './partials.js';
import {
  customMatcher,
  HEADER_LINES,
  NAMED_PATTERNS,
  PRIVATE_KEYS,
  SENSITIVE_ASSIGNMENTS,
  SENSITIVE_JSON_FIELDS,
  TOKEN_SHAPES,
  URL_CREDENTIALS,
  WEBHOOK_PATHS,
  type Match,
  type Matcher,
} from './patterns.js';

export interface RedactionRules {
  /** Declared secret values by name (e.g. { OPS_API_KEY: 'sk_live_...' }). Empty values are ignored. */
  secrets: Record<string, string>;
  /** The runbook's `redact:` list. */
  patterns: readonly RedactRule[];
}

/** Secrets shorter than this (in characters, not UTF-16 units) are only masked as whole tokens, never inside a longer word. */
export const SHORT_SECRET = 8;

export function isShortSecret(value: string): boolean {
  return value !== '' && Array.from(value).length < SHORT_SECRET;
}

// ---------------------------------------------------------------------------------------------
// Building the rules

export type { Engine, SecretForm } from './engine-types.js';

export function buildEngine(rules: RedactionRules): Engine {
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
  const matchers = [
    URL_CREDENTIALS,
    WEBHOOK_PATHS,
    HEADER_LINES,
    SENSITIVE_ASSIGNMENTS,
    SENSITIVE_JSON_FIELDS,
    ...SHAPES,
    ...rules.patterns.map(patternMatcher),
  ];
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

/** The always-on rules that need neither a colon nor `=`: credentials recognised by their shape. */
const SHAPES: readonly Matcher[] = [TOKEN_SHAPES, PRIVATE_KEYS];

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
  /** The earliest index at which a match could still change when more text is appended (streaming only; else the text's length less the regex hold). */
  settled: number;
}

/** Every match of every rule that starts at or after `from` (text before `from` is context). */
export function findAll(engine: Engine, text: string, from: number, streaming = false): Found {
  const matches: Match[] = [];
  let settled = text.length - engine.regexHold;
  /** Only a stream asks where it may emit up to: a whole text skips the hold scans. */
  const hold = (point: () => number): void => {
    if (streaming) settled = Math.min(settled, point());
  };
  for (const m of engine.matchers) {
    m.find(text, from, matches);
    if (m.holdFrom) hold(() => m.holdFrom!(text));
  }
  if (engine.plainForms.length || engine.wrappedForms.length) {
    const plain = withoutAnsi(text);
    // Also with %XX decoded (a value, or its base64, URL-encoded more than it needs to be) and
    // with \u00XX and &#NN; decoded (each JSON and HTML encoder escapes different characters).
    const views = [plain];
    for (const view of [percentDecoded(plain), escapesDecoded(plain)]) if (view !== plain) views.push(view);
    for (const view of views) {
      findForms(view, engine.plainForms, from, matches);
      hold(() => holdPoint(view, engine.plainHold));
    }
    if (engine.wrappedForms.length) {
      for (const view of views) {
        const unwrapped = withoutLineBreaks(view);
        findForms(unwrapped, engine.wrappedForms, from, matches);
        hold(() => holdPoint(unwrapped, engine.wrappedHold));
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
export function render(text: string, from: number, to: number, matches: Match[]): string {
  // By start, longest first; on a tie a declared secret's or a listed pattern's mask over a shape's
  // (`[REDACTED:KEY]`, not `[REDACTED:private-key]`), and a named mask ([REDACTED:NAME]) over a generic one.
  const sorted = matches
    .filter((m) => m.start < to)
    .sort(
      (a, b) =>
        a.start - b.start ||
        b.end - a.end ||
        Number(a.weak === true) - Number(b.weak === true) ||
        b.mask.length - a.mask.length,
    );
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

export function redactText(engine: Engine, s: string): string {
  if (typeof s !== 'string') throw new RedactionError(`text() needs a string, got ${typeof s}`);
  // Fast path: the always-on rules other than the shapes need a colon (`://`, `Name:`, `"key":`) or `=` (`NAME=`).
  if (!engine.active && !s.includes(':') && !s.includes('=')) {
    const shaped: Match[] = [];
    for (const m of SHAPES) m.find(s, 0, shaped);
    return shaped.length ? render(s, 0, s.length, shaped) : s;
  }
  const { matches } = findAll(engine, s, 0);
  partials(engine, s, 0, true, matches);
  return matches.length ? render(s, 0, s.length, matches) : s;
}

export function redactSource(engine: Engine, s: string): string {
  if (typeof s !== 'string') throw new RedactionError(`source() needs a string, got ${typeof s}`);
  const { matches } = findAll(engine, s, 0);
  const kept = matches.filter((m) => m.mask !== '[REDACTED]' || !/\{\{|\}\}|\$\{/.test(s.slice(m.start, m.end)));
  return kept.length ? render(s, 0, s.length, kept) : s;
}
