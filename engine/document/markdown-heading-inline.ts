/**
 * A heading's text, as a full parse gives it (mdast-util-to-string of its inline content), read
 * without a parse where its inline syntax is only code spans, emphasis, escapes, character
 * references or plain links; null where it cannot be told for certain (markdown-heading-text.ts
 * then parses it in full, about 65 µs a heading in micromark: 1 MB of `# a *b*` took 8.6 s to
 * check, of `# a \* b` 13 s).
 *
 * What is read here:
 *  - code spans: a run of backticks up to the next run of exactly as many (no such run: the
 *    backticks are text), its content with one space taken off each end when both ends are a
 *    space and it holds something else (micromark's codeText);
 *  - outside code spans, escapes (a backslash before ASCII punctuation: that character, as text)
 *    and character references (micromark-util-decode-string's), decoded, and an `&` that starts
 *    none kept as text;
 *  - runs of `*` and `_`: each may open and close emphasis by micromark's flanking rules
 *    (micromark-util-classify-character, of the characters either side as written), and openers
 *    and closers are matched as micromark's attention construct matches them (`emphasis`); the
 *    marks they take are dropped, the rest are text;
 *  - or else (no code span, escape, reference, `*` or `_`), links of plain text:
 *    `[text](destination)` with a destination of no white space, parenthesis, angle bracket or
 *    backslash, and `[label]` alone, a link where a definition of the chunk has its label
 *    (`defined`), text where none has (and the parse where `defined` cannot tell).
 * Nothing else outside code spans may be inline syntax: no other brackets, `![`, `<`, `>`, or
 * `\` that is not read above, `~`, `@` between an email's characters, `www.`, and a colon only before a space or at the end
 * (`:name` is a text directive, `http:` may start an autolink).
 */
import { classifyCharacter } from 'micromark-util-classify-character';
import { decodeString } from 'micromark-util-decode-string';

/**
 * An `@` that may be an email autolink's (GFM: an email's character before it, a domain's after
 * it); any other `@` is text.
 */
