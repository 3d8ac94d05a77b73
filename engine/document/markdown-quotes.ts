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
 * after a closer in the first column: an ATX heading or a leaf directive, or after a list item of
 * plain text there that interrupts a paragraph: a bullet or `1`, which ends its list) and ends
 * at a blank line, the text's end, such a closer or such an item: neither is a lazy line (each
 * interrupts the paragraph), and not being quoted it ends the quotes. A line of plain text in the first column after a quoted
 * one goes on with the paragraph lazily (its text is the line's, the quotes go on to its end, and
 * quoted lines may follow it). A line quoted more or fewer levels would go on with the paragraph
 * lazily or open a quote inside it: such a run is left to micromark. Lines of a bare `>` (and
 * spaces) are a block quote with nothing in it. After a bare `>`, or a quoted fence's line, no
 * paragraph is open in any quote (quoteParagraphEnds, markdown-literal.ts), so a line of plain
 * text in the first column right after one goes on with none: it ends the quote (whatever it
 * holds) and starts a paragraph, which the next quote's `>` interrupts (1 MB of `>` and text, of
 * `> - x`, `>` and text, or of `> ```` and text, with no blank line: one chunk, micromark's time
 * the square of its length, 64 KB 13 to 44 s).
 * A run of lines each `> `, a bullet marker, one space and such text (`> - a`), all of one marker,
 * is one block quote holding a tight list of one-line items, where a quoted paragraph may start
 * and ending where one does (1 MB of `> - a` blocks took 25 to 37 s to check, micromark nesting a
 * list in each quote). A line quoted in any other way after it, or a lazy one, would go on in
 * the last item or open another block in the quote: such a run is left to micromark.
 * Lines in fenced code, HTML blocks and the frontmatter are never taken (markdown-literal.ts).
 * test/check/markdown-quotes.test.ts compares the trees built here with micromark's.
 */
import type { Blockquote, List, ListItem, Root } from 'mdast';
import type { Point } from 'unist';
import { decodeString } from 'micromark-util-decode-string';
import { readInner, takeInner } from './markdown-inner.js';
import type { InnerBlock } from './markdown-inner-place.js';
import type { InnerLine } from './markdown-inner-lead.js';
import { nestsInterrupted, tabsInText } from './markdown-item-markers.js';
import { itemLine, itemShape, readItem, simpleContent } from './markdown-items.js';
import { interruptsParagraph } from './markdown-list-nest.js';
import {
  type ChunkLine,
  CLEAR,
  CLOSER_SHAPE,
  eachLine,
  exactly,
  leadOf,
  quoteParagraphEnds,
} from './markdown-literal.js';
import { DECODED_TEXT } from './markdown-plain.js';
import { copyPoint } from './markdown-shift.js';
import type { Keep } from './markdown-skeleton.js';

/**
 * `> ` once or more, then plain text, which may hold escapes and character references (decoded,
 * DECODED_TEXT) but ends in no white space (no hard break).
 */
const QUOTED = new RegExp(`^((?:> )+)(${DECODED_TEXT})$`, 'u');

/**
 * `> `, a bullet list item's marker and one space, then the same text: a list item of one line in a
 * block quote (a list item may not be empty, start with another marker or a task's box, or have
 * its text in indented code: DECODED_TEXT starts with none of those).
 */
const LISTED = new RegExp(`^> ([-*+]) (?:${DECODED_TEXT})$`, 'u');

/** The same text in the first column: after a quoted line, the paragraph goes on with it lazily. */
const LAZY = new RegExp(`^${DECODED_TEXT}$`, 'u');

/** A line's text as micromark's block parse gives it: escapes and character references decoded. */
const decoded = (line: string): string => (line.includes('\\') || line.includes('&') ? decodeString(line) : line);

/** What a line that may open fenced code, an HTML block or a `:::` container (named) holds. */
const MAY_HOLD_OPEN = /```|~~~|:{3,}[^:\s]|:{3,}\t|</;

