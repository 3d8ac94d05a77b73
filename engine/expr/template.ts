/**
 * Finds `{{ expr }}` placeholders in text. The end of each placeholder is found by parsing the
 * expression with acorn, so `{{ rows.map(r => ({ id: r.id })) }}` and `{{ "}}" }}` work.
 * `\{{` is a literal `{{` (callers unescape it). Never throws; problems come back as errors
 * with offsets, and scanning resumes at the next `}}` so one bad placeholder hides no other.
 *
 * Linear time: each expression is first parsed in a window that ends at the next `{{`, and
 * windows of successive placeholders do not overlap. Only when the parse ran into the window's
 * end (an expression that itself holds `{{`, e.g. `{{ "{{" }}`) is the window widened, and
 * widening draws on a budget proportional to the text's length.
 */
import type { Options } from 'acorn';
import { parseExpressionAt } from './acorn.js';

export interface TemplateSlot {
  /** Offset of the opening `{{`. */
  start: number;
  /** Offset just after the closing `}}`. */
  end: number;
  /** Offset of the expression's first non-space character. */
  exprStart: number;
  /** The expression text, trimmed. */
  source: string;
}

export interface ExprError {
  message: string;
  /** Offset in the scanned text. */
  offset: number;
}

export interface TemplateScan {
  slots: TemplateSlot[];
  errors: ExprError[];
}

/** preserveParens keeps `(a)` ending after its `)`; no hashbang, `#!` is not a comment here. */
export const PARSE_OPTIONS: Options = {
  ecmaVersion: 'latest',
  preserveParens: true,
  allowAwaitOutsideFunction: true,
  allowHashBang: false,
};

const EMPTY = 'empty placeholder: put an expression between {{ and }}';
const UNTERMINATED = 'unterminated placeholder: `{{` has no closing `}}`';
const NO_CLOSE = 'expected `}}` after the expression';

/** True if text holds a `{{` that is not escaped as `\{{`. */
export function hasPlaceholder(text: string): boolean {
  let i = text.indexOf('{{');
  while (i !== -1) {
    if (i === 0 || text.charCodeAt(i - 1) !== 92) return true;
    i = text.indexOf('{{', i + 2);
  }
  return false;
}

export function scanTemplate(text: string): TemplateScan {
  const slots: TemplateSlot[] = [];
  const errors: ExprError[] = [];
  let budget = 8 * text.length;
  let from = 0;
  while (from < text.length) {
    const open = text.indexOf('{{', from);
    if (open === -1) break;
    if (open > 0 && text.charCodeAt(open - 1) === 92) {
      from = open + 2;
      continue;
    }
    const exprStart = skipSpace(text, open + 2);
    if (text.startsWith('}}', exprStart)) {
      errors.push({ message: EMPTY, offset: open });
      from = exprStart + 2;
      continue;
    }
    const close = text.indexOf('}}', exprStart);
    if (close === -1) {
      errors.push({ message: UNTERMINATED, offset: open });
      break;
    }
    let windowEnd = nextOpen(text, exprStart + 1);
    let parsed = parseWindow(text, exprStart, windowEnd);
    while (!parsed.ok && parsed.truncated && windowEnd < text.length && budget > 0) {
      windowEnd = nextOpen(text, exprStart + 2 * (windowEnd - exprStart) + 2);
      budget -= windowEnd - exprStart;
      parsed = parseWindow(text, exprStart, windowEnd);
    }
    if (!parsed.ok) {
      errors.push({ message: parsed.message, offset: parsed.offset });
      const resync = text.indexOf('}}', Math.max(close, parsed.offset));
      if (resync === -1) break;
      from = resync + 2;
      continue;
    }
    const after = skipSpace(text, parsed.end);
    if (after >= text.length) {
      errors.push({ message: UNTERMINATED, offset: open });
      break;
    }
    if (!text.startsWith('}}', after)) {
      errors.push({ message: NO_CLOSE, offset: after });
      const resync = text.indexOf('}}', after);
      if (resync === -1) break;
      from = resync + 2;
      continue;
    }
    slots.push({ start: open, end: after + 2, exprStart, source: text.slice(exprStart, parsed.end).trim() });
    from = after + 2;
  }
  return { slots, errors };
}

type Parsed = { ok: true; end: number } | { ok: false; message: string; offset: number; truncated: boolean };

/** Offset of the next `{{` at or after `at`, or the text's length. */
function nextOpen(text: string, at: number): number {
  if (at >= text.length) return text.length;
  const i = text.indexOf('{{', at);
  return i === -1 ? text.length : i;
}

/**
 * Parses the expression at `at`, reading no further than `end`. A parse that ends before `end`
 * ends there in the whole text too (nothing can continue an expression with `{`); a failure
 * that reached `end` is `truncated` and may go away with a wider window.
 */
function parseWindow(text: string, at: number, end: number): Parsed {
  // A slice, not an offset: acorn counts the lines before a start offset, which is not linear.
  const input = text.slice(at, end);
  try {
    const node = parseExpressionAt(input, 0, PARSE_OPTIONS);
    return { ok: true, end: at + node.end };
  } catch (error) {
    const e = error as { message?: unknown; pos?: unknown; raisedAt?: unknown };
    if (!(error instanceof SyntaxError) || typeof e.pos !== 'number') {
      // acorn recurses per nesting level; thousands of `(` exhaust the stack.
      return { ok: false, message: 'expression is too deeply nested', offset: at, truncated: false };
    }
    const message = cleanMessage(String(e.message));
    const reached = typeof e.raisedAt === 'number' ? e.raisedAt : e.pos;
    return {
      ok: false,
      message,
      offset: at + e.pos,
      truncated: reached >= input.length || message === 'Unterminated comment',
    };
  }
}

/** acorn ends messages with ` (line:column)`, which means nothing to a runbook author. */
export function cleanMessage(message: string): string {
  return message.replace(/ \(\d+:\d+\)$/, '');
}

/** Skips JavaScript white space and line terminators from `at`. */
export function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
