/**
 * safeCuts (engine/document/markdown-safe-cuts.ts) asks each regular expression only of a line it may match
 * (by its first characters): the cuts are the ones it made asking every line all of them, its
 * code before (kept here as it was, with the cuts inside runs of blank lines and the ones where
 * nothing may be open in an item but what both ways of closing it close alike added since), on
 * generated documents of the lines that open, close and continue what it follows.
 */
import { describe, expect, it } from 'vitest';
import { FENCE, HTML_OPEN, quoteEndsParagraphs } from '../../engine/document/markdown-literal.js';
import { itemLine } from '../../engine/document/markdown-items.js';
import { HEADING, LEAF } from '../../engine/document/markdown-plain.js';
import { safeCuts } from '../../engine/document/markdown-safe-cuts.js';
import { topItemKey } from '../../engine/document/markdown-list-cuts.js';
import { seededRandom } from '../helpers/generate.js';

/** A line of 3 or more colons at up to 3 spaces: a `:::` container's opening or closing. */
const COLON_FENCE = /^ {0,3}(:{3,})(.*)$/;
/**
 * What may start a directive's name: not whitespace nor punctuation (micromark-extension-directive,
 * factory-name.js), or a tab, which micromark takes for one too. Any character past ASCII is taken
 * as a start, which can only keep a cut out.
 */