/** A list item's marker in the first column, then white space: one that may interrupt a paragraph (nestsInterrupted says). */
const INTERRUPTING_ITEM = /^(?:[-*+]|\d{1,9}[.)])[ \t]/;

const shape = itemShape();
/**
 * A list item of plain text (no task's box) that interrupts a paragraph (a bullet, or numbered
 * `1`): wherever it stands it is an item, no lazy line, and leaves nothing open after it.
 */
const interruptingItem = (line: string): boolean =>
  readItem(line, shape) && shape.checked === null && interruptsParagraph(shape);

/** A `>` with nothing after it but spaces: a block quote with nothing in it. */
const EMPTY = /^> *$/;

/** A line indented 4 columns or more: indented code, or a paragraph's line (taken as code). */
const INDENTED = /^(?: {4}| {0,3}\t)/;

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
  /**
   * A quote holding one tight bullet list instead of a paragraph: the items' marker (`-`, `*`
   * or `+`), one item a line; 0 for a paragraph.
   */
  marker: number;
  /**
   * A quote of any other content, read as a document of its own (markdown-inner.ts): its lines, each
   * `>` and the space after it taken off. Null for the shapes above.
   */
  inner: InnerBlock | null;
}

/**
 * The characters of a quoted line that are the block quote's: the spaces before its `>`, the `>`
 * and the space after it, if one.
 */
const prefixOf = (line: string): number => {
  const lead = leadOf(line);
  return lead + (line.charCodeAt(lead + 1) === 32 ? 2 : 1);
};

/**
 * A quote's lines as its content is read (markdown-inner.ts), or null where one holds a carriage
 * return, or a tab past its leading white space but for one in its text (tabsInText). A tab's
 * width depends on its column, and the content's (2 past the `>`) is no tab stop: a tab in the
 * leading white space is read as the spaces it reaches (micromark takes one column of a tab right
 * after the `>` for the optional space).
 */
function innerLines(lines: readonly ChunkLine[], indents: readonly number[], text: string): InnerLine[] | null {
  const out: InnerLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const { start, end, row } = lines[i]!;
    const prefix = indents[i]!;
    const line = text.slice(start, end);
    if (line.includes('\r')) return null;
    if (!line.includes('\t')) {
      out.push({ start, end, row, prefix });
      continue;
    }
    // The content starts 2 columns past the `>` (prefix 0 for a lazy line: no quote marker).
    if (prefix === 0) return null;
    const quote = line.indexOf('>');
    const content = quote + 2;
    let at = prefix;
    let column = prefix === quote + 1 ? quote + 1 : content;
    let lead = '';
    /** Where micromark stands at each column read as a space: at a character's first column, there; past it (a tab's), after it. */
    const leadAt: number[] = [];
    // At a content column that is a tab stop, tabs from it on are as wide as in a document.
    const aligned = content % 4 === 0;
    for (; line.charCodeAt(at) === 9 || line.charCodeAt(at) === 32; at++) {
      if (aligned && column >= content) break;
      const next = line.charCodeAt(at) === 9 ? column + 4 - (column % 4) : column + 1;
      for (let v = Math.max(column, content); v < next; v++) {
        lead += ' ';
        leadAt.push(v === column ? at - prefix : at + 1 - prefix);
      }
      column = next;
    }
    if (!aligned && line.includes('\t', at) && !tabsInText(line, at)) return null;
    // Leading white space of spaces only (the tabs in the text) is read as written.
    if (at === prefix || !line.slice(prefix, at).includes('\t')) out.push({ start, end, row, prefix });
    else out.push({ start, end, row, prefix, lead, leadChars: at - prefix, leadAt });
  }
  return out;
}

/**
 * The quoted paragraphs of `text`, each a run of its own; `first`: the document's first chunk;
 * `parse`: the chunk's reader, which reads quotes of any other content (markdown-inner.ts): with
 * none, those are left to micromark.
 */
