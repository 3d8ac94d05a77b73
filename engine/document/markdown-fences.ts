/**
 * Fenced code blocks of plain info, built without micromark: with them, prose runs
 * (markdown-prose.ts) go on through the code between paragraphs, lists, headings and leaf
 * directives, and a runbook's steps in the container form, whose query is a fenced code block
 * (markdown-containers.ts), are read apart from micromark like any prose. micromark spends tens
 * of µs on every block however small: 1 MB of empty fenced code blocks took 9 s to check.
 *
 * A fence is read as micromark reads it (code-fenced.js): up to 3 spaces, 3 or more backticks or
 * tildes, an info string; the content lines, each losing up to as many spaces as the opening had;
 * a closing line of up to 3 spaces, the same character at least as many times, then spaces. The
 * node's `lang` is the info's first word, its `meta` the rest after the spaces that follow (kept
 * to the line's end) or null, its value the content lines; escapes and character references in
 * `lang` and `meta` are decoded (micromark reads the info as string content: the split at spaces
 * comes first, and neither an escape nor a reference holds a space as written). Only what nothing
 * changes is taken: an info string with no tab (columns), no carriage return or NUL anywhere, a
 * fence closed (one left open runs to the end of what holds it), no content line that could close a `:::` container (micromark closes the
 * container first, cutting the fence short), no tab among the spaces a content line loses, and
 * closing lines as markdown-literal.ts reads them (so that no other finder takes a line inside).
 *
 * A fence in the first column is a block of its own wherever it stands outside code, HTML blocks
 * and the frontmatter (markdown-literal.ts), but where a line since the last blank one may have
 * opened an HTML block of types 6 or 7 or be a table's (CLEAR): it interrupts a paragraph and
 * closes every list, block quote and footnote above it, and once closed leaves nothing open. One
 * indented 1 to 3 spaces may be in a list item: it is taken only after a blank line (or at the
 * text's start) with no line since the last block in the first column that may be in an item.
 */
import type { Code } from 'mdast';
import { decodeString } from 'micromark-util-decode-string';
import { itemLine } from './markdown-items.js';
import {
  type ChunkLine,
  type ChunkLines,
  CLEAR,
  CLOSER_SHAPE,
  chunkLines,
  closesFence,
  leadOf,
} from './markdown-literal.js';

export interface FenceRun {
  start: number;
  end: number;
  /** The opening line and the closing one. */
  lines: [ChunkLine, ChunkLine];
  /** The opening line's spaces: where the node starts, and how many each content line loses. */
  indent: number;
  lang: string | null;
  meta: string | null;
}

/** An opening fence with no tab in its info: groups: the spaces, the fence, the info. */
const PLAIN_OPENING = /^( {0,3})(`{3,}|~{3,})([^\t\r\0]*)$/;
/** A closing fence: up to 3 spaces, the fence, spaces. */
const CLOSING = /^ {0,3}(`{3,}|~{3,}) *$/;
/** A line that could close a `:::` container the fence is in. */
const COLONS = /^[ \t]*:{3,}[ \t]*$/;

/**
 * The fence opening at `row` of the chunk's lines, read to its closing line, or null when it is
 * not one micromark certainly reads as written (see above).
 */
export function readFence(chunk: ChunkLines, row: number): FenceRun | null {
  const { lines, at, literal } = chunk;
  const open = PLAIN_OPENING.exec(lines[row]!);
  if (open === null) return null;
  const fence = open[2]!;
  const info = open[3]!;
  // A backtick in a backtick fence's info: no fence at all.
  if (fence[0] === '`' && info.includes('`')) return null;
  const indent = open[1]!.length;
  for (let i = row + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!literal[i]) return null; // (never: markdown-literal.ts reads the same fence)
    if (closesFence(line, fence)) {
      if (!CLOSING.test(line)) return null;
      const { lang, meta } = infoOf(info);
      return { start: at[row]!.start, end: at[i]!.end, lines: [at[row]!, at[i]!], indent, lang, meta };
    }
    if (line.includes('\r') || line.includes('\0') || COLONS.test(line)) return null;
    for (let k = 0; k < indent; k++) {
      const c = line.charCodeAt(k);
      if (c === 9 /* \t */) return null;
      if (c !== 32) break;
    }
  }
  return null; // left open
}

/**
 * A text that is one fence nothing closes, from its first line to the text's end, as micromark
 * reads it: the code runs to the end, its value the lines after the opening (but for the last,
 * when nothing is left of it past the opening's indent: ` ~~~` then `a` then ` ` is `a`). What a list item's content leaving a fence open reads as, with the
 * blank lines after it (markdown-inner-place.ts, InnerAfter): `- ~~~` a line, 1 MB of them, each a
 * micromark parse otherwise. Null for any other text, or one micromark may read otherwise (see above).
 */
