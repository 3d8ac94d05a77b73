/**
 * A list item's line, as markdown-lists.ts reads it: spaces, a marker (a bullet `-`, `*`, `+`, or
 * an ordered item's 1 to 9 digits and `.` or `)`), 1 to 4 spaces, maybe a GFM task check (`[ ]`,
 * `[x]` or `[X]`, then one space), then plain text (markdown-plain.ts): nothing in it starts a
 * block or is decoded; for markdown-lists.ts also text with escapes and character references to
 * decode (DECODED_TEXT), which start no block either, and that text in a one-line block quote
 * (`- > a`: `>` and one space first, no task check) or one-line list item (`- - a`: a bullet or a
 * lone `1`, 1 to 4 spaces first, no task check), or holding a `|` (PIPED_TEXT). With 5 or more
 * columns of spaces and tabs after the marker (or the nested item's) the text is indented code,
 * which markdown-lists.ts takes too when it starts as that text would (`-     a`,
 * `- -\t\ta`); with nothing but spaces after the marker it is empty (`empty`, markdown-lists.ts
 * alone; it interrupts no paragraph); with 10 digits it is no item at all.
 */
import { DECODED_TEXT, PIPED_TEXT, PLAIN_TEXT } from './markdown-plain.js';

/** Spaces, a bullet, 1 to 4 spaces, plain text (exported for tests: the lines simpleContent takes). */
export const SIMPLE = new RegExp(`^( *)([-*+])( {1,4})(${PLAIN_TEXT})$`, 'u');
/** Plain text from where `lastIndex` is to the line's end. */
const PLAIN_FROM = new RegExp(`(?:${PLAIN_TEXT})$`, 'uy');
/** Text with escapes or character references to decode (DECODED_TEXT) from `lastIndex` to the line's end. */
const DECODED_FROM = new RegExp(`(?:${DECODED_TEXT})$`, 'uy');
/** The same holding `|` too (PIPED_TEXT). */
const PIPED_FROM = new RegExp(`(?:${PIPED_TEXT})$`, 'uy');
/** Indented code's text, as an item's would start (DECODED_TEXT), spaces after it kept in its value. */
const CODE_FROM = new RegExp(`(?:${DECODED_TEXT}) *$`, 'uy');
/**
 * Only colons (3 or more): text in an item, where it opens no `:::` container (it has no name)
 * and closes none (a container's closing line is on its own content's lines, not an item's).
 */
const COLONS_FROM = /:{3,}$/y;

/** What readItem found of an item line. */
export interface ItemShape {
  /** Spaces before the marker. */
  indent: number;
  /** The marker's last character (`-`, `*`, `+`, `.` or `)`): items of one list all have it. */
  marker: number;
  /** An ordered item's number (its digits read in base 10), or -1 for a bullet. */
  value: number;
  /** How many digits the number has (0 for a bullet): only a lone `1` may interrupt a paragraph. */
  digits: number;
  /** Where the item's content starts (its content column), counted from the line's start. */
  content: number;
  /** A task item's check (true: `[x]` or `[X]`), or null. */
  checked: boolean | null;
  /** Where its paragraph's text starts: the content, or past the task check and its space. */
  textAt: number;
  /** Its text holds a backslash or `&`: micromark decodes escapes and character references in it. */
  decoded: boolean;
  /**
   * Where the `>` of a one-line block quote holding the item's text stands (`- > a`: the item
   * holds a block quote holding a paragraph), or -1. Read only with `decoded` (markdown-lists.ts).
   */
  quote: number;
  /**
   * Where the marker of a one-line list item holding the item's text stands (`- - a`, `1. - a`:
   * the item holds a list of one item holding a paragraph), or -1; a bullet, or a lone `1`
   * (which may interrupt a paragraph, as micromark reads a container nested on the line of one
   * that does). Read only with `decoded` (markdown-lists.ts).
   */
  inner: number;
  /** That nested item's number (1), or -1 for a bullet. */
  innerValue: number;
  /**
   * Where the indented code the item (or its nested item: `inner`) holds starts, one column past
   * the marker, or -1: 5 columns or more of spaces and tabs after the marker, then text (`-     a`,
   * `- -\t\ta`); its value is codeAfter's, `textAt` where it goes on as written. Read only with
   * `decoded` (markdown-lists.ts).
   */
  indentedCode: number;
  /**
   * Its text holds a `|` (PIPED_TEXT; read only with `decoded`): the caller must see that the next
   * line is no table's delimiter row (mayBeDelimiterRow), which would make the text a table's head.
   */
  piped: boolean;
  /**
   * Nothing but spaces follows the marker (`-`, `1.`, `-   `): an empty item, whose content column
   * is one past the marker whatever spaces trail it (CommonMark: an item starting with a blank
   * line), `textAt` the line's end. It interrupts no paragraph, and a blank line right after it
   * ends it. Read only with `decoded` (markdown-lists.ts).
   */
  empty: boolean;
}

