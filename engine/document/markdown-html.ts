/**
 * HTML blocks of one line, and comments and block tags' blocks of several, built without
 * micromark: with them, prose runs (markdown-prose.ts) go on through the comments and block tags
 * between lists, paragraphs and headings. 1 MB of
 * `<!-- a -->` lines was one chunk for micromark (no place to cut it: each line is a block of its
 * own) at tens of µs a block.
 *
 * Three shapes, each in the first column where a block may start (not literal, no HTML block of
 * types 6 or 7 or table open above it since the last blank line), with no tab, carriage return
 * or NUL (micromark's columns and replacements):
 * - a comment that closes on its line (COMMENT, markdown-plain.ts; CommonMark's type 2): it ends
 *   there, so the next line starts a block of its own, and it interrupts a paragraph and closes
 *   every list and block quote above it, as an ATX heading does (it is a CLOSER);
 * - a comment over several lines: its opening line `<!--` with no `-->` after it, then the lines
 *   markdown-literal.ts reads as inside it, the last the first holding `-->` (micromark looks for
 *   it within each line), text after it and all; it too is a block that ends there and
 *   interrupts or closes what is above it (lines after it up to a blank one are not CLEAR: the
 *   finders leave them alone). None of its lines with a tab, carriage return or NUL, nor a line
 *   of colons (which may close a `:::` container around it, and the comment with it);
 * - an opening or closing tag of a block element (CommonMark's type 6: `<div>`, `</p>`): such a
 *   block runs on to a blank line whatever its lines hold, so it is its line and the lines after
 *   it up to a blank line or the text's end (a chunk's end is a document's: parseChunks
 *   appends a leaf directive to every chunk but the last, which the block runs into); none
 *   of them literal (a line there that markdown-literal.ts takes for a fence's or another HTML
 *   block's opening makes it no run: what it thinks open would run past the blank line), nor
 *   with a tab, carriage return or NUL, nor a line of colons (which may close a `:::` container
 *   around the block, and the block with it). Its first line may be indented 1 to 3 spaces where
 *   no list item or footnote definition may be open above it (markdown-headings.ts tracks it the
 *   same way): the node's value keeps those spaces, as micromark's does. 1 MB of `  <div>` and a
 *   blank line was micromark's, 2 s.
 * mdast's node is `html` with the lines as their value, as written, trailing spaces and all.
 *
 * A text that is one block tag's block and nothing else is read whole (htmlDocument): the end of
 * a document ends the block as a blank line does. That is what a list item or a block quote
 * holding `<div>` is, read as a document of its own (markdown-inner.ts): one micromark parse
 * each, most of 1 MB of `- - <div>` lines' time.
 */
import type { Html } from 'mdast';
import { htmlBlockNames, htmlRawNames } from 'micromark-util-html-tag-name';
import { itemMayBeOpen } from './markdown-items.js';
import {
  type ChunkLine,
  type ChunkLines,
  CLEAR,
  CLEAR_BEFORE,
  CLOSER_SHAPE,
  chunkLines,
  leadOf,
} from './markdown-literal.js';
import { COMMENT } from './markdown-plain.js';

export interface HtmlRun {
  start: number;
  end: number;
  /** Its first line, and its last when it is another. */
  lines: [ChunkLine] | [ChunkLine, ChunkLine];
  /** A comment: the line after it starts a block (a CLOSER); a block tag has a blank line after it. */
  closer: boolean;
}

/**
 * Where a block tag's HTML block starts (CommonMark's type 6: `<div`, `</p`, then a space, a tab,
 * `>`, `/>` or the line's end). Type 1's names (`<pre>`, `<script>`, ...), which are checked
 * before it, are not among htmlBlockNames.
 */
const BLOCK_TAG_START = new RegExp(`^ {0,3}</?(?:${htmlBlockNames.join('|')})(?:[ \\t>\\r\\n]|/>|$)`, 'i');

/** Whether `line` opens an HTML block of a block tag (type 6): one that interrupts a paragraph and a blank line ends. */
export const opensBlockTag = (line: string): boolean => BLOCK_TAG_START.test(line);

/**
 * A line that is a complete tag and nothing else (CommonMark's type 7, `<span>`, `</x-a>`), in a
 * shape micromark's html-flow.js takes for one: each attribute after a space or tab, a value
 * quoted or of characters other than spaces, quotes, `=<>\``, and `/`. The name must be neither
 * a block tag's (type 6) nor a raw one's (type 1: `pre`, `script`, `style`, `textarea`).
 */
