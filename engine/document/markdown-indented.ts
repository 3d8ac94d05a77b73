/**
 * Indented code blocks, built without micromark: 1 MB of them (`    code` and a blank line, over
 * and over: one block of 200,000 lines, which nothing cuts into chunks) took 5.5 s to check; with
 * them, prose runs (markdown-prose.ts) go on through the code between paragraphs, lists and
 * headings.
 *
 * Lines indented 4 spaces or more, with the blank lines between them, are one code block as
 * micromark reads it (code-indented.js): each line loses 4 spaces, a blank one up to 4; blank
 * lines after the last are not in it (one of 4 spaces or more would be: not taken). Only where nothing goes on into it: after a blank line (or
 * at the text's start; it cannot interrupt a paragraph) or a closer in the first column (an ATX
 * heading, a leaf directive, a break: batched contents are parted by one, markdown-inner.ts), with no line since the last block in the
 * first column that may be (in) a list item or footnote (the code would be theirs), and no
 * indented line before the blank lines (it would go on with that block). It ends before a line
 * indented less, which starts a block of its own. A tab among a line's first 4 columns reaches
 * column 4 (its value starts after it; tabs past it are kept as written); none in a blank line
 * (columns), no carriage return or NUL; never a line of fenced code, HTML blocks or the
 * frontmatter (markdown-literal.ts). It is no closer: a block may start right after it only where
 * one may start after a paragraph.
 */
import type { Code } from 'mdast';
import { nestsInterrupted } from './markdown-item-markers.js';
import { itemMayBeOpen } from './markdown-items.js';
import { type ChunkLine, type ChunkLines, CLEAR, CLOSER_SHAPE, chunkLines } from './markdown-literal.js';

export interface IndentedRun {
  start: number;
  end: number;
  /** Its first line and its last (the same when it has one). */
  lines: ChunkLine[];
}

/**
 * A line of indented code: 4 columns of white space (4 spaces, or up to 3 and a tab, which reaches
 * column 4 from any of them), then something that is not white space, no CR or NUL.
 */
const CODE_LINE = /^(?: {4}| {0,3}\t)[ \t]*[^ \t\r\0][^\r\0]*$/;
/** A blank line within: spaces only. */
const SPACES = /^ *$/;

/** The indented code blocks of `text` (see above); `first`: the document's first chunk. */
export function findIndentedRuns(text: string, first = false): IndentedRun[] {
  if (!/(?:^|\n)(?: {4}| {0,3}\t)/.test(text)) return [];
  const { lines, at, literal, blank, flags } = chunkLines(text, first);
  const runs: IndentedRun[] = [];
  /** Since the last block in the first column: a line that may be (in) a list item or footnote. */
  let inItem = false;
  let afterBlank = true;
  /** The last line that is not blank was indented (code, or in an item). */
  let indented = false;
  /** The line before was a closer in the first column (a heading, a leaf directive, a break). */
  let afterCloser = false;
  for (let row = 0; row < lines.length; row++) {
    if (literal[row]) {
      afterBlank = false;
      afterCloser = false;
      indented = false;
      continue;
    }
    if (blank[row]) {
      afterBlank = true;
      afterCloser = false;
      continue;
    }
    const line = lines[row]!;
    if ((afterBlank || afterCloser) && !inItem && !indented && CODE_LINE.test(line)) {
      const last = codeEnd(lines, blank, literal, row);
      if (last !== -1) {
        runs.push({
          start: at[row]!.start,
          end: at[last]!.end,
          lines: last === row ? [at[row]!] : [at[row]!, at[last]!],
        });
        row = last;
        afterBlank = false;
        afterCloser = false;
        indented = true;
        continue;
      }
    }
    const c = line.charCodeAt(0);
    indented = c === 32 || c === 9;
    const closer = !indented && (flags[row]! & (CLOSER_SHAPE | CLEAR)) === (CLOSER_SHAPE | CLEAR);
    inItem = itemMayBeOpen(inItem, line, afterBlank || closer);
    afterBlank = false;
    afterCloser = closer;
  }
  return runs;
}

/** The row of the last code line of the block starting at `row`, or -1 when a line is not taken. */
function codeEnd(
  lines: readonly string[],
  blank: ChunkLines['blank'],
  literal: ChunkLines['literal'],
  row: number,
): number {
  let last = row;
  /**
   * A blank line of 4 spaces or more since the last code line: micromark takes it into the
   * block's extent even after the last code line (but not its spaces into the value): not taken.
   */
  let deep = false;
  for (let i = row + 1; i < lines.length; i++) {
    if (literal[i]) return deep ? -1 : last;
    const line = lines[i]!;
    if (blank[i]) {
      if (!SPACES.test(line)) return -1;
      if (line.length >= 4) deep = true;
      continue;
    }
    if (CODE_LINE.test(line)) {
      last = i;
      deep = false;
    } else {
      // Indented less: a block of its own, but for a line indented 4 columns that CODE_LINE
      // refuses (a CR, a NUL), and containers holding a list item that could not interrupt a
      // paragraph (an empty one, one numbered other than 1, nested too: nestsInterrupted). micromark
      // reads the first block after indented code as if it came after a paragraph (`    code`, a
      // blank line, `2. x` is code and a paragraph), where code read apart would leave a list there.
      let k = 0;
      while (k < 4 && line.charCodeAt(k) === 32) k++;
      return deep || k === 4 || line.charCodeAt(k) === 9 || nestsInterrupted(line) ? -1 : last;
    }
  }
  return deep ? -1 : last;
}

/** The code node, as micromark and mdast build it; `line`: the line it starts on. */
export function buildIndented(run: IndentedRun, text: string, line: number): Code {
  const first = run.lines[0]!;
  const last = run.lines[run.lines.length - 1]!;
  let value = '';
  let pos = first.start;
  while (true) {
    const newline = text.indexOf('\n', pos);
    const end = newline === -1 || newline > last.end ? last.end : newline;
    // 4 columns of white space are the block's: spaces, or a tab, which reaches column 4.
    let k = pos;
    for (let column = 0; k < end && column < 4; k++) {
      const c = text.charCodeAt(k);
      if (c === 32) column++;
      else if (c === 9) column = 4;
      else break;
    }
    value += text.slice(k, end);
    if (end === last.end) break;
    value += '\n';
    pos = newline + 1;
  }
  return {
    type: 'code',
    lang: null,
    meta: null,
    value,
    position: {
      start: { line, column: 1, offset: first.start },
      end: { line: line + last.row - first.row, column: last.end - last.start + 1, offset: last.end },
    },
  };
}
