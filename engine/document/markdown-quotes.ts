/**
 * Block quotes of one plain paragraph, built without micromark's block quote construct: with
 * them, prose runs (markdown-prose.ts) go on through the block quotes between lists, paragraphs,
 * headings and leaf directives.
 *
 * micromark re-checks every open block quote on every line, makes events of each `>`, and gives
 * each quote's content a child tokenizer: 1 MB of one-word block quotes took 35 s, and 1 MB of
 * lines 200 quotes deep 2.6 times as long as prose (issue #13 item 5). A run of lines each quoted
 * the same number of levels (`> ` repeated, then plain text, markdown-plain.ts, in which escapes and
 * character references are decoded: DECODED_TEXT) is one paragraph in
 * that many nested block quotes, when it starts a block (at the text's start, after a blank line,
 * or after a closer in the first column: an ATX heading or a leaf directive) and ends at a blank
 * line, the text's end or such a closer: a closer is no lazy line (it interrupts the paragraph),
 * and not being quoted it ends the quotes. A line of plain text in the first column after a quoted
 * one goes on with the paragraph lazily (its text is the line's, the quotes go on to its end, and
 * quoted lines may follow it). A line quoted more or fewer levels would go on with the paragraph
 * lazily or open a quote inside it: such a run is left to micromark. Lines of a bare `>` (and
 * spaces) are a block quote with nothing in it.
 * Lines in fenced code, HTML blocks and the frontmatter are never taken (markdown-literal.ts).
 * test/check/markdown-quotes.test.ts compares the trees built here with micromark's.
 */
import type { Blockquote } from 'mdast';
import { decodeString } from 'micromark-util-decode-string';
import { itemLine, simpleContent } from './markdown-items.js';
import { type ChunkLine, CLEAR, CLOSER_SHAPE, eachLine } from './markdown-literal.js';
import { DECODED_TEXT } from './markdown-plain.js';

/**
 * `> ` once or more, then plain text, which may hold escapes and character references (decoded,
 * DECODED_TEXT) but ends in no white space (no hard break).
 */
const QUOTED = new RegExp(`^((?:> )+)(${DECODED_TEXT})$`, 'u');

/** The same text in the first column: after a quoted line, the paragraph goes on with it lazily. */
const LAZY = new RegExp(`^${DECODED_TEXT}$`, 'u');

/** A line's text as micromark's block parse gives it: escapes and character references decoded. */
const decoded = (line: string): string => (line.includes('\\') || line.includes('&') ? decodeString(line) : line);

/** A `>` with nothing after it but spaces: a block quote with nothing in it. */
const EMPTY = /^> *$/;

export interface QuoteRun {
  start: number;
  end: number;
  /** How many block quotes the paragraph is in (1 for an empty quote). */
  depth: number;
  /** A quote of `>` lines only, with nothing in it. */
  empty: boolean;
  lines: ChunkLine[];
  /** Where each line's text starts, from the line's start: past its `> `s, or 0 for a lazy line. */
  indents: number[];
}

/** The quoted paragraphs of `text`, each a run of its own; `first`: the document's first chunk. */
export function findQuoteRuns(text: string, first = false): QuoteRun[] {
  if (!text.startsWith('>') && !text.includes('\n>')) return [];
  const runs: QuoteRun[] = [];
  let current: ChunkLine[] = [];
  let indents: number[] = [];
  let depth = 0;
  let empty = false;
  /** A quote may start at the next line. */
  let startable = true;
  /** Since the last closer, quote or block in the first column: a line that may be in an item (itemLine). */
  let afterItem = false;
  let afterBlank = false;
  const accept = (): void => {
    if (current.length > 0)
      runs.push({
        start: current[0]!.start,
        end: current[current.length - 1]!.end,
        depth,
        empty,
        lines: current,
        indents,
      });
    drop();
  };
  const drop = (): void => {
    current = [];
    indents = [];
  };
  const open = (at: ChunkLine, levels: number, isEmpty: boolean): void => {
    current = [at];
    indents = [2 * levels];
    depth = levels;
    empty = isEmpty;
  };
  eachLine(text, first, (line, at, literal, blank, flags) => {
    if (literal) {
      // Code, HTML or frontmatter: nothing starts here, and a quote does not go on through it.
      drop();
      startable = false;
      return;
    }
    if (blank) {
      accept();
      startable = !afterItem;
      afterBlank = true;
      return;
    }
    const quoted = line.charCodeAt(0) === 62 /* > */ ? QUOTED.exec(line) : null;
    const bare = quoted === null && line.charCodeAt(0) === 62 && EMPTY.test(line);
    // A lazy line: plain text going on with the paragraph of the quoted lines before it.
    const lazy = quoted === null && !bare && current.length > 0 && !empty && LAZY.test(line);
    if (quoted || bare || lazy) {
      const levels = quoted ? quoted[1]!.length / 2 : 1;
      if (lazy) {
        current.push(at);
        indents.push(0);
      } else if (current.length > 0 && levels === depth && bare === empty) {
        current.push(at);
        indents.push(2 * levels);
      } else if (current.length === 0 && startable) open(at, levels, bare);
      else drop(); // quoted another number of levels: lazy, or a quote in the quote
      startable = false;
      afterItem = false;
      afterBlank = false;
      return;
    }
    const closer = (flags & CLOSER_SHAPE) !== 0 && (flags & CLEAR) !== 0;
    if (closer) accept();
    drop();
    startable = closer;
    // A list item of plain text in the first column ends every item before it and leaves
    // nothing open; any other item line may; a line in the first column after a blank line
    // that is no item ends every item.
    if (closer || (line.charCodeAt(0) !== 32 && simpleContent(line) !== -1)) afterItem = false;
    else if (itemLine(line)) afterItem = true;
    else if (afterBlank) afterItem = false;
    afterBlank = false;
  });
  accept();
  return runs;
}

/** The run's block quotes around its paragraph, as micromark and mdast build them; `firstLine`: its first line. */
export function buildQuote(run: QuoteRun, text: string, firstLine: number): Blockquote {
  const last = run.lines[run.lines.length - 1]!;
  const lastLine = firstLine + run.lines.length - 1;
  const end = { line: lastLine, column: last.end - last.start + 1, offset: last.end };
  if (run.empty)
    return {
      type: 'blockquote',
      children: [],
      position: { start: { line: firstLine, column: 1, offset: run.start }, end },
    };
  const contentStart = run.start + 2 * run.depth;
  const start = { line: firstLine, column: 2 * run.depth + 1, offset: contentStart };
  const value =
    run.lines.length === 1
      ? decoded(text.slice(contentStart, run.end))
      : run.lines.map((l, i) => decoded(text.slice(l.start + run.indents[i]!, l.end))).join('\n');
  let node: Blockquote['children'][number] = {
    type: 'paragraph',
    children: [{ type: 'text', value, position: { start: { ...start }, end: { ...end } } }],
    position: { start, end: { ...end } },
  };
  for (let i = run.depth - 1; i >= 0; i--) {
    node = {
      type: 'blockquote',
      children: [node],
      position: { start: { line: firstLine, column: 2 * i + 1, offset: run.start + 2 * i }, end: { ...end } },
    };
  }
  return node as Blockquote;
}