export function findQuoteRuns(text: string, first = false, parse?: (inner: string) => Root, keep?: Keep): QuoteRun[] {
  if (!text.startsWith('>') && !text.includes('\n>') && !/(?:^|\n) {1,3}>/.test(text)) return [];
  const runs: QuoteRun[] = [];
  let current: ChunkLine[] = [];
  let indents: number[] = [];
  let depth = 0;
  let empty = false;
  let marker = 0;
  /** A quote may start at the next line. */
  let startable = true;
  /** Since the last closer, quote or block in the first column: a line that may be in an item (itemLine). */
  let afterItem = false;
  /**
   * Such a line since then may have opened what blank lines do not end (a fence, an HTML block, a
   * `:::` container): it would run on to the next line in the first column, a quote's too.
   */
  let openInItem = false;
  let afterBlank = false;
  /** A quoted line since the last blank line or closer: a line of text may be one of its, lazily. */
  let quoteSince = false;
  /** The line before was a quote's that leaves no paragraph open (quoteParagraphEnds: an empty one, a fence's, its code's). */
  let lastEnder = false;
  /** The run is a quote of any other content (`inner`), `indents` its lines' prefixes. */
  let general = false;
  /**
   * A line since the last block in the first column that closes every list (after a blank line,
   * a closer, a quote) may be or be in an item (itemLine): an indented line may go on in it.
   */
  let itemOpen = false;
  const accept = (): void => {
    // A quote of any content: its lines, tabs in their leading white space read as spaces.
    const inner = general && parse !== undefined ? innerLines(current, indents, text) : null;
    if (current.length > 0 && !(general && inner === null))
      runs.push({
        start: current[0]!.start,
        end: current[current.length - 1]!.end,
        depth: general ? 1 : depth,
        empty: general ? false : empty,
        lines: exactly(current),
        indents,
        marker: general ? 0 : marker,
        inner:
          general && parse
            ? {
                lines: inner!,
                parse,
                container: 'quote',
              }
            : null,
      });
    drop();
  };
  const drop = (): void => {
    current = [];
    indents = [];
    general = false;
  };
  const open = (at: ChunkLine, levels: number, isEmpty: boolean): void => {
    current = [at];
    indents = [2 * levels];
    depth = levels;
    empty = isEmpty;
    marker = 0;
  };
  /**
   * The run goes on with a quoted line of another shape (`>` in the first column) as a quote of any
   * content, read as a document of its own; false when it cannot (a line of it went on lazily).
   */
  const generalize = (line: string, at: ChunkLine): boolean => {
    if (current.length === 0 || indents.includes(0)) return false;
    if (!general) indents = current.map((l) => prefixOf(text.slice(l.start, l.end)));
    general = true;
    current.push(at);
    indents.push(prefixOf(line));
    return true;
  };
  /** The line before leaves a paragraph or code going on, which the next line may interrupt (nestsInterrupted). */
  let flowOn = false;
  /** The last line that was not blank was indented code, or fenced code, HTML or frontmatter (taken as code: blank lines do not end it). */
  let codeOn = false;
  const quoteEnds = quoteParagraphEnds();
  eachLine(text, first, (line, at, literal, blank, flags) => {
    const interrupting = flowOn;
    flowOn = literal || (blank ? codeOn : (flags & CLOSER_SHAPE) === 0 || (flags & CLEAR) === 0);
    if (!blank) codeOn = literal || INDENTED.test(line);
    const wasEnder = lastEnder;
    lastEnder = quoteEnds(literal ? null : line);
    if (literal) {
      // Code, HTML or frontmatter: nothing starts here, and a quote does not go on through it.
      drop();
      startable = false;
      return;
    }
    if (blank) {
      accept();
      startable = !openInItem;
      afterBlank = true;
      quoteSince = false;
      return;
    }
    // A `>` indented 1 to 3 spaces where no item is open that the line could be in quotes it too
    // (read as a quote of any content).
    const column0 = line.charCodeAt(0) !== 32 && line.charCodeAt(0) !== 9;
    const quoteLine =
      line.charCodeAt(0) === 62 /* > */ ||
      (line.charCodeAt(0) === 32 && !itemOpen && line.charCodeAt(leadOf(line)) === 62);
    if (quoteLine) itemOpen = false;
    else if (itemLine(line)) itemOpen = true;
    else if (column0 && (afterBlank || (flags & CLOSER_SHAPE) !== 0)) itemOpen = false;
    if (quoteLine) quoteSince = true;
    if (general && quoteLine) {
      current.push(at);
      indents.push(prefixOf(line));
      startable = false;
      afterItem = false;
      openInItem = false;
      afterBlank = false;
      return;
    }
    // A list item in a quote: the line goes on with a quoted list of items of the same marker
    // (another marker starts another list, left to micromark), or starts one.
    const item = line.charCodeAt(0) === 62 /* > */ && line.charCodeAt(1) === 32 ? LISTED.exec(line) : null;
    if (item) {
      const itemMarker = item[1]!.charCodeAt(0);
      if (current.length > 0 && marker === itemMarker) {
        current.push(at);
        indents.push(4);
      } else if (current.length === 0 && startable) {
        open(at, 1, false);
        indents = [4];
        marker = itemMarker;
      } else if (!generalize(line, at)) drop();
      startable = false;
      afterItem = false;
      openInItem = false;
      afterBlank = false;
      return;
    }
    const quoted = line.charCodeAt(0) === 62 /* > */ ? QUOTED.exec(line) : null;
    const bare = quoted === null && line.charCodeAt(0) === 62 && EMPTY.test(line);
    // A lazy line: plain text going on with the paragraph of the quoted lines before it.
    const lazy =
      quoted === null && !bare && current.length > 0 && !empty && marker === 0 && !general && LAZY.test(line);
    if (quoted || bare || lazy) {
      const levels = quoted ? quoted[1]!.length / 2 : 1;
      if (lazy) {
        current.push(at);
        indents.push(0);
      } else if (current.length > 0 && marker !== 0) {
        // Text going on in the last item's paragraph (quoted or lazy), or a quote's blank line
        // (which may make the list loose): read as a document of its own.
        if (!generalize(line, at)) drop();
      } else if (current.length > 0 && levels === depth && bare === empty) {
        current.push(at);
        indents.push(2 * levels);
      } else if (current.length === 0 && startable) open(at, levels, bare);
      // Quoted another number of levels (a quote in the quote), or empty among paragraph lines.
      else if (!generalize(line, at)) drop();
      startable = false;
      afterItem = false;
      openInItem = false;
      afterBlank = false;
      return;
    }
    if (quoteLine) {
      // A quoted line of any other shape: the run goes on, or one starts, as a quote of any content.
      if (current.length === 0 && startable && !(interrupting && nestsInterrupted(line.slice(line.indexOf('>') + 1)))) {
        current = [at];
        indents = [prefixOf(line)];
        general = true;
      } else if (!generalize(line, at)) drop();
      startable = false;
      afterItem = false;
      openInItem = false;
      afterBlank = false;
      return;
    }
    const closer = (flags & CLOSER_SHAPE) !== 0 && (flags & CLEAR) !== 0;
    // After a quote line that leaves no paragraph open (an empty `>`, a fence's line) no
    // paragraph is open in any quote: a line of text in the first column goes on with none of
    // them lazily, and starts a paragraph of its own, which a quote may interrupt.
    const afterEnder = wasEnder && (flags & CLEAR) !== 0 && LAZY.test(line);
    // A list item in the first column that interrupts a paragraph (a bullet or a 1, with text):
    // no lazy line, it ends a quote of a paragraph or list there (markdown-prose.ts lets a list run
    // start there: afterParagraphs). Not one of any other content, which may leave more open.
    const ending = !general && (flags & CLEAR) !== 0 && INTERRUPTING_ITEM.test(line) && !nestsInterrupted(line);
    if (closer || ending || (afterEnder && (empty || general))) accept();
    drop();
    if (afterEnder) quoteSince = false;
    startable = closer;
    // A list item of plain text in the first column ends every item before it and leaves
    // nothing open; any other item line may; a line in the first column after a blank line
    // that is no item ends every item.
    if (closer || (line.charCodeAt(0) !== 32 && simpleContent(line) !== -1)) afterItem = openInItem = false;
    else if (itemLine(line)) {
      afterItem = true;
      openInItem ||= MAY_HOLD_OPEN.test(line);
    } else if (afterBlank) afterItem = openInItem = false;
    if (closer) quoteSince = false;
    // A quote interrupts a paragraph of plain text in the first column (it opens no block that
    // runs on), where no quote it could be a lazy line of is open and no item it could be in; and
    // the paragraph of a bullet item of plain text in the first column, which is no lazy line of
    // anything (a bullet with text interrupts a paragraph) and which the `>` ends (markdown-lists.ts).
    else if (!quoteSince && !afterItem && (flags & CLEAR) !== 0 && LAZY.test(line)) startable = true;
    else if ((flags & CLEAR) !== 0 && line.charCodeAt(0) !== 32 && interruptingItem(line)) startable = true;
    afterBlank = false;
  });
  accept();
  // Quotes of any other content, read now, all at once: those that cannot be read so are left out.
  const blocks = runs.flatMap((run) => (run.inner !== null ? [run.inner] : []));
  if (blocks.length === 0) return runs;
  // With keep, each quote's content is pruned as soon as it is read (markdown-skeleton.ts).
  const prune =
    keep &&
    ((read: readonly InnerBlock[]): void => {
      for (const block of read) block.children = keep(block.children!, text);
    });
  const read = new Set(readInner(blocks, text, prune));
  return runs.filter((run) => run.inner === null || read.has(run.inner));
}

