/**
 * Where a long document may be cut into chunks that micromark reads apart (markdown.ts,
 * parseChunks): places where no block construct can go on from before them. parseChunks checks
 * each cut again, and test/check/markdown-cuts.test.ts compares every cut with a reference.
 */
import { FOOTNOTE_START } from './markdown-footnotes.js';
import { nestsInterrupted } from './markdown-item-markers.js';
import { itemLine } from './markdown-items.js';
import { ITEM_WITH_TEXT, topItemKey } from './markdown-list-cuts.js';
import { colonLine, FENCE, HTML_OPEN, leadOf, quoteEndsParagraphs } from './markdown-literal.js';
import { HEADING, LEAF } from './markdown-plain.js';
import { append } from '../append.js';

/** An ordered item's line numbered other than 1, which interrupts no paragraph or code. */
const ORDERED_NOT_1 = /^(?!1[.)])\d{1,9}[.)]/;

/** Text that goes on with a paragraph lazily: a letter or digit first, no item's number. */
const LAZY_TEXT = /^(?!\d{1,9}[.)])[\p{L}\p{N}]/u;

/** Where an item's content starts (its marker's width and the 1 to 4 spaces after it; 1 when more, or none). */
function contentColumn(line: string): number {
  const m = /^(?:[-*+]|\d{1,9}[.)])( *)/.exec(line);
  if (m === null) return 0;
  const spaces = m[1]!.length;
  return m[0].length - spaces + (spaces >= 1 && spaces <= 4 && m[0].length < line.length ? spaces : 1);
}

const BLANK = /^[ \t]*$/;