/** A shape for readItem to read into (each caller keeps one and reads every line into it). */
export function itemShape(): ItemShape {
  return {
    indent: 0,
    marker: 0,
    value: -1,
    digits: 0,
    content: 0,
    checked: null,
    textAt: 0,
    decoded: false,
    quote: -1,
    inner: -1,
    innerValue: -1,
    indentedCode: -1,
    piped: false,
    empty: false,
  };
}

/** A shape to read into, for callers that keep none of it. */
const scratch = itemShape();

/**
 * Whether `line` is an item line read here, its parts read into `shape`: by hand, and its text by
 * one test with no match made (a match for each line was most of the list finder's garbage).
 * With `decoded`, its text may also be DECODED_TEXT (markdown-plain.ts: backslashes and `&`,
 * which start no block either): markdown-lists.ts decodes it as micromark does; other callers
 * take plain text only.
 */
export function readItem(line: string, shape: ItemShape, decoded = false): boolean {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  const indent = i;
  let c = line.charCodeAt(i);
  let value = -1;
  let digits = 0;
  if (c === 45 /* - */ || c === 42 /* * */ || c === 43 /* + */) {
    i++;
  } else if (c >= 48 && c <= 57) {
    value = 0;
    while (c >= 48 && c <= 57) {
      if (++digits > 9) return false;
      value = value * 10 + (c - 48);
      c = line.charCodeAt(++i);
    }
    if (c !== 46 /* . */ && c !== 41 /* ) */) return false;
    i++;
  } else return false;
  const marker = line.charCodeAt(i - 1);
  let j = i;
  while (line.charCodeAt(j) === 32) j++;
  if (decoded && j === line.length) {
    // An empty item (`empty`): its content column is one past the marker, its text at the end.
    write(shape, indent, marker, value, digits, i + 1, j);
    shape.empty = true;
    return true;
  }
  // 1 to 4 spaces: with more, or a tab, the item may hold indented code (`indentedCode`,
  // markdown-lists.ts alone).
  if (j === i || j > i + 4 || line.charCodeAt(j) === 9)
    return decoded && readCode(line, i, shape, indent, marker, value, digits, -1, -1);
  let textAt = j;
  let checked: boolean | null = null;
  if (line.charCodeAt(j) === 91 /* [ */ && line.charCodeAt(j + 2) === 93 /* ] */ && line.charCodeAt(j + 3) === 32) {
    const check = line.charCodeAt(j + 1);
    if (check === 32) checked = false;
    else if (check === 120 /* x */ || check === 88 /* X */) checked = true;
    if (checked !== null) textAt = j + 4;
  }
  // A block quote of one space and text, no task check (`- > a`): its text is the paragraph's.
  let quote = -1;
  if (decoded && checked === null && line.charCodeAt(j) === 62 /* > */ && line.charCodeAt(j + 1) === 32) {
    quote = j;
    textAt = j + 2;
  }
  // A list item of 1 to 4 spaces and text, no task check (`- - a`): its text is the paragraph's.
  let inner = -1;
  let innerValue = -1;
  if (decoded && checked === null && quote === -1) {
    const c = line.charCodeAt(j);
    let k = -1;
    if (c === 45 /* - */ || c === 42 /* * */ || c === 43 /* + */) k = j + 1;
    else if (c === 49 /* 1 */ && (line.charCodeAt(j + 1) === 46 || line.charCodeAt(j + 1) === 41)) k = j + 2;
    let m = k;
    while (m !== -1 && line.charCodeAt(m) === 32) m++;
    if (k !== -1 && (m > k + 4 || line.charCodeAt(m) === 9))
      return readCode(line, k, shape, indent, marker, value, digits, j, c === 49 ? 1 : -1);
    if (k !== -1 && m > k && m <= k + 4 && line.charCodeAt(m) !== 91 /* [ */) {
      inner = j;
      innerValue = c === 49 ? 1 : -1;
      textAt = m;
    }
  }
  PLAIN_FROM.lastIndex = textAt;
  COLONS_FROM.lastIndex = textAt;
  let escaped = false;
  let piped = false;
  // A line of colons is plain text as written too, for markdown-lists.ts (`decoded`) only.
  if (!PLAIN_FROM.test(line) && !(decoded && COLONS_FROM.test(line))) {
    if (!decoded) return false;
    DECODED_FROM.lastIndex = textAt;
    if (!DECODED_FROM.test(line)) {
      PIPED_FROM.lastIndex = textAt;
      if (!PIPED_FROM.test(line)) return false;
      piped = true;
    }
    escaped = true;
  }
  write(shape, indent, marker, value, digits, j, textAt);
  shape.checked = checked;
  shape.decoded = escaped;
  shape.quote = quote;
  shape.inner = inner;
  shape.innerValue = innerValue;
  shape.piped = piped;
  return true;
}