export function openFenceDocument(text: string): Code | null {
  const c = text.charCodeAt(leadOf(text));
  if (c !== 96 /* ` */ && c !== 126 /* ~ */) return null;
  const lines = text.split('\n');
  const open = PLAIN_OPENING.exec(lines[0]!);
  if (open === null) return null;
  const fence = open[2]!;
  const info = open[3]!;
  if (fence[0] === '`' && info.includes('`')) return null;
  const indent = open[1]!.length;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (closesFence(line, fence) || line.includes('\r') || line.includes('\0') || COLONS.test(line)) return null;
    for (let k = 0; k < indent; k++) {
      const c = line.charCodeAt(k);
      if (c === 9 /* \t */) return null;
      if (c !== 32) break;
    }
  }
  const last = lines[lines.length - 1]!;
  const body = lines.slice(1).join('\n');
  let value = indent > 0 && body !== '' ? dedent(body, indent) : body;
  // A last line with nothing past the opening's indent is no line of the code's (nor its line ending).
  const cut = value.lastIndexOf('\n');
  if (value.slice(cut + 1) === '') value = cut === -1 ? '' : value.slice(0, cut);
  const { lang, meta } = infoOf(info);
  return {
    type: 'code',
    lang,
    meta,
    value,
    position: {
      start: { line: 1, column: indent + 1, offset: indent },
      end: { line: lines.length, column: last.length + 1, offset: text.length },
    },
  };
}

/** The info string's first word and the rest after the spaces that follow it (kept to the end). */
function infoOf(info: string): { lang: string | null; meta: string | null } {
  let i = 0;
  while (info.charCodeAt(i) === 32) i++;
  if (i === info.length) return { lang: null, meta: null };
  let j = info.indexOf(' ', i);
  if (j === -1) return { lang: decoded(info.slice(i)), meta: null };
  const lang = decoded(info.slice(i, j));
  while (info.charCodeAt(j) === 32) j++;
  return { lang, meta: j === info.length ? null : decoded(info.slice(j)) };
}

/** Part of an info string with its escapes and character references decoded. */
function decoded(raw: string): string {
  return raw.includes('\\') || raw.includes('&') ? decodeString(raw) : raw;
}

/** Whether a line (not literal, not blank) may open a fence: up to 3 spaces, then a backtick or tilde. */
function mayOpen(line: string): number {
  const lead = leadOf(line);
  const c = line.charCodeAt(lead);
  return c === 96 /* ` */ || c === 126 /* ~ */ ? lead : -1;
}

/** The plain fences of `text` (see above), each a run of its own; `first`: the document's first chunk. */
export function findFenceRuns(text: string, first = false): FenceRun[] {
  if (!text.includes('```') && !text.includes('~~~')) return [];
  const chunk = chunkLines(text, first);
  const { lines, literal, blank, flags } = chunk;
  const runs: FenceRun[] = [];
  /** Since the last block in the first column: a line that may be (in) a list item or footnote. */
  let inItem = false;
  let afterBlank = true;
  for (let row = 0; row < lines.length; row++) {
    if (literal[row]) {
      afterBlank = false;
      continue;
    }
    if (blank[row]) {
      afterBlank = true;
      continue;
    }
    const line = lines[row]!;
    const clear = (flags[row]! & CLEAR) !== 0;
    const lead = clear ? mayOpen(line) : -1;
    if (lead === 0 || (lead > 0 && afterBlank && !inItem)) {
      const run = readFence(chunk, row);
      if (run !== null) {
        runs.push(run);
        row = run.lines[1].row;
        inItem = false;
        afterBlank = false;
        continue;
      }
    }
    const c = line.charCodeAt(0);
    if (itemLine(line)) inItem = true;
    else if (c !== 32 && c !== 9 && (afterBlank || (clear && ((flags[row]! & CLOSER_SHAPE) !== 0 || lead === 0))))
      inItem = false;
    afterBlank = false;
  }
  return runs;
}

/** The code node, as micromark and mdast build it; `line`: the line its opening is on. */
export function buildFence(run: FenceRun, text: string, line: number): Code {
  const [opening, closing] = run.lines;
  const from = opening.end + 1;
  let value = from >= closing.start ? '' : text.slice(from, closing.start - 1);
  if (run.indent > 0 && value !== '') value = dedent(value, run.indent);
  return {
    type: 'code',
    lang: run.lang,
    meta: run.meta,
    value,
    position: {
      start: { line, column: run.indent + 1, offset: run.start + run.indent },
      end: { line: line + closing.row - opening.row, column: closing.end - closing.start + 1, offset: closing.end },
    },
  };
}

/** Each line of `value` without up to `indent` spaces at its start. */
function dedent(value: string, indent: number): string {
  let out = '';
  let pos = 0;
  while (true) {
    const newline = value.indexOf('\n', pos);
    const end = newline === -1 ? value.length : newline;
    let k = pos;
    while (k < end && k - pos < indent && value.charCodeAt(k) === 32) k++;
    out += value.slice(k, end);
    if (newline === -1) return out;
    out += '\n';
    pos = newline + 1;
  }
}