/** What a line that may open fenced code, an HTML block or a `:::` container holds (safeCuts). */
const MAY_HOLD_OPEN = /```|~~~|:::|</;

/** A list item's first line: after a blank line it may go on with the list above it. */
const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;

/** A line's indentation in columns (a tab goes to the next multiple of 4). */
function indentOf(line: string): number {
  let column = 0;
  for (const char of line) {
    if (char === ' ') column++;
    else if (char === '\t') column += 4 - (column % 4);
    else break;
  }
  return column;
}

/** A fence or HTML block of types 1 to 5 that safeCuts is inside of. */
interface Open {
  /** The fence's marker (backticks or tildes, as many as opened it), or what ends the HTML. */
  close: string | RegExp;
  /** The opening line's indentation. */
  indent: number;
  /** Opened inside a `:::` container. */
  contained: boolean;
}

/**
 * Offsets of line starts where the document can be cut without changing any block: outside
 * fences, `:::` containers, HTML blocks of types 1 to 5 and the frontmatter, either
 *  - a line at column 1 after a blank line that is not a list item (after blank lines one goes
 *    on with a list above it: a loose list), not starting with a byte order mark (which
 *    micromark skips at a text's start), or indented 1 to 3 spaces where no line since the last
 *    safe place may be (in) a list item or footnote definition; after a line that may be (in) a list item or footnote
 *    definition since the last safe place, only after one blank line and not a block quote's or
 *    footnote definition's line, unless no line since may hold a fence, HTML block or container
 *    open in one (mayHoldOpen), or
 *  - a leaf directive alone on its line (LEAF), or an ATX heading at column 1 (HEADING: it
 *    interrupts a paragraph and closes every list and block quote, as a leaf directive does;
 *    1 MB of list items each followed by a heading took minutes as one chunk), or a footnote
 *    definition's line (FOOTNOTE_START) when no line since the last safe place may hold a fence,
 *    HTML block or container open in an item, or a block quote's `>` at column 1 after a line of
 *    text at column 1 right after a quote line that leaves no paragraph open (an empty `>`, a
 *    quoted fence's line: quoteEndsParagraphs), a paragraph at the top level, nothing it could go
 *    on in lazily being open after such a line, which the `>` interrupts as the chunk's end ends
 *    it (1 MB of `>` and text lines was one chunk), when no line
 *    since the last blank one started with `<` (an HTML block of types 6 and 7 runs on to a
 *    blank line) or held a `|` (table rows), or
 *  - a blank line after a blank line, when the line after their run is a safe place of the first
 *    kind, or the text ends in the run, and no line since the last safe place may be in a list
 *    item or a footnote definition (what is left open in one runs on over the blank lines).
 * Each at least `every` characters after the last. A text with a lone CR is not cut.
 *
 * The fences, containers and HTML blocks followed are the ones outside lists and block quotes:
 * those inside one end with it, at the next line at column 1. One indented 1 to 3 spaces may be
 * in a list item or not; so may a line starting with `<` be an HTML block or not; where what
 * follows would be read differently either way (a line indented less inside such a fence, a
 * fence opening under such a line, a container's closing inside a fence it holds: micromark
 * closes the container first), no cut is made from there on. parseChunks checks each cut again.
 */
export function safeCuts(source: string, every: number): number[] {
  if (source.length <= every) return [];
  // micromark ends a line at a lone CR too (parse.ts makes each a LF; other callers may not).
  if (/\r(?!\n)/.test(source)) return [];
  const cuts: number[] = [];
  let open: Open | null = null;
  /** The sizes of the `:::` containers open, innermost last. */
  const containers: number[] = [];
  /** Since the last blank line: a line started with `<` that may be an HTML block of type 6 or 7. */
  let maybeHtml = false;
  /** Since the last blank line: a line held a `|` (a table's rows run on to a blank line). */
  let maybeTable = false;
  let lastCut = 0;
  /**
   * Cuts inside the run of blank lines being read, before each blank line after the first: kept
   * if the line after the run is a safe place itself (whatever was open before the blank lines is
   * closed by it, as by the chunk's end) or the text ends there; dropped otherwise (the run may be
   * inside a list item, a footnote or indented code that goes on after it). 1 MB of blank lines
   * was one chunk, and took micromark 10 s.
   */
  let blankCuts: number[] = [];
  let lastBlankCut = 0;
  /**
   * Since the last safe place: a line that may be (in) a list item or a footnote definition, where
   * a fence, HTML block or container left open runs on over the blank lines to where the item
   * ends: no cut inside them, which would end it sooner.
   */
  let inItem = false;
  /**
   * Since the last safe place: a line that may open fenced code, an HTML block or a `:::`
   * container (it holds ```, ~~~, `<` or `:::`), which may be left open in a list item, block quote
   * or footnote definition. micromark ends one left open there at the start of a footnote
   * definition's or block quote's line (a new container, which closes the item's flow), but
   * sooner, on the line before, before a leaf directive (the chunk's end: a lazy line).
   * Whatever else may be open in an item (paragraphs, indented code, tables, setext headings,
   * definitions) both end alike: compared with micromark in test/check/markdown-chunks.test.ts.
   */
  let mayHoldOpen = false;
  /** Since the last safe place: a line that may open an HTML block (it holds `<`). */
  let mayHoldHtml = false;
  /** How many blank lines in a row came just before this line. */
  let blanks = 0;
  /**
   * The marker of the list whose item the last line in the first column began (topItemKey), or
   * null: an item of it in the first column right after a line of it is a safe place, where
   * nothing else is open (markdown-list-cuts.ts).
   */
  let listKey: string | null = null;
  /**
   * The content column of that item: a line indented less that is no lazy text (a heading, a
   * fence, a quote, an item…) is a block outside the list, which an item's line after it may
   * not start again (`3)` after a heading indented 3 spaces is a paragraph's text).
   */
  let listContent = 0;
  /** The last line that was not blank was indented 4 or more: indented code, which may go on. */
  let afterCode = false;
  /**
   * The indent and marker of a top-level list indented 1 to 3 spaces whose items, one line each,
   * the lines since its first have all been (nextIndented), or null.
   */
  let indentedList: string | null = null;
  /**
   * The line before was text in the first column right after a quote line that leaves no paragraph
   * open (paragraphEnder):
   * a paragraph at the top level, since nothing it could go on in lazily is open after that line.
   * A quote's `>` in the first column after it interrupts it, as the chunk's end would end it.
   */
  let textAfterEnder = false;
  /**
   * Since the last line that may be (in) a list item or a footnote definition (itemLine), a block
   * quote's line in the first column came: no lazy text, it ended every item and footnote, and
   * blank lines end the quote. So a list item in the first column after blank lines starts a new
   * list, a safe place (1 MB of `- a`, `> b` and a blank line was one chunk: micromark 20 s).
   */
  let quoteSinceItem = false;
  /** The line before was a quote's that leaves no paragraph open (quoteEndsParagraphs: an empty
   * one, a fence's line, a container's opening). */
  let paragraphEnder = false;
  let pos = 0;
  const frontmatter = /^\uFEFF?---[ \t]*\r?\n/.exec(source);
  if (frontmatter) {
    const close = /\n---[ \t]*\r?\n/.exec(source.slice(frontmatter[0].length - 1));
    if (!close) return [];
    pos = frontmatter[0].length - 1 + close.index + close[0].length;
  }
  const firstLine = pos;
  while (pos < source.length) {
    const newline = source.indexOf('\n', pos);
    const end = newline === -1 ? source.length : newline;
    const line = source.slice(pos, source.charCodeAt(end - 1) === 13 /* \r */ && end > pos ? end - 1 : end);
    const blank = BLANK.test(line);
    if (open !== null) {
      if (!blank && indentOf(line) < open.indent) return cuts;
      if (open.contained && /^ {0,3}:{3,}[ \t]*$/.test(line)) return cuts;
      if (typeof open.close === 'string') {
        const m = FENCE.exec(line);
        if (m && m[1]![0] === open.close[0] && m[1]!.length >= open.close.length && BLANK.test(line.slice(m[0].length)))
          open = null;
      } else if (open.close.test(line)) open = null;
    } else {
      // Each regular expression below is asked only of a line it may match, by the character
      // after up to 3 spaces (LEAF, HEADING: `:`, `#` in the first column; FENCE: a backtick or
      // tilde; colonLine: `:`; HTML_OPEN: `<`): five or more for each line of a megabyte were
      // a tenth of its time.
      const lead = leadOf(line);
      const mark = line.charCodeAt(lead);
      const first = line.charCodeAt(0);
      // After blank lines, what was left open in an item ends elsewhere when a leaf directive (the
      // chunk's end) closes it than when a block quote's `>` or a footnote definition's `[^` does
      // (containers of lines, as list items are; after two or more blank lines, than when
      // anything does): no cut there.
      // With nothing of the kind left open in an item (mayHoldOpen), none of that matters.
      const afterItem = (blanks === 1 && first !== 62 /* > */ && !line.startsWith('[^')) || !mayHoldOpen;
      // A footnote definition in the first column is a new container, as a leaf directive (the
      // chunk's end) is a lazy line: each ends every list item, block quote and footnote above it.
      // 1 MB of list items each followed by a footnote definition (or the other way) was one chunk,
      // and took micromark a minute.
      const footnote = first === 91 /* [ */ && !mayHoldOpen && FOOTNOTE_START.test(line);
      const column0 = !blank && first !== 32 && first !== 9;
      const key = column0 ? topItemKey(line) : null;
      const nextItem =
        blanks === 0 &&
        key !== null &&
        key === listKey &&
        // A fence or container left open in the item before: joinList ends it as micromark does.
        (!mayHoldOpen || (!mayHoldHtml && ITEM_WITH_TEXT.test(line))) &&
        !maybeHtml &&
        !maybeTable &&
        containers.length === 0;
      // The same for a list whose items are indented 1 to 3 spaces, one line each, its first after
      // a blank line (or first) where no item was open that it could be in: 1 MB of `   - * a`
      // was one chunk, micromark's time the square of its items (64 KB: 39 s).
      const indentedKey = first === 32 && lead <= 3 && !blank ? topItemKey(line.slice(lead)) : null;
      const nextIndented: boolean =
        blanks === 0 &&
        indentedKey !== null &&
        `${lead}${indentedKey}` === indentedList &&
        !mayHoldOpen &&
        !maybeHtml &&
        !maybeTable &&
        containers.length === 0;
      indentedList =
        indentedKey !== null && (nextIndented || ((blanks > 0 || pos === firstLine) && !inItem))
          ? `${lead}${indentedKey}`
          : null;
      // An item's line starts a list where no paragraph may be open (after a blank line, or the
      // first line): elsewhere only some may interrupt a paragraph (`3)` after text or indented
      // code is text). After a blank line an indented line may be top-level indented code, after
      // which an item's line may be text too.
      if (column0) {
        // After indented code (blank lines do not end it) only a bullet or a `1` interrupts it.
        const starts = (blanks > 0 && !(afterCode && ORDERED_NOT_1.test(line))) || pos === firstLine;
        listKey = key !== null && (key === listKey || starts) ? key : null;
        listContent = listKey !== null ? contentColumn(line) : 0;
      } else if (!blank && (blanks > 0 || (lead < listContent && !LAZY_TEXT.test(line.slice(lead))))) listKey = null;
      // A line indented 1 to 3 spaces after a blank line starts a block as one in the first
      // column does, where no item since the last safe place is one it could go on in (1 MB of
      // ` > a` or ` # h` blocks was one chunk, and took micromark minutes).
      const indented =
        !blank &&
        first === 32 &&
        lead > 0 &&
        mark !== 32 &&
        mark !== 9 &&
        !inItem &&
        !LIST_ITEM.test(line.slice(lead)) &&
        !line.startsWith('[^', lead);
      const top =
        !blank &&
        !/^[ \t\uFEFF]/.test(line) &&
        (!LIST_ITEM.test(line) ? !inItem || afterItem : quoteSinceItem && blanks > 0);
      // Not where the line interrupts indented code or a paragraph with containers holding an item
      // that interrupts neither (nestsInterrupted: `> -`), which a chunk's first line would not.
      const safe =
        blanks > 0
          ? (top || indented) && !(afterCode && nestsInterrupted(line))
          : (((first === 58 && LEAF.test(line)) ||
              (first === 35 && HEADING.test(line)) ||
              (footnote && !nestsInterrupted(line)) ||
              (first === 62 /* > */ && textAfterEnder && !nestsInterrupted(line))) &&
              !maybeHtml &&
              !maybeTable) ||
            nextItem ||
            nextIndented;
      // A footnote definition is a safe place that opens an item; a line indented 1 to 3 spaces
      // where no item is open is in none (nor may the blank lines after it go on in one).
      if (!blank && !indented && itemLine(line)) inItem = true;
      else if (safe) inItem = false;
      if (safe) mayHoldOpen = mayHoldHtml = false;
      if (!blank && MAY_HOLD_OPEN.test(line)) mayHoldOpen = true;
      if (!blank && line.includes('<')) mayHoldHtml = true;
      if (blank && blanks > 0 && containers.length === 0 && !inItem) {
        if (blankCuts.length === 0) lastBlankCut = lastCut;
        if (pos - lastBlankCut >= every) {
          blankCuts.push(pos);
          lastBlankCut = pos;
        }
      } else if (!blank && blankCuts.length > 0) {
        if (safe && containers.length === 0) {
          append(cuts, blankCuts);
          lastCut = lastBlankCut;
        }
        blankCuts = [];
      }
      if (safe && containers.length === 0 && pos - lastCut >= every) {
        cuts.push(pos);
        lastCut = pos;
      }
      const f = mark === 96 /* ` */ || mark === 126 /* ~ */ ? FENCE.exec(line) : null;
      const fence = f !== null && !(f[1]![0] === '`' && line.slice(f[0].length).includes('`'));
      // A `:::` container's opening or closing line (colonLine: a tab after the colons opens one too).
      const c = f || mark !== 58 /* : */ ? null : colonLine(line);
      const containerOpens = c?.opens === true;
      const containerCloses = c !== null && !c.opens && containers.length > 0 && c.size >= containers.at(-1)!;
      const html = f || c || mark !== 60 /* < */ ? undefined : HTML_OPEN.find(([opening]) => opening.test(line));
      const lt = line.indexOf('<');
      const htmlOpens = html !== undefined && !html[1].test(line.slice(lt + 1));
      if (maybeHtml && (fence || containerOpens || containerCloses || htmlOpens)) return cuts;
      if (fence) open = { close: f[1]!, indent: indentOf(line), contained: containers.length > 0 };
      else if (containerOpens) containers.push(c.size);
      else if (containerCloses) containers.pop();
      else if (htmlOpens) open = { close: html[1], indent: indentOf(line), contained: containers.length > 0 };
      if (html === undefined && lt !== -1 && /^[ \t]*</.test(line)) maybeHtml = true;
      if (line.includes('|')) maybeTable = true;
    }
    if (blank) maybeHtml = maybeTable = false;
    else if (itemLine(line)) quoteSinceItem = false;
    else if (line.charCodeAt(0) === 62 /* > */ && open === null) quoteSinceItem = true;
    textAfterEnder = paragraphEnder && open === null && LAZY_TEXT.test(line);
    paragraphEnder = open === null && quoteEndsParagraphs(line);
    blanks = blank ? blanks + 1 : 0;
    if (!blank) afterCode = /^(?: {4}| {0,3}\t)/.test(line);
    pos = end + 1;
  }
  append(cuts, blankCuts); // the text ends in the run: nothing goes on after it
  return cuts;
}