const NAME_START = /^(?:[^\s!-/:-@[-`{-~]|\t)/;
const BLANK = /^[ \t]*$/;

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
 *    micromark skips at a text's start), or indented 1 to 3 spaces, no list item, where no line
 *    since the last safe place may be (in) a list item or footnote definition, or
 *  - a leaf directive alone on its line (LEAF), or an ATX heading at column 1 (HEADING: it
 *    interrupts a paragraph and closes every list and block quote, as a leaf directive does;
 *    1 MB of list items each followed by a heading took minutes as one chunk), when no line
 *    since the last blank one started with `<` (an HTML block of types 6 and 7 runs on to a
 *    blank line) or held a `|` (table rows); or a block quote's `>` at column 1 after a line of
 *    text at column 1 after a quote line that leaves no paragraph open (an empty `>`, a quoted
 *    fence's line): a paragraph at the top level, which the `>` interrupts.
 * Each at least `every` characters after the last. A text with a lone CR is not cut.
 *
 * The fences, containers and HTML blocks followed are the ones outside lists and block quotes:
 * those inside one end with it, at the next line at column 1. One indented 1 to 3 spaces may be
 * in a list item or not; so may a line starting with `<` be an HTML block or not; where what
 * follows would be read differently either way (a line indented less inside such a fence, a
 * fence opening under such a line, a container's closing inside a fence it holds: micromark
 * closes the container first), no cut is made from there on. parseChunks checks each cut again.
 */
function referenceCuts(source: string, every: number): number[] {
  if (source.length <= every) return [];
  // micromark ends a line at a lone CR too (parse.ts makes each a LF; other callers may not).
  if (/\r(?!\n)/.test(source)) return [];
  const cuts: number[] = [];
  let open: Open | null = null;
  /** The sizes of the `:::` containers open, innermost last. */
  const containers: number[] = [];
  let previousBlank = false;
  /** Since the last blank line: a line started with `<` that may be an HTML block of type 6 or 7. */
  let maybeHtml = false;
  /** Since the last blank line: a line held a `|` (a table's rows run on to a blank line). */
  let maybeTable = false;
  let lastCut = 0;
  let blankCuts: number[] = [];
  let lastBlankCut = 0;
  let inItem = false;
  /** Since the last safe place: a line that may hold a fence, HTML block or container open in an item. */
  let mayHoldOpen = false;
  let mayHoldHtml = false;
  let blanks = 0;
  /** The marker of the list the last line in the first column began an item of, or null. */
  let listKey: string | null = null;
  /** The indent and marker of the top-level list indented 1 to 3 spaces being followed, or null. */
  let indentedList: string | null = null;
  /** paragraphEnder: the line before was a quote's that leaves no paragraph open (outside fences);
   * textAfterEnder: text in the first column right after one. */
  let paragraphEnder = false;
  let textAfterEnder = false;
  let quoteSinceItem = false;
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
    const line = source.slice(pos, end).replace(/\r$/, '');
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
      // The next item of a list in the first column, with only the list open (markdown-list-cuts.ts).
      const column0 = !blank && !/^[ \t]/.test(line);
      const key = column0 ? topItemKey(line) : null;
      const nextItem =
        !previousBlank &&
        key !== null &&
        key === listKey &&
        (!mayHoldOpen || (!mayHoldHtml && /^(?:[-*+]|\d{1,9}[.)]) {1,4}[^ \t]/.test(line))) &&
        !maybeHtml &&
        !maybeTable &&
        containers.length === 0;
      // The next item of a top-level list indented 1 to 3 spaces, its items one line each.
      const lead = /^ */.exec(line)![0].length;
      const indentedKey = lead >= 1 && lead <= 3 ? topItemKey(line.slice(lead)) : null;
      const nextIndented: boolean =
        !previousBlank &&
        indentedKey !== null &&
        `${lead}${indentedKey}` === indentedList &&
        !mayHoldOpen &&
        !maybeHtml &&
        !maybeTable &&
        containers.length === 0;
      indentedList =
        indentedKey !== null && (nextIndented || ((previousBlank || pos === firstLine) && !inItem))
          ? `${lead}${indentedKey}`
          : null;
      if (column0) listKey = key !== null && (key === listKey || previousBlank || pos === firstLine) ? key : null;
      else if (!blank && previousBlank) listKey = null;
      const top =
        !blank &&
        !/^[ \t\uFEFF]/.test(line) &&
        (LIST_ITEM.test(line)
          ? quoteSinceItem && blanks > 0
          : !inItem || (blanks === 1 && line[0] !== '>' && !line.startsWith('[^')) || !mayHoldOpen);
      const indented =
        /^ {1,3}[^ \t]/.test(line) &&
        !inItem &&
        !LIST_ITEM.test(line.trimStart()) &&
        !line.trimStart().startsWith('[^');
      const safe = previousBlank
        ? top || indented
        : ((LEAF.test(line) ||
            HEADING.test(line) ||
            (/^\[\^[A-Za-z0-9_-]{1,64}\]:/.test(line) && !mayHoldOpen) ||
            (line.startsWith('>') && textAfterEnder)) &&
            !maybeHtml &&
            !maybeTable) ||
          nextItem ||
          nextIndented;
      // A footnote definition is a safe place that opens an item; a line indented 1 to 3 spaces
      // where no item is open is in none.
      if (!blank && !indented && itemLine(line)) inItem = true;
      else if (safe) inItem = false;
      if (safe) mayHoldOpen = mayHoldHtml = false;
      if (!blank && ['```', '~~~', ':::', '<'].some((s) => line.includes(s))) mayHoldOpen = true;
      if (!blank && line.includes('<')) mayHoldHtml = true;
      if (blank && previousBlank && containers.length === 0 && !inItem) {
        if (blankCuts.length === 0) lastBlankCut = lastCut;
        if (pos - lastBlankCut >= every) {
          blankCuts.push(pos);
          lastBlankCut = pos;
        }
      } else if (!blank && blankCuts.length > 0) {
        if (safe && containers.length === 0) {
          cuts.push(...blankCuts);
          lastCut = lastBlankCut;
        }
        blankCuts = [];
      }
      if (safe && containers.length === 0 && pos - lastCut >= every) {
        cuts.push(pos);
        lastCut = pos;
      }
      const f = FENCE.exec(line);
      const fence = f !== null && !(f[1]![0] === '`' && line.slice(f[0].length).includes('`'));
      const c = f ? null : COLON_FENCE.exec(line);
      const containerOpens = c !== null && NAME_START.test(c[2]!);
      const containerCloses =
        c !== null && BLANK.test(c[2]!) && containers.length > 0 && c[1]!.length >= containers[containers.length - 1]!;
      const html = f || c ? undefined : HTML_OPEN.find(([opening]) => opening.test(line));
      const lt = line.indexOf('<');
      const htmlOpens = html !== undefined && !html[1].test(line.slice(lt + 1));
      if (maybeHtml && (fence || containerOpens || containerCloses || htmlOpens)) return cuts;
      if (fence) open = { close: f[1]!, indent: indentOf(line), contained: containers.length > 0 };
      else if (containerOpens) containers.push(c[1]!.length);
      else if (containerCloses) containers.pop();
      else if (htmlOpens) open = { close: html[1], indent: indentOf(line), contained: containers.length > 0 };
      if (html === undefined && /^[ \t]*</.test(line)) maybeHtml = true;
      if (line.includes('|')) maybeTable = true;
    }
    if (blank) maybeHtml = maybeTable = false;
    else if (itemLine(line)) quoteSinceItem = false;
    else if (line.startsWith('>') && open === null) quoteSinceItem = true;
    textAfterEnder = paragraphEnder && open === null && /^(?!\d{1,9}[.)])[\p{L}\p{N}]/u.test(line);
    paragraphEnder = open === null && quoteEndsParagraphs(line);
    blanks = blank ? blanks + 1 : 0;
    previousBlank = blank;
    pos = end + 1;
  }
  cuts.push(...blankCuts);
  return cuts;
}

