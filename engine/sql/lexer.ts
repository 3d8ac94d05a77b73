/**
 * A SQL tokenizer for PostgreSQL and SQLite: enough to tell strings, comments, identifiers and
 * parameters apart, so that statement splitting, write detection and bind parameters never look
 * inside a string or a comment. Placeholder spans (`{{ ... }}`) are opaque units: a `template`
 * token outside strings and comments, plain content inside them (a quote inside a placeholder
 * never ends a string). The tokens cover the text exactly, in order. Linear time; never throws;
 * an unterminated string, comment or quoted identifier runs to the end, flagged `unterminated`.
 */
import { BRACKET_AFTER } from './keywords.js';

export type SqlTokenType =
  | 'word'
  | 'quoted-ident'
  | 'string'
  | 'number'
  | 'param'
  | 'template'
  | 'comment'
  | 'punct'
  | 'semicolon'
  | 'space';

export interface SqlToken {
  type: SqlTokenType;
  start: number;
  end: number;
  text: string;
  unterminated?: boolean;
}

export interface Span {
  start: number;
  end: number;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
/** Unicode spaces that are not identifier characters (PostgreSQL and SQLite take other non-ASCII as letters). */
const isWideSpace = (c: number): boolean =>
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200b) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || (c >= 0x80 && isWideSpace(c));
const isIdentStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 0x80 && !isWideSpace(c));
export const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c) || c === 36;

export function lexSql(text: string, opaque: ReadonlyArray<Span> = []): SqlToken[] {
  const len = text.length;
  const spans = cleanSpans(opaque, len);
  const tokens: SqlToken[] = [];
  let k = 0; // the first span not yet behind us
  let i = 0;
  let previous: SqlToken | undefined; // the last token that is not space or comment
  let closed = true; // set by the scanners below

  const emit = (type: SqlTokenType, end: number, unterminated = false): void => {
    const stop = Math.min(len, Math.max(end, i + 1));
    const token: SqlToken = { type, start: i, end: stop, text: text.slice(i, stop) };
    if (unterminated) token.unterminated = true;
    tokens.push(token);
    if (type !== 'space' && type !== 'comment') previous = token;
    i = stop;
  };
  /** If `j` is at (or inside) a placeholder, the offset just after it; else `j`. */
  const skipSpan = (j: number): number => {
    while (k < spans.length && spans[k]!.end <= j) k++;
    const span = spans[k];
    if (span && span.start <= j) {
      k++;
      return span.end;
    }
    return j;
  };
  /** From `j` to just after the closing quote `q`; `qq` is an escape when `doubled`, `\x` when `backslash`. */
  const scanQuoted = (j: number, q: number, doubled: boolean, backslash: boolean): number => {
    while (j < len) {
      const skipped = skipSpan(j);
      if (skipped !== j) {
        j = skipped;
        continue;
      }
      const c = text.charCodeAt(j);
      if (c === q) {
        if (doubled && text.charCodeAt(j + 1) === q) j += 2;
        else return ((closed = true), j + 1);
      } else j += backslash && c === 92 ? 2 : 1;
    }
    return ((closed = false), len);
  };
  const scanLineComment = (j: number): number => {
    while (j < len) {
      const skipped = skipSpan(j);
      if (skipped !== j) j = skipped;
      else if (text.charCodeAt(j) === 10 || text.charCodeAt(j) === 13) return j;
      else j++;
    }
    return len;
  };
  /** Block comments nest, as in PostgreSQL. */
  const scanBlockComment = (j: number): number => {
    let depth = 1;
    while (j < len) {
      const skipped = skipSpan(j);
      if (skipped !== j) j = skipped;
      else if (text.charCodeAt(j) === 47 && text.charCodeAt(j + 1) === 42) depth++, (j += 2);
      else if (text.charCodeAt(j) === 42 && text.charCodeAt(j + 1) === 47) {
        j += 2;
        if (--depth === 0) return ((closed = true), j);
      } else j++;
    }
    return ((closed = false), len);
  };
  const scanDollarBody = (j: number, tag: string): number => {
    while (j < len) {
      const skipped = skipSpan(j);
      if (skipped !== j) j = skipped;
      else if (text.charCodeAt(j) === 36 && text.startsWith(tag, j)) return ((closed = true), j + tag.length);
      else j++;
    }
    return ((closed = false), len);
  };

  while (i < len) {
    while (k < spans.length && spans[k]!.end <= i) k++;
    const span = spans[k];
    if (span && span.start <= i) {
      k++;
      emit('template', span.end);
      continue;
    }
    const stop = span ? span.start : len; // simple tokens never run into a placeholder
    const c = text.charCodeAt(i);
    const d = i + 1 < stop ? text.charCodeAt(i + 1) : -1;
    const e = i + 2 < stop ? text.charCodeAt(i + 2) : -1;
    let j = i + 1;
    if (isSpace(c)) {
      while (j < stop && isSpace(text.charCodeAt(j))) j++;
      emit('space', j);
    } else if (c === 45 && d === 45) {
      emit('comment', scanLineComment(i + 2));
    } else if (c === 47 && d === 42) {
      const end = scanBlockComment(i + 2);
      emit('comment', end, !closed);
    } else if (c === 39) {
      const end = scanQuoted(i + 1, 39, true, false);
      emit('string', end, !closed);
    } else if ((c === 69 || c === 101) && d === 39) {
      const end = scanQuoted(i + 2, 39, true, true); // E'...': backslash escapes
      emit('string', end, !closed);
    } else if ((c === 66 || c === 98 || c === 88 || c === 120 || c === 78 || c === 110) && d === 39) {
      const end = scanQuoted(i + 2, 39, true, false); // B'0101', X'ff', N'text'
      emit('string', end, !closed);
    } else if ((c === 85 || c === 117) && d === 38 && (e === 39 || e === 34)) {
      const end = scanQuoted(i + 3, e, true, false); // U&'...' and U&"..."
      emit(e === 39 ? 'string' : 'quoted-ident', end, !closed);
    } else if (c === 34 || c === 96) {
      const end = scanQuoted(i + 1, c, true, false); // "ident" and `ident`
      emit('quoted-ident', end, !closed);
    } else if (c === 91 && bracketIdentAllowed(previous)) {
      const end = scanQuoted(i + 1, 93, false, false); // SQLite [ident]
      emit('quoted-ident', end, !closed);
    } else if (c === 36) {
      if (isDigit(d)) {
        while (j < stop && isDigit(text.charCodeAt(j))) j++;
        emit('param', j); // $1
      } else if (d === 36) {
        const end = scanDollarBody(i + 2, '$$');
        emit('string', end, !closed);
      } else if (isIdentStart(d)) {
        while (j < stop && isIdentPart(text.charCodeAt(j)) && text.charCodeAt(j) !== 36) j++;
        if (j < stop && text.charCodeAt(j) === 36) {
          const end = scanDollarBody(j + 1, text.slice(i, j + 1)); // $tag$ ... $tag$
          emit('string', end, !closed);
        } else emit('param', j); // SQLite $name
      } else emit('punct', j);
    } else if (c === 63) {
      while (j < stop && isDigit(text.charCodeAt(j))) j++;
      emit('param', j); // ? and ?1
    } else if (c === 58 && d === 58) {
      emit('punct', i + 2); // :: cast
    } else if ((c === 58 || c === 64) && isIdentStart(d) && !(c === 58 && afterValue(tokens.at(-1), i))) {
      while (j < stop && isIdentPart(text.charCodeAt(j))) j++;
      emit('param', j); // :name and @name (not the slice in a[lo:hi])
    } else if (c === 59) {
      emit('semicolon', j);
    } else if (isDigit(c) || (c === 46 && isDigit(d))) {
      emit('number', scanNumber(text, i, stop));
    } else if (isIdentStart(c)) {
      while (j < stop && isIdentPart(text.charCodeAt(j))) j++;
      emit('word', j);
    } else {
      emit('punct', j);
    }
  }
  return tokens;
}

