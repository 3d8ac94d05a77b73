/**
 * Where a chunk's text is literal: the lines inside a fenced code block, an HTML block that runs
 * to its own end marker (a comment, `<script>`, `<pre>`, `<style>`, `<textarea>`, `<?`, `<!X`,
 * CDATA: CommonMark's HTML blocks of types 1 to 5, which blank lines do not end) or the
 * frontmatter. No block starts there, so the finders of markdown-*.ts must not take lines there
 * for list items or anything else: their stand-in would not be found in the tree, and the chunk
 * would be parsed a second time.
 */

import { CLOSER, DASHES, opaque as opens } from './markdown-plain.js';
import { frontmatterEnd } from './markdown-frontmatter.js';

/** A line that may open a fence or an HTML block: up to 3 spaces, then a backtick, tilde or `<`. */
const MAY_OPEN = /^ {0,3}[`~<]/;

/** How many spaces (up to 3) start a line: a block's first character comes after them. */
export function leadOf(line: string): number {
  let lead = 0;
  while (lead < 3 && line.charCodeAt(lead) === 32) lead++;
  return lead;
}

/** A fence's opening or closing line: up to 3 spaces, then 3 or more backticks or tildes. */
export const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * HTML blocks of types 1 to 5, which blank lines do not end: how each opens, and what ends it, as
 * micromark's html-flow.js reads them (from the character after the `<` on the opening line, from
 * the line start after it). A CDATA section ends at `]]>` after an even run of `]` only: micromark
 * reads `]]]>` as going on.
 */
export const HTML_OPEN: readonly (readonly [RegExp, RegExp])[] = [
  [/^ {0,3}<(script|pre|style|textarea)(\s|>|$)/i, /<\/(script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /(?:^|[^\]])(?:\]\])+>/],
];

/** What ends the HTML block `line` opens and does not close itself, if it opens one. */
export function htmlBlockEnd(line: string): RegExp | null {
  const html = HTML_OPEN.find(([opening]) => opening.test(line));
  return html !== undefined && !html[1].test(line.slice(line.indexOf('<') + 1)) ? html[1] : null;
}

/** Whether `line` closes the fence `fence` opened (the same character, at least as many, nothing after). */
export function closesFence(line: string, fence: string): boolean {
  const m = FENCE.exec(line);
  return m !== null && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.slice(m[0].length).trim() === '';
}

/** The fence `line` opens, if it opens one (a backtick fence's info has no backtick). */
export function opensFence(line: string): string | null {
  const m = FENCE.exec(line);
  if (!m) return null;
  return m[1]![0] === '`' && line.slice(m[0].length).includes('`') ? null : m[1]!;
}

/**
 * A block quote's line in the first column after which no paragraph is open in any quote, so that
 * a line of text after it goes on with none lazily and starts a paragraph of its own: nothing
 * after its `>` but spaces or tabs (an empty line), or, after the `>` and a space, a fence's line
 * (code's, opensFence: it opens code, closes it, or is in it) or a `:::` container's opening (a
 * name after the colons); each interrupts a paragraph, and code and containers are no paragraphs.
 */
export function quoteEndsParagraphs(line: string): boolean {
  if (line.charCodeAt(0) !== 62 /* > */) return false;
  if (/^>[ \t]*$/.test(line)) return true;
  if (line.includes('\t')) return false;
  const content = line.slice(line.charCodeAt(1) === 32 ? 2 : 1);
  return opensFence(content) !== null || CONTAINER_OPENING.test(content);
}

/**
 * quoteEndsParagraphs for lines walked in order (a literal line is `null`), knowing fenced code a
 * quote's line opened one level deep (`> ~~~`): its lines, up to the one closing it, are code, and
 * leave no paragraph open either (`> ~~~`, `> x`, then text: the text goes on with nothing lazily).
 */
export function quoteParagraphEnds(): (line: string | null) => boolean {
  let fence: string | null = null;
  return (line) => {
    if (line === null || line.charCodeAt(0) !== 62 /* > */ || line.includes('\t')) {
      fence = null;
      return line !== null && quoteEndsParagraphs(line);
    }
    const content = line.slice(line.charCodeAt(1) === 32 ? 2 : 1);
    if (fence !== null) {
      if (closesFence(content, fence)) fence = null;
      return true;
    }
    fence = opensFence(content);
    return quoteEndsParagraphs(line);
  };
}

/** A `:::` container's opening, up to 3 spaces in: a name's first character after the colons. */
const CONTAINER_OPENING = /^ {0,3}:{3,}[^\s!-/:-@[-`{-~]/;