/**
 * The one writer of every field of an item line's shape: its marker's part, where its content and
 * text start, and every other field as a line of plain text after 1 to 4 spaces has it (no task
 * check, nothing nested, nothing decoded, not empty); each reader then sets what differs.
 */
function write(
  shape: ItemShape,
  indent: number,
  marker: number,
  value: number,
  digits: number,
  content: number,
  textAt: number,
): void {
  shape.indent = indent;
  shape.marker = marker;
  shape.value = value;
  shape.digits = digits;
  shape.content = content;
  shape.checked = null;
  shape.textAt = textAt;
  shape.decoded = false;
  shape.quote = -1;
  shape.inner = -1;
  shape.innerValue = -1;
  shape.indentedCode = -1;
  shape.piped = false;
  shape.empty = false;
}

/**
 * Indented code after an item's marker, which ends at `markerEnd` (every column before it one
 * character: spaces and markers): 5 columns or more of spaces and tabs, then text as an item's
 * would start (CODE_FROM). The item's content column is one past the marker (where a tab there is
 * split: micromark's virtual spaces), the code's text 4 columns past that: `from`, where its value
 * goes on as written, after `spaces`, the columns left of a tab split at the code's column (`-\t\ta`:
 * the value is `  a`). Null for none.
 */
export function codeAfter(line: string, markerEnd: number): { from: number; spaces: number } | null {
  const codeColumn = markerEnd + 5;
  let column = markerEnd;
  let at = markerEnd;
  let from = -1;
  let spaces = 0;
  for (let c = line.charCodeAt(at); c === 32 || c === 9; c = line.charCodeAt(++at)) {
    const next = c === 9 ? column + 4 - (column % 4) : column + 1;
    if (from === -1 && next >= codeColumn) {
      from = at + 1;
      spaces = next - codeColumn;
    }
    column = next;
  }
  CODE_FROM.lastIndex = at;
  return from === -1 || !CODE_FROM.test(line) ? null : { from, spaces };
}

/**
 * An item line whose item (or nested item, at `inner`) holds indented code (codeAfter) after its
 * marker, which ends at `markerEnd`, read into `shape`. The item's content column is one past its
 * marker when it is not nested, the outer item's (where the nested one's marker stands) otherwise.
 */
function readCode(
  line: string,
  markerEnd: number,
  shape: ItemShape,
  indent: number,
  marker: number,
  value: number,
  digits: number,
  inner: number,
  innerValue: number,
): boolean {
  const code = codeAfter(line, markerEnd);
  if (code === null) return false;
  write(shape, indent, marker, value, digits, inner === -1 ? markerEnd + 1 : inner, code.from);
  shape.inner = inner;
  shape.innerValue = innerValue;
  shape.indentedCode = markerEnd + 1;
  return true;
}

/**
 * Where a bullet item's plain text starts, when the line is one with no task check (SIMPLE), or
 * -1. Exported for tests and markdown-quotes.ts.
 */
export function simpleContent(line: string): number {
  return readItem(line, scratch) && scratch.value === -1 && scratch.checked === null ? scratch.content : -1;
}

/** A line a list could go on with after a blank line: indented, or itself a list item. */
export const LISTY = /^(?:[ \t]|[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$))/;

/**
 * A line that may be (in) a list item or a footnote definition: after it, blank lines may go on
 * into an item (a list item's next line, indented), and what was left open in one (a fence, an
 * HTML block, a container) runs on over them to the first line in the first column, where
 * micromark ends it at that line's start when the line opens a list or a block quote, but sooner
 * when it is a stand-in's fence: neither is taken after blank lines there.
 */
export const itemLine = (line: string): boolean => LISTY.test(line) || line.startsWith('[^');

/** A list item's or footnote definition's first line, up to 3 spaces in. */
const ITEM_START = /^ {0,3}(?:[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|\[\^)/;

/**
 * Whether a list item may still be open after `line` (not blank), given whether one may be before
 * it: an item's first line opens one; where one may be open, any line that may be in it (itemLine:
 * every indented line) keeps it, and any other, in the first column, ends every item when it
 * starts a block (`blockStart`: after a blank line, or a closer) and goes on with one lazily
 * otherwise. An indented line where none may be open is in none (`  <div>` after a blank line:
 * 1 MB of it and indented tables was 6 s when it was taken for an item's). A line indented 1 to
 * 3 spaces starts a block of its own only where none may be open (the readers of markdown-*.ts ask).
 */
export const itemMayBeOpen = (before: boolean, line: string, blockStart: boolean): boolean =>
  ITEM_START.test(line) || (before && (itemLine(line) || !blockStart));