export const EMAIL_AT = '[A-Za-z0-9.+_-]@[A-Za-z0-9._-]';
/** Inline syntax this reader does not read, outside code spans and links (a colon is looked at apart). */
const OTHER_SYNTAX = /[[\]<>&\\~]|!\[|www\./i;
/**
 * An email autolink's `@`, looked for in the heading as written (emphasis marks are characters of
 * an email: `a_@b.c`, where the text outside code and emphasis has a space for the `_`).
 */
const MAY_BE_EMAIL = new RegExp(EMAIL_AT);
/** A link's text or a label read here: none of the inline syntax above, no `!`, `^` or parentheses. */
const LINK_TEXT = /^(?=.*\S)[^[\]\\&`<>!*_~:@^()\t]{1,999}$/;
/** `[text](destination)`, `[label]` not followed by `(` or `[`, or a bracket that is neither. */
const LINK = /\[([^[\]]*)\](?:\(([^()\s<>\\]*)\)|(?![([]))|[[\]]/g;
/** A colon that may start a text directive or a protocol autolink. */
const COLON = /:(?![ \t]|$)/;

const WHITESPACE = 1;
const PUNCTUATION = 2;

/**
 * A run of `*` or `_` outside code spans: where it starts, how long it is, whether it may open
 * and close emphasis, and how many of its marks emphasis has taken.
 */
interface Run {
  at: number;
  length: number;
  marker: '*' | '_';
  open: boolean;
  close: boolean;
  /** Its marks not taken yet (micromark shrinks a sequence as emphasis takes its marks). */
  left: number;
  /** Still a delimiter: false once emphasis closed around it, or it has no marks left. */
  alive: boolean;
}

/** Something in the heading read as other than itself: a code span, an escape, a reference, marks taken. */
interface Cut {
  start: number;
  end: number;
  value: string;
}

/** An ASCII punctuation character: what a backslash escapes. */
const ESCAPABLE = /[!-/:-@[-`{-~]/;
/** A character reference, as micromark-util-decode-string finds them (named ones checked by decoding). */
const REFERENCE = /&(?:#(?:\d{1,7}|[xX][\da-fA-F]{1,6})|[\da-zA-Z]{1,31});/y;

export function simpleHeadingText(raw: string, defined: (label: string) => boolean | null): string | null {
  const cuts: Cut[] = [];
  const runs: Run[] = [];
  let spans = 0;
  let outside = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length && ESCAPABLE.test(raw[i + 1]!)) {
      // An escape: the character after it, as text (not syntax).
      cuts.push({ start: i, end: i + 2, value: raw[i + 1]! });
      outside += 'xx';
      i += 2;
      continue;
    }
    if (c === '&') {
      REFERENCE.lastIndex = i;
      const reference = REFERENCE.exec(raw)?.[0];
      const value = reference === undefined ? undefined : decodeString(reference);
      if (reference !== undefined && value !== reference) {
        cuts.push({ start: i, end: i + reference.length, value: value! });
        outside += 'x';
        i += reference.length;
        continue;
      }
      // No reference starts here (`Backup & Restore`, `&nope;`): micromark keeps the `&` as text.
      outside += 'x';
      i++;
      continue;
    }
    if (c === '`') {
      let n = 1;
      while (raw[i + n] === '`') n++;
      const close = closingRun(raw, i + n, n);
      if (close === -1) {
        outside += raw.slice(i, i + n);
        i += n;
        continue;
      }
      let value = raw.slice(i + n, close);
      if (value.length >= 2 && value[0] === ' ' && value[value.length - 1] === ' ' && /[^ ]/.test(value))
        value = value.slice(1, -1);
      cuts.push({ start: i, end: close + n, value });
      spans++;
      outside += ' ';
      i = close + n;
      continue;
    }
    if (c === '*' || c === '_') {
      let n = 1;
      while (raw[i + n] === c) n++;
      const { open, close } = flanking(raw, i, n, c);
      runs.push({ at: i, length: n, marker: c, open, close, left: n, alive: true });
      outside += ' ';
      i += n;
      continue;
    }
    outside += c;
    i++;
  }
  if (outside.includes('[') || outside.includes(']'))
    return spans === 0 && runs.length === 0 && cuts.length === 0 ? linkText(raw, defined) : null;
  if (OTHER_SYNTAX.test(outside) || COLON.test(outside) || MAY_BE_EMAIL.test(raw)) return null;
  emphasis(runs);
  // The text: code spans by their content, escapes and references decoded, marks emphasis took
  // dropped, the rest as written.
  for (const run of runs)
    if (run.left < run.length)
      cuts.push({ start: run.at, end: run.at + run.length, value: run.marker.repeat(run.left) });
  cuts.sort((a, b) => a.start - b.start);
  let text = '';
  let from = 0;
  for (const cut of cuts) {
    text += raw.slice(from, cut.start) + cut.value;
    from = cut.end;
  }
  return text + raw.slice(from);
}

/**
 * Matches openers with closers as micromark's attention construct does (resolveAllAttention):
 * each closer, in order, with the nearest live opener of its marker before it (not where one of
 * them may both open and close, the closer's length is no multiple of 3 and both lengths'
 * sum is), taking two marks of each where both have two, else one; every delimiter between
 * them is text from then on, and a closer with marks left looks again.
 */
function emphasis(runs: Run[]): void {
  for (let c = 0; c < runs.length; c++) {
    const closer = runs[c]!;
    if (!closer.close) continue;
    while (closer.alive) {
      let o = c - 1;
      for (; o >= 0; o--) {
        const opener = runs[o]!;
        if (!opener.alive || !opener.open || opener.marker !== closer.marker) continue;
        if ((opener.close || closer.open) && closer.left % 3 && !((opener.left + closer.left) % 3)) continue;
        break;
      }
      if (o < 0) break;
      const opener = runs[o]!;
      const use = opener.left > 1 && closer.left > 1 ? 2 : 1;
      opener.left -= use;
      closer.left -= use;
      for (let k = o + 1; k < c; k++) runs[k]!.alive = false;
      if (opener.left === 0) opener.alive = false;
      if (closer.left === 0) closer.alive = false;
    }
  }
}

/** The text of a heading whose inline syntax is plain links (see above), or null. */
function linkText(raw: string, defined: (label: string) => boolean | null): string | null {
  let text = '';
  let from = 0;
  let outside = '';
  for (const m of raw.matchAll(LINK)) {
    const [whole, label, destination] = m;
    if (label === undefined || !LINK_TEXT.test(label) || /www\./i.test(label) || raw[m.index - 1] === '!') return null;
    const before = raw.slice(from, m.index);
    outside += before;
    const known = destination !== undefined || defined(label);
    if (known === null) return null;
    const link = known;
    text += before + (link ? label : whole);
    from = m.index + whole.length;
  }
  outside += raw.slice(from);
  if (OTHER_SYNTAX.test(outside) || COLON.test(outside) || MAY_BE_EMAIL.test(raw) || /[`*_]/.test(outside)) return null;
  return text + raw.slice(from);
}

/** Where the next run of exactly `n` backticks from `from` starts, or -1. */
function closingRun(raw: string, from: number, n: number): number {
  for (let i = raw.indexOf('`', from); i !== -1; i = raw.indexOf('`', i)) {
    let m = 1;
    while (raw[i + m] === '`') m++;
    if (m === n) return i;
    i += m;
  }
  return -1;
}

/**
 * Whether a delimiter run may open and close emphasis, as micromark's attention construct decides
 * from the UTF-16 code units either side of it (a text's edge is white space).
 */
function flanking(raw: string, at: number, length: number, marker: '*' | '_'): { open: boolean; close: boolean } {
  const end = at + length;
  const before = classify(at > 0 ? raw.charCodeAt(at - 1) : null);
  const after = classify(end < raw.length ? raw.charCodeAt(end) : null);
  const open = !after || (after === PUNCTUATION && before !== undefined);
  const close = !before || (before === PUNCTUATION && after !== undefined);
  return marker === '*'
    ? { open, close }
    : { open: open && (before !== undefined || !close), close: close && (after !== undefined || !open) };
}

function classify(code: number | null): typeof WHITESPACE | typeof PUNCTUATION | undefined {
  return classifyCharacter(code) as typeof WHITESPACE | typeof PUNCTUATION | undefined;
}