function scanNumber(text: string, i: number, stop: number): number {
  const at = (j: number): number => (j < stop ? text.charCodeAt(j) : -1);
  let j = i;
  const radix = at(i + 1) | 32; // lower-cased
  if (at(i) === 48 && (radix === 120 || radix === 98 || radix === 111) && isHexDigit(at(i + 2))) {
    j = i + 2; // 0x1F, 0b101, 0o17
    while (isHexDigit(at(j)) || at(j) === 95) j++;
    return j;
  }
  while (isDigit(at(j)) || at(j) === 95) j++;
  if (at(j) === 46 && at(j + 1) !== 46) {
    j++;
    while (isDigit(at(j)) || at(j) === 95) j++;
  }
  if ((at(j) | 32) === 101 && (isDigit(at(j + 1)) || ((at(j + 1) === 43 || at(j + 1) === 45) && isDigit(at(j + 2))))) {
    j += 2;
    while (isDigit(at(j))) j++;
  }
  return j;
}

/** `[name]` is an SQLite identifier, except where it can be a subscript (`a[1]`, `(x)[1]`, `ARRAY[1]`). */
function bracketIdentAllowed(previous: SqlToken | undefined): boolean {
  if (!previous) return true;
  switch (previous.type) {
    case 'word':
      return BRACKET_AFTER.has(previous.text.toUpperCase());
    case 'quoted-ident':
    case 'param':
    case 'template':
    case 'number':
      return false;
    case 'punct':
      return previous.text !== ')' && previous.text !== ']';
    default:
      return true;
  }
}

/** Whether the token right before offset `i` (no space between) ends a value, as in `a[lo:hi]`. */
function afterValue(token: SqlToken | undefined, i: number): boolean {
  if (!token || token.end !== i) return false;
  if (token.type === 'punct') return token.text === ')' || token.text === ']';
  return (
    token.type === 'word' ||
    token.type === 'number' ||
    token.type === 'quoted-ident' ||
    token.type === 'param' ||
    token.type === 'template'
  );
}

/** The usable spans: integer, inside the text, non-empty, in order and not overlapping. */
function cleanSpans(opaque: ReadonlyArray<Span>, len: number): Span[] {
  const out: Span[] = [];
  if (!Array.isArray(opaque)) return out;
  let last = 0;
  for (const span of opaque as ReadonlyArray<Span | null | undefined>) {
    if (!span || !Number.isInteger(span.start) || !Number.isInteger(span.end)) continue;
    if (span.start < last || span.end <= span.start || span.end > len) continue;
    out.push({ start: span.start, end: span.end });
    last = span.end;
  }
  return out;
}