const COMPLETE_TAG =
  /^ {0,3}<(?:([A-Za-z][A-Za-z0-9-]*)(?:[ \t]+[A-Za-z_:][A-Za-z0-9_.:-]*(?:[ \t]*=[ \t]*(?:"[^"\r\n]*"|'[^'\r\n]*'|[^ \t\r\n"'=<>`/]+))?)*[ \t]*\/?|\/([A-Za-z][A-Za-z0-9-]*)[ \t]*)>[ \t]*(?:\r?\n|\r|$)/;
const OTHER_NAMES = new Set([...htmlBlockNames, ...htmlRawNames]);

/**
 * Whether the HTML block starting `text` is one a blank line ends (CommonMark's types 6 and 7): it
 * runs on to a blank line, a line that closes its container, or the end, never past them, so in a
 * container it ends where the container's content does at the latest. The other types run on
 * through blank lines to their end marker (`-->`, `</pre>`).
 */
export function endsAtBlankLine(text: string): boolean {
  if (BLOCK_TAG_START.test(text)) return true;
  const tag = COMPLETE_TAG.exec(text);
  return tag !== null && !OTHER_NAMES.has((tag[1] ?? tag[2]!).toLowerCase());
}

/** Text with no tab, carriage return or NUL (micromark's columns and replacements). */
const PLAIN = /^[^\t\r\0]*$/;

/** A block tag's line in the first column, with no tab, carriage return or NUL (see above). */
const blockTagLine = (line: string): boolean =>
  line.charCodeAt(0) === 60 /* < */ && PLAIN.test(line) && BLOCK_TAG_START.test(line);

/**
 * A line in a block tag's block after its first: no tab, carriage return or NUL, and no line of
 * colons (in a `:::` container, a closing fence ends the container and the HTML block in it).
 */
const INSIDE = /^(?! *:{3,} *$)[^\t\r\0]*$/;

/** A blank line: spaces only (the texts read here have no tab). */
const BLANK = /^ *$/;

/** A comment's or a raw tag's opening (CommonMark's types 2 and 1), in the first column. */
const RUNS_ON = /^<(?:!--|(?:pre|script|style|textarea)(?=[ >]|$))/i;

/**
 * The html node of `text` read as a document, when all of it is one comment or raw tag's block
 * (`<!--`, `<pre>`) that nothing ends: no `>` after a comment's opening, no `</` after a raw tag's,
 * no tab, carriage return, NUL or line of colons. It runs to the end, all of the text its value.
 * What a list item's content leaving one open reads as, with the blank lines after it
 * (markdown-inner.ts, InnerAfter): `- <!--` a line, 1 MB of them, each a micromark parse otherwise.
 */
export function openHtmlDocument(text: string): Html | null {
  const open = RUNS_ON.exec(text);
  if (open === null) return null;
  if (text.includes(open[0] === '<!--' ? '>' : '</', open[0].length)) return null;
  const lines = text.split('\n');
  if (!PLAIN.test(lines[0]!)) return null;
  for (let i = 1; i < lines.length; i++) if (!INSIDE.test(lines[i]!)) return null;
  return {
    type: 'html',
    value: text,
    position: {
      start: { line: 1, column: 1, offset: 0 },
      end: { line: lines.length, column: lines[lines.length - 1]!.length + 1, offset: text.length },
    },
  };
}

/** A multi-line comment's opening line: no tab, carriage return or NUL (its `-->` is looked for apart). */
const COMMENT_OPENING = /^<!--[^\t\r\0]*$/;

/** The row of the line closing the comment opening at `row` over several lines (see above), or -1. */
function commentEnd(lines: readonly string[], literal: ChunkLines['literal'], row: number): number {
  if (!COMMENT_OPENING.test(lines[row]!) || lines[row]!.includes('-->', 1)) return -1;
  for (let i = row + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!literal[i] || !INSIDE.test(line)) return -1;
    if (line.includes('-->')) return i;
  }
  return -1; // left open
}

/** The HTML blocks of `text` (see above), each a run of its own; `first`: the document's first chunk. */
export function findHtmlRuns(text: string, first = false): HtmlRun[] {
  if (!text.includes('<')) return [];
  const runs: HtmlRun[] = [];
  const { lines, at, literal, blank, flags } = chunkLines(text, first);
  /** The run starting at `row` (its first line `indent` spaces in), pushed: its last row, or -1. */
  const runAt = (row: number, indent: number): number => {
    const line = lines[row]!;
    if (indent === 0 && COMMENT.test(line)) {
      runs.push({ start: at[row]!.start, end: at[row]!.end, lines: [at[row]!], closer: true });
      return row;
    }
    if (indent === 0 && line.startsWith('<!--')) {
      const last = commentEnd(lines, literal, row);
      if (last !== -1)
        runs.push({ start: at[row]!.start, end: at[last]!.end, lines: [at[row]!, at[last]!], closer: true });
      return last;
    }
    if (!blockTagLine(indent === 0 ? line : line.slice(indent))) return -1;
    let last = row;
    while (last + 1 < lines.length && !blank[last + 1] && !literal[last + 1] && INSIDE.test(lines[last + 1]!)) last++;
    // A blank line after it, not literal, or the text's end, which ends it as a blank line does (a
    // chunk's text is a document of its own: parseChunks appends a line to all but the last).
    const after = last + 1;
    if (after < lines.length && (!blank[after] || literal[after])) return -1;
    const firstAt = at[row]!;
    const lastAt = at[last]!;
    runs.push({
      start: firstAt.start,
      end: lastAt.end,
      lines: last === row ? [firstAt] : [firstAt, lastAt],
      closer: false,
    });
    return last;
  };
  /** Since the last block in the first column: a line that may be (in) a list item or footnote. */
  let inItem = false;
  let afterBlank = true;
  for (let row = 0; row < lines.length; row++) {
    const line = lines[row]!;
    if (literal[row] || blank[row]) {
      afterBlank = blank[row] === 1;
      continue;
    }
    // Indented 1 to 3 spaces, a block tag's block is one where no list item may hold it.
    const indent = line.charCodeAt(0) === 32 && !inItem ? leadOf(line) : 0;
    const last =
      indent <= 3 && line.charCodeAt(indent) === 60 /* < */ && (flags[row]! & CLEAR_BEFORE) !== 0
        ? runAt(row, indent)
        : -1;
    if (last === -1) {
      const closer = (flags[row]! & (CLOSER_SHAPE | CLEAR)) === (CLOSER_SHAPE | CLEAR);
      inItem = itemMayBeOpen(inItem, line, afterBlank || closer);
      afterBlank = false;
      continue;
    }
    // It ends every list item above it.
    inItem = false;
    afterBlank = false;
    row = last;
  }
  return runs;
}

/** The HTML node, as micromark and mdast build it; `line`: the line it is on. */
export function buildHtml(run: HtmlRun, text: string, line: number): Html {
  const first = run.lines[0];
  const last = run.lines[run.lines.length - 1]!;
  return {
    type: 'html',
    value: text.slice(run.start, run.end),
    position: {
      start: { line, column: 1, offset: run.start },
      end: { line: line + last.row - first.row, column: last.end - last.start + 1, offset: run.end },
    },
  };
}

/**
 * The html node of `text` read as a document, when all of it is one HTML block that a blank line
 * ends (endsAtBlankLine: a block tag's, `<div>`, or a complete tag's alone on its line, `<span>`),
 * its first line in the first column or 1 to 3 spaces in (its value keeps them: a block quote's
 * `> \t<div>`, its tab read as 2 spaces), and no blank line, tab, carriage return, NUL or line of
 * colons in it; only blank lines after it. Or a comment closing on its first line (commentDocument).
 * Null otherwise.
 */
export function htmlDocument(text: string): Html | null {
  const lead = leadOf(text);
  if (text.charCodeAt(lead) !== 60 /* < */ || !PLAIN.test(text)) return null;
  const lines = text.split('\n');
  if (!endsAtBlankLine(text)) return commentDocument(lines, lead);
  // Blank lines may follow it (a list item's content read with those after it: markdown-inner.ts).
  let count = 1;
  while (count < lines.length && !BLANK.test(lines[count]!)) count++;
  for (let i = count; i < lines.length; i++) if (!BLANK.test(lines[i]!)) return null;
  for (let i = 1; i < count; i++) if (!INSIDE.test(lines[i]!)) return null;
  const last = lines[count - 1]!;
  const end = count === lines.length ? text.length : text.length - lines.slice(count).join('\n').length - 1;
  return {
    type: 'html',
    value: text.slice(0, end),
    position: {
      start: { line: 1, column: 1, offset: 0 },
      end: { line: count, column: last.length + 1, offset: end },
    },
  };
}

/**
 * The html node of a document that is a comment closing on its first line, 1 to 3 spaces in or
 * none, and blank lines after it (a block quote's `> \t<!-- a -->`, its tab read as 2 spaces).
 */
function commentDocument(lines: readonly string[], lead: number): Html | null {
  const first = lines[0]!;
  if (!COMMENT.test(lead === 0 ? first : first.slice(lead))) return null;
  for (let i = 1; i < lines.length; i++) if (!BLANK.test(lines[i]!)) return null;
  return {
    type: 'html',
    value: first,
    position: {
      start: { line: 1, column: 1, offset: 0 },
      end: { line: 1, column: first.length + 1, offset: first.length },
    },
  };
}