/** A `:::` fence up to 3 spaces in: colons, then a name (an opening: micromark takes a tab for a name's start) or nothing. */
const COLON_LINE = /^ {0,3}(:{3,})(?:([^\s!-/:-@[-`{-~]|\t)|[ \t]*$)/;

/**
 * The literal stretches of `text`, in order, as offsets [from, to): from the start of the line
 * after an opening fence or HTML line to the end of the line that closes it (or the text's end),
 * and the whole frontmatter when `first` (the document's first chunk) and it has one.
 * In a `:::` container micromark ends code or HTML left open at the container's closing line (it
 * asks the container first); in a list item, at a line indented less than the item's content. So
 * at a line that closes a container open around them, or, for code or HTML opened 1 to 3 spaces
 * in (maybe in an item: `1.` then `   ````), a line indented less than its opening, that line and
 * all after it are taken as literal, so that no reader takes a line there (what is open there is
 * not known: a later fence line would end the stretch and leave the lines after it read as
 * outside every container and item). safeCuts makes no cut there either.
 */
export function literalRanges(text: string, first: boolean): [number, number][] {
  const ranges: [number, number][] = [];
  let pos = 0;
  const matterEnd = first ? frontmatterEnd(text) : -1;
  if (matterEnd !== -1) {
    pos = matterEnd;
    ranges.push([0, pos]);
  }
  let fence: string | null = null;
  let htmlEnd: RegExp | null = null;
  let from = 0;
  /** The sizes of the `:::` containers open (outside literal lines), innermost last. */
  const containers: number[] = [];
  /** The spaces before the fence or HTML block open: 1 to 3 may be a list item's content column. */
  let openIndent = 0;
  while (pos < text.length) {
    const newline = text.indexOf('\n', pos);
    const next = newline === -1 ? text.length : newline + 1;
    const line = text.slice(pos, newline === -1 ? text.length : newline).replace(/\r$/, '');
    const colons = containers.length > 0 || !(fence !== null || htmlEnd !== null) ? colonLine(line) : null;
    if (fence !== null || htmlEnd !== null) {
      const ends =
        (containers.length > 0 && colons !== null && !colons.opens && colons.size >= Math.min(...containers)) ||
        (openIndent > 0 && dedented(line, openIndent));
      if (ends) {
        ranges.push([from, text.length]);
        return ranges;
      }
    }
    if (fence !== null) {
      if (closesFence(line, fence)) {
        fence = null;
        ranges.push([from, next]);
      }
    } else if (htmlEnd !== null) {
      if (htmlEnd.test(line)) {
        htmlEnd = null;
        ranges.push([from, next]);
      }
    } else {
      // micromark asks the outermost container first whether a line closes it (with those in it).
      const closed = colons === null || colons.opens ? -1 : containers.findIndex((size) => colons.size >= size);
      if (colons?.opens) containers.push(colons.size);
      else if (closed !== -1) containers.length = closed;
      else if (MAY_OPEN.test(line)) {
        fence = opensFence(line);
        if (fence === null) htmlEnd = htmlBlockEnd(line);
        openIndent = leadOf(line);
      }
      from = next;
    }
    pos = next;
  }
  if (fence !== null || htmlEnd !== null) ranges.push([from, text.length]);
  return ranges;
}

/** Whether a line that is not blank has fewer than `indent` spaces before it (a tab reaches past 3). */
function dedented(line: string, indent: number): boolean {
  const lead = leadOf(line);
  if (lead >= indent) return false;
  const c = line.charCodeAt(lead);
  return c !== 9 && !/^[ \t]*$/.test(line);
}

/**
 * A `:::` container's opening or closing line (COLON_LINE), no CR at its end: how many colons,
 * and whether it opens one (a name's first character, or a tab, after the colons), or null.
 */
export function colonLine(line: string): { size: number; opens: boolean } | null {
  // A colon after up to 3 spaces, asked by character first (a megabyte has 200,000 lines).
  if (line.charCodeAt(leadOf(line)) !== 58 /* : */) return null;
  const m = COLON_LINE.exec(line);
  return m === null ? null : { size: m[1]!.length, opens: m[2] !== undefined };
}

/** A line of a chunk: its offsets (`end` before its line ending) and its row, from 0. */
export interface ChunkLine {
  readonly start: number;
  readonly end: number;
  readonly row: number;
}

/**
 * What eachLine says of a line that is not literal: it is a CLOSER (markdown-plain.ts) as written,
 * or a line of `---` (DASHES) where no paragraph may be open above it, a thematic break too: after
 * a blank line, a CLOSER line in the first column with nothing opaque above it (CLEAR), or the
 * last line of code, HTML or frontmatter, or first in a chunk after the document's first (in the
 * first, it may open the frontmatter).
 */
export const CLOSER_SHAPE = 1;
/**
 * No line since the last blank one, this one included, may be in an HTML block of types 6 or 7 or
 * be a table's (OPAQUE, markdown-plain.ts; literal lines are not counted): both run on to a blank
 * line, so a CLOSER_SHAPE line there closes nothing.
 */
export const CLEAR = 2;
/**
 * CLEAR as the line before left it: no line since the last blank one, this one not counted, may
 * be in an HTML block of types 6 or 7 or a table. A line that opens one of those may start there.
 */
export const CLEAR_BEFORE = 4;

/** Spaces and tabs only. */
const BLANK = /^[ \t]*$/;

/** A chunk's lines, as eachLine gives them. */
interface Lines {
  text: string;
  first: boolean;
  lines: string[];
  at: ChunkLine[];
  /** 1 where the line is literal (literalRanges), 0 where not. */
  literal: Uint8Array;
  /** 1 where the line is blank (spaces and tabs only), 0 where not. */
  blank: Uint8Array;
  /** CLOSER_SHAPE, CLEAR and CLEAR_BEFORE of each line. */
  flags: Uint8Array;
}

/**
 * A copy of exactly `items`, for what a finder keeps of an array it grew by push: such an array
 * keeps room for 16 more (150 bytes for a run of one line or part), and every run found lives until
 * its chunk is built (1 MB of `1. a` / `> c` lines: 233,000 runs; a process parsing it 467 → 422
 * MB resident, on machines where each page first touched costs about 12 µs: README, Performance).
 */
export function exactly<T>(items: readonly T[]): T[] {
  return items.slice();
}

/** The last chunk walked: the finders of markdown-*.ts walk each chunk one after another. */
let walked: Lines | null = null;

/**
 * Lets go of the lines of the last chunk walked, once a document is parsed: those of a chunk that
 * could not be cut (1 MB of one list) are tens of MB, which every garbage collection after the
 * parse would walk again.
 */
export function forgetLines(): void {
  walked = null;
}

function linesOf(text: string, first: boolean): Lines {
  if (walked !== null && walked.first === first && walked.text === text) return walked;
  const ranges = literalRanges(text, first);
  const lines: string[] = [];
  const at: ChunkLine[] = [];
  // One byte a line, sized before the walk: arrays of booleans and numbers grown a push at a time
  // were most of this walk (1 MB of `a` and a blank line: 524,288 lines, 3 × 55 ms of pushes).
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  const literal = new Uint8Array(count);
  const blank = new Uint8Array(count);
  const flags = new Uint8Array(count);
  let opaque = false;
  let next = 0;
  let pos = 0;
  // With a carriage return in the text (a line ending to micromark, not here), a line with a `|`
  // may start a table wherever it stands.
  const carriageReturn = text.includes('\r');
  for (let row = 0; pos <= text.length; row++) {
    const newline = text.indexOf('\n', pos);
    const end = newline === -1 ? text.length : newline;
    while (next < ranges.length && ranges[next]![1] <= pos) next++;
    const range = ranges[next];
    const line = text.slice(pos, end);
    const isLiteral = range !== undefined && range[0] <= pos;
    const isBlank = BLANK.test(line);
    lines.push(line);
    at.push({ start: pos, end, row });
    literal[row] = isLiteral ? 1 : 0;
    blank[row] = isBlank ? 1 : 0;
    const before = opaque;
    // CLOSER's forms start with `#` (a heading), `:` (a leaf directive), `*`, `_` or `-` (a break), `<` (a comment).
    const c = line.charCodeAt(0);
    const shape =
      (c === 35 || c === 58 || c === 42 || c === 95 || c === 45 || c === 60) &&
      (CLOSER.test(line) ||
        (c === 45 && !isLiteral && noParagraphBefore(row, first, literal, blank, flags) && DASHES.test(line)));
    if (!isLiteral) opaque = !isBlank && (opaque || (carriageReturn && line.includes('|')) || opens(line, text, end));
    flags[row] = (shape ? CLOSER_SHAPE : 0) | (opaque ? 0 : CLEAR) | (before ? 0 : CLEAR_BEFORE);
    if (newline === -1) break;
    pos = newline + 1;
  }
  walked = { text, first, lines, at, literal, blank, flags };
  return walked;
}

/**
 * Whether no paragraph may be open before row `row`, not literal itself (the rows before it
 * walked): it is the first of a chunk after the document's first, or the row before it is blank,
 * a CLOSER (CLEAR, not literal), or the last of fenced code, an HTML block of types 1 to 5 or the
 * frontmatter (literal, when this one is not). A line of `---` there is a thematic break, not a
 * setext underline.
 */
function noParagraphBefore(
  row: number,
  first: boolean,
  literal: Uint8Array,
  blank: Uint8Array,
  flags: Uint8Array,
): boolean {
  if (row === 0) return !first;
  const before = row - 1;
  return (
    literal[before] === 1 || blank[before] === 1 || (flags[before]! & (CLOSER_SHAPE | CLEAR)) === (CLOSER_SHAPE | CLEAR)
  );
}

/** A chunk's lines as eachLine gives them, all at once: for finders that read ahead (a fence's lines). */
export interface ChunkLines {
  readonly lines: readonly string[];
  readonly at: readonly ChunkLine[];
  /** 1 where a line is literal, 0 where not. */
  readonly literal: Readonly<Uint8Array>;
  /** 1 where a line is blank, 0 where not. */
  readonly blank: Readonly<Uint8Array>;
  readonly flags: Readonly<Uint8Array>;
}

/** The lines of `text`, as eachLine walks them (the same arrays: never changed). */
export function chunkLines(text: string, first: boolean): ChunkLines {
  return linesOf(text, first);
}

/**
 * Calls `visit` with each line of `text` (without its line ending), where it is, whether it is
 * literal (literalRanges), whether it is blank (spaces and tabs only) and what else of it every
 * finder asks (CLOSER_SHAPE, CLEAR; for a literal line, nothing to go by): the walk every finder
 * of markdown-*.ts makes. The lines of the last text walked, and what is said of them, are kept
 * for the next finder (each asked the same of each line: its regular expressions were a tenth of
 * a megabyte of list items and headings); `at` is shared among them, so it is never changed.
 */
export function eachLine(
  text: string,
  first: boolean,
  visit: (line: string, at: ChunkLine, literal: boolean, blank: boolean, flags: number) => void,
): void {
  const { lines, at, literal, blank, flags } = linesOf(text, first);
  for (let i = 0; i < lines.length; i++) visit(lines[i]!, at[i]!, literal[i] === 1, blank[i] === 1, flags[i]!);
}

/**
 * Calls `visit` with each line of `text` where a block of one line in the first column is one:
 * not literal (markdown-literal.ts), not blank, and with no line since the last blank one that
 * may be in an HTML block of types 6 or 7 or a table (OPAQUE).
 */
export function eachClearLine(text: string, first: boolean, visit: (line: string, at: ChunkLine) => void): void {
  eachLine(text, first, (line, at, literal, blank, flags) => {
    if (!literal && !blank && (flags & CLEAR) !== 0) visit(line, at);
  });
}
