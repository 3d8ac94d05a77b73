/**
 * A heading's text, as a full parse gives it (mdast-util-to-string of its inline content), read
 * without a parse where its inline syntax is only code spans and emphasis that can be told apart
 * for certain; null where it cannot be (markdown-heading-text.ts then parses it in full, about
 * 65 µs a heading in micromark: 1 MB of `# a *b*` took 8.6 s to check).
 *
 * What is read here:
 *  - code spans: a run of backticks up to the next run of exactly as many (no such run: the
 *    backticks are text), its content with one space taken off each end when both ends are a
 *    space and it holds something else (micromark's codeText);
 *  - outside code spans, each of `*` and `_` in at most two delimiter runs: one run alone is text;
 *    two of the same length are emphasis (their marks dropped) when the first can open and the
 *    second close, by micromark's flanking rules (micromark-util-classify-character), or text;
 *    runs of different lengths, or more than two, are left to the parse (the delimiter algorithm);
 *  - with both markers in two runs each, the parse again (one pair may cut the other);
 *  - or else (no code span, no `*` or `_`), links of plain text: `[text](destination)` with a
 *    destination of no white space, parenthesis, angle bracket or backslash, and `[label]` alone,
 *    a link where a definition of the chunk has its label (`defined`), text where none has (and
 *    the parse where `defined` cannot tell).
 * Nothing else outside code spans may be inline syntax: no other brackets, `![`, `<`, `>`, `&`,
 * `\`, `~`, `@`, `www.`, and a colon only before a space or at the end (`:name` is a text
 * directive, `http:` may start an autolink).
 */
import { classifyCharacter } from 'micromark-util-classify-character';

/** Inline syntax this reader does not read, outside code spans and links (a colon is looked at apart). */
const OTHER_SYNTAX = /[[\]<>&\\~@]|!\[|www\./i;
/** A link's text or a label read here: none of the inline syntax above, no `!`, `^` or parentheses. */
const LINK_TEXT = /^(?=.*\S)[^[\]\\&`<>!*_~:@^()\t]{1,999}$/;
/** `[text](destination)`, `[label]` not followed by `(` or `[`, or a bracket that is neither. */
const LINK = /\[([^[\]]*)\](?:\(([^()\s<>\\]*)\)|(?![([]))|[[\]]/g;
/** A colon that may start a text directive or a protocol autolink. */
const COLON = /:(?![ \t]|$)/;

const WHITESPACE = 1;
const PUNCTUATION = 2;

/** A run of `*` or `_` outside code spans: where it starts and how long it is. */
interface Run {
  at: number;
  length: number;
}

export function simpleHeadingText(raw: string, defined: (label: string) => boolean | null): string | null {
  /** Where each code span starts and ends (its backticks included), and its text. */
  const spans: { start: number; end: number; value: string }[] = [];
  const runs: { '*': Run[]; _: Run[] } = { '*': [], _: [] };
  let outside = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
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
      spans.push({ start: i, end: close + n, value });
      outside += ' ';
      i = close + n;
      continue;
    }
    if (c === '*' || c === '_') {
      let n = 1;
      while (raw[i + n] === c) n++;
      runs[c].push({ at: i, length: n });
      outside += ' ';
      i += n;
      continue;
    }
    outside += c;
    i++;
  }
  if (outside.includes('[') || outside.includes(']'))
    return spans.length === 0 && runs['*'].length === 0 && runs._.length === 0 ? linkText(raw, defined) : null;
  if (OTHER_SYNTAX.test(outside) || COLON.test(outside)) return null;
  const dropped: Run[] = [];
  let pairs = 0;
  for (const marker of ['*', '_'] as const) {
    const found = runs[marker];
    if (found.length <= 1) continue;
    if (found.length > 2) return null;
    const [first, second] = found as [Run, Run];
    if (first.length !== second.length) return null;
    pairs++;
    if (flanking(raw, first, marker).open && flanking(raw, second, marker).close) dropped.push(first, second);
  }
  if (pairs > 1) return null;
  // The text: code spans by their content, emphasis without its marks, the rest as written.
  const cuts = [
    ...spans.map((s) => ({ start: s.start, end: s.end, value: s.value })),
    ...dropped.map((r) => ({ start: r.at, end: r.at + r.length, value: '' })),
  ].sort((a, b) => a.start - b.start);
  let text = '';
  let from = 0;
  for (const cut of cuts) {
    text += raw.slice(from, cut.start) + cut.value;
    from = cut.end;
  }
  return text + raw.slice(from);
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
  if (OTHER_SYNTAX.test(outside) || COLON.test(outside) || /[`*_]/.test(outside)) return null;
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
function flanking(raw: string, run: Run, marker: '*' | '_'): { open: boolean; close: boolean } {
  const end = run.at + run.length;
  const before = classify(run.at > 0 ? raw.charCodeAt(run.at - 1) : null);
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