const LINES = [
  '',
  '',
  '',
  ' ',
  '\t',
  'text',
  'more text',
  '- a',
  '- a',
  '* b',
  '1. c',
  '  - d',
  '\ufeffx',
  '# h',
  '## h',
  '#h',
  '###### h',
  '####### h',
  '::name',
  '::name[label]',
  '::name{a=1}',
  ' ::name',
  ':::note',
  ':::',
  '::::',
  ' :::note',
  '   :::',
  '    :::note',
  ':::1x',
  '::: ',
  '```',
  '```js',
  '``` `x`',
  '~~~',
  '  ```',
  '   ~~~',
  '    ```',
  '````',
  '<div>',
  '  <div>',
  '<!--',
  '-->',
  '<script>',
  '</script>',
  '<?x',
  '?>',
  '<!X',
  '>',
  '>',
  '>  ',
  '<![CDATA[',
  ']]>',
  '<b>x</b>',
  'a <b>',
  '\t<div>',
  '| a |',
  'a | b',
  '--|--',
  '> q',
  ' > q',
  '  # h',
  '   text',
  ' 1. x',
  '   - * a',
  '   - * a',
  '  - b',
  ' 1) c',
  '> ```',
  '> ~~~ x',
  '> :::note',
  '> :::',
  '[^a]: b',
  '[^a]: b',
  '[^a]:',
  '[^a b]: c',
  '[^a]: ```',
  ' [^a]: b',
  '    [^a]: b',
  '- [^a]: b',
  '---',
  'title: x',
];

function generate(random: (n: number) => number): string {
  const lines: string[] = [];
  for (let n = 1 + random(60); n > 0; n--) lines.push(LINES[random(LINES.length)]!);
  const eol = random(4) === 0 ? '\r\n' : '\n';
  return lines.join(eol) + (random(3) === 0 ? '' : eol);
}

describe('safeCuts asks each line only what it may match', () => {
  it('makes the cuts it made asking every line everything', () => {
    const random = seededRandom(17);
    let cuts = 0;
    for (let k = 0; k < 4000; k++) {
      const text = generate(random);
      for (const every of [1, 16, 64]) {
        const expected = referenceCuts(text, every);
        expect(safeCuts(text, every), JSON.stringify(text)).toEqual(expected);
        cuts += expected.length;
      }
    }
    expect(cuts).toBeGreaterThan(2000);
  });
});