/** The run's block quotes around its paragraph, as micromark and mdast build them; `firstLine`: its first line. */
export function buildQuote(run: QuoteRun, text: string, firstLine: number): Blockquote {
  const last = run.lines[run.lines.length - 1]!;
  const lastLine = firstLine + run.lines.length - 1;
  const end = { line: lastLine, column: last.end - last.start + 1, offset: last.end };
  if (run.inner !== null) {
    const lead = leadOf(text.slice(run.start, run.start + 3));
    return {
      type: 'blockquote',
      children: takeInner(run.inner, text, firstLine) as Blockquote['children'],
      position: { start: { line: firstLine, column: lead + 1, offset: run.start + lead }, end },
    };
  }
  if (run.marker !== 0) return quotedList(run, text, firstLine, end);
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
    children: [{ type: 'text', value, position: { start: copyPoint(start), end: copyPoint(end) } }],
    position: { start, end: copyPoint(end) },
  };
  for (let i = run.depth - 1; i >= 0; i--) {
    node = {
      type: 'blockquote',
      children: [node],
      position: { start: { line: firstLine, column: 2 * i + 1, offset: run.start + 2 * i }, end: copyPoint(end) },
    };
  }
  return node as Blockquote;
}

/** A quote holding a tight bullet list, one item a line, as micromark and mdast build it. */
function quotedList(run: QuoteRun, text: string, firstLine: number, end: Point): Blockquote {
  const items: ListItem[] = run.lines.map((l, i) => {
    const line = firstLine + i;
    const lineEnd = { line, column: l.end - l.start + 1, offset: l.end };
    const start = { line, column: 5, offset: l.start + 4 };
    return {
      type: 'listItem',
      spread: false,
      checked: null,
      children: [
        {
          type: 'paragraph',
          children: [
            {
              type: 'text',
              value: decoded(text.slice(l.start + 4, l.end)),
              position: { start: copyPoint(start), end: copyPoint(lineEnd) },
            },
          ],
          position: { start, end: copyPoint(lineEnd) },
        },
      ],
      position: { start: { line, column: 3, offset: l.start + 2 }, end: lineEnd },
    };
  });
  const list: List = {
    type: 'list',
    ordered: false,
    start: null,
    spread: false,
    children: items,
    position: { start: { line: firstLine, column: 3, offset: run.start + 2 }, end: copyPoint(end) },
  };
  return {
    type: 'blockquote',
    children: [list],
    position: { start: { line: firstLine, column: 1, offset: run.start }, end: copyPoint(end) },
  };
}
