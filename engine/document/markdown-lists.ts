/**
 * Runs of list lines, built without micromark's list construct.
 *
 * micromark gives each open list item a child tokenizer and copies the events of everything in it
 * into its parent's, once per level: 1,000 lines that each indent one space more (200 levels deep)
 * took 3.5 s for half a megabyte (issue #13 item 5; CommonMark's pathological "nested lists"), and
 * even short flat lists cost it far more than prose: 1 MB of paragraphs each followed by a
 * two-item list took 3 s to check, two thirds of it in the lists, and 1 MB of ordered or task
 * items 30 to 50 s (a tight ordered list, which nothing cuts into chunks, more than linearly). A
 * run of lines that are each an item of plain text (markdown-items.ts: `   * some words`,
 * `12) some words`, `- [x] some words`), with a blank line, a CLOSER (an ATX heading, a leaf
 * directive or a thematic break, markdown-plain.ts; not in an HTML block or a table), a footnote
 * definition of plain words (markdown-footnotes.ts; a new container, which ends every list above
 * it and which an item ends in turn) or the text's end before it and a blank line, a CLOSER, a
 * footnote definition's line or the text's end after it, and nothing around it a list could
 * continue from or into (a blank line inside it comes before an item in the first two columns: a
 * loose list's next), is handed to micromark as a fenced code block of the same extent (every
 * offset kept), and its lists are built (markdown-list-build.ts) by CommonMark's rules for such
 * lines, as micromark applies them (nest, markdown-list-nest.ts): a line indented at least an open
 * item's content column stays in it; one indented 0 to 3 columns past its container's starts an
 * item there (a sibling when the container's last list has the same marker: bullet, or `.` or `)`
 * after a number); one indented 4 or more continues the innermost paragraph, lazily.
 *
 * After an item's line, a line of text that starts no block (DECODED_TEXT, any spaces before it)
 * goes on with the innermost paragraph, indented to its item's content or not (a lazy line): it
 * changes no item, its text is added to the paragraph's after a line ending, its spaces dropped.
 * After a blank line in a run, such a line indented to an open item's content, and less than 4
 * past it, is a new paragraph in the innermost such item: the items in it close before the blank
 * line, and the item is spread (mdast's listItem.spread: a blank line between two of its
 * children; the list's spread comes only from blank lines between its items).
 * After a blank line, or right after a line of the run (interrupting the item's paragraph: the
 * item stays tight), a fenced code block may stand there too (markdown-list-fences.ts: backticks
 * or tildes and an info word or none) where markdown-literal.ts sees the same fence (up to 3
 * spaces in all: in an item whose content column is 2 or 3), closed in the item by a line it
 * also closes on, every line in the item or empty (codeLine); no text may go on after it, as no
 * paragraph is open.
 * An item's text may stand in a one-line block quote (`- > a`, `1. > a`: `>`, one space, text):
 * the item holds a block quote from its `>` to the line's end, holding the paragraph; or in a
 * one-line list item (`- - a`, `1. * a`, `- 1. a`: a bullet or a lone `1`, 1 to 4 spaces, text,
 * no task check): the item holds a list of that one item, holding the paragraph; or either holds
 * one line of indented code (`-     a`, `- -     a`, `-\t\ta`: 5 columns or more of spaces and
 * tabs after the marker, then text as an item's would start; markdown-items.ts, codeAfter): the
 * code's value is the line past 4 columns more (1 MB of `- -     a` or of `-\t\ta`, a blank line
 * after each, each item's content read as a document, took 2 to 2.7 s, now 0.7 to 1 s, parse
 * only). Nothing may go on with it: right after it, only an item outside it (in fewer columns
 * than its content), a closer or a footnote definition is taken; a lazy line, a `>` line, a nested
 * item, or a paragraph or code in it after a blank line leave the run to micromark, as do nested
 * or empty quotes and lists; so does an item of indented code interrupting a paragraph.
 * An item may be empty (`-`, `1.`, `-   `: nothing but spaces after its marker; 1 MB of lists
 * holding one was micromark's whole, 20 to 35 s): it has no children, and its content column is
 * one past the marker. Right after it, text indented to an open item's content (less than 4 past
 * it) is a new paragraph in the innermost such item, which stays tight (`-`, `  c`); a blank line
 * right after it ends it (`-`, a blank line, `  c`: c is after the list). It interrupts no
 * paragraph: right after a paragraph's line, in every open item (`- a`, `  -`: a setext heading),
 * it is left to micromark, as are text in no open item, indented code or an item that would be
 * none right after it.
 * Plain text is what markdown-plain.ts says; an item's text may also hold escapes and character
 * references (DECODED_TEXT), decoded here as micromark decodes them (decodeString, line by line:
 * neither spans a line ending, and a backslash before one is kept, hard breaks being off). Lines in fenced code, HTML blocks and the
 * frontmatter are never taken (markdown-literal.ts).
 * test/check/markdown-lists.test.ts compares the trees built here with micromark's.
 */
import type { Root } from 'mdast';
import { FOOTNOTE_START, SIMPLE_FOOTNOTE } from './markdown-footnotes.js';
import { type ItemShape, itemLine, itemShape, LISTY, readItem } from './markdown-items.js';
import { CLEAR, CLOSER_SHAPE, eachLine, exactly } from './markdown-literal.js';
import { DECODED_TEXT, lineAfter, mayBeDelimiterRow } from './markdown-plain.js';
import { codeLineOf, itemLineOf, textLineOf } from './markdown-list-lines.js';
import { restoreStandIns } from './markdown-stand-ins.js';
import { buildLists } from './markdown-list-build.js';
import { codeLine, fenceIn } from './markdown-list-fences.js';
import {
  enter,
  type ItemCode,
  keptBy,
  type Line,
  type ListRun,
  interruptsParagraph,
  nest,
} from './markdown-list-nest.js';

/**
 * A line of text that starts no block (markdown-plain.ts), spaces before it: after an item's line
 * it goes on with its paragraph.
 */
const CONTINUED = new RegExp(`^ *(?:${DECODED_TEXT})$`, 'u');

/**
 * The runs in `text` that are read here (see above); `first`: the document's first chunk, where
 * the frontmatter may stand. `afterParagraphs`: the starts of the lines right after a paragraph
 * that markdown-paragraphs.ts reads (one at the top level or in a `:::` container, so no list is
 * open in it) or after a quote of a paragraph or list that markdown-quotes.ts reads, where a run may start with an item in the first column that interrupts it: a
 * bullet, or a lone `1` (micromark's rule for an item interrupting a paragraph; its text is never
 * blank here). Its stand-in, a fence, interrupts the paragraph as the list does.
 */
export function findListRuns(text: string, first = false, afterParagraphs: ReadonlySet<number> = new Set()): ListRun[] {
  if (!/(?:^|\n) *(?:[-*+]|\d{1,9}[.)])(?:[ \t\n]|$)/.test(text)) return [];
  const runs: ListRun[] = [];
  const accept = (lines: Line[]): void => {
    if (lines.length > 0)
      runs.push({ start: lines[0]!.start, end: lines[lines.length - 1]!.end, lines: exactly(lines) });
  };
  /** A run left to micromark: the lists before its last top-level one are still taken (finishedLists). */
  const drop = (lines: Line[]): void => accept(finishedLists(lines));
  let current: Line[] = [];
  /** The content columns of the items open after `current`'s last line (as nest keeps them). */
  let stack: number[] = [];
  /** The same after `ended`'s. */
  let endedStack: number[] = [];
  /** A run that ended at a blank line: kept if the next line is not one a list could go on with. */
  let ended: Line[] | null = null;
  /**
   * A run may start here: at the text's start, after a blank line that ends a block no list is
   * open in, or after a closer (an ATX heading or a leaf directive) that starts such a block.
   */
  let startable = true;
  /**
   * Whether the block since the last blank line has a line a list could be open after: kept
   * through blank lines (however many, they do not end a list), renewed by the next block.
   */
  let listy = false;
  let blankBefore = false;
  /** The code block the run is in (its lines are literal, markdown-literal.ts), and its fence. */
  let code: { code: ItemCode; fence: string; indent: number } | null = null;
  /** The last line read was a code block's closing fence: no paragraph is open for text to go on. */
  let afterCode = false;
  const shape = itemShape();
  eachLine(text, first, (line, { start: pos, end, row }, literal, blank, flags) => {
    if (literal && code !== null && codeLine(code, line)) {
      // A line of the code block in the item, or its closing fence.
      const closing = code.code.closing === null ? null : { start: pos, end, row };
      current.push(codeLineOf(pos, end, 0, false, row, 'in'));
      if (closing !== null) {
        code.code.closing = closing;
        code = null;
        afterCode = true;
      }
    } else if (literal) {
      // Code, HTML or frontmatter: nothing starts here, and a run does not go on through it.
      drop(current);
      current = [];
      stack = [];
      code = null;
      startable = false;
      blankBefore = false;
    } else if (code !== null) {
      // The code block was not read as micromark would read it: the run is left to micromark.
      drop(current);
      current = [];
      stack = [];
      code = null;
      startable = false;
      blankBefore = blank;
    } else {
      if (blank) {
        afterCode = false;
        // White space on a blank line after an item's indented code may be the code's (micromark
        // keeps it in the value, `- -     a` then 10 spaces): the run is left to micromark.
        const before = current.length > 0 ? current : ended;
        if (line !== '' && before !== null && before[before.length - 1]!.indentedCode !== -1) {
          drop(before);
          if (before === current) stack = [];
          current = [];
          ended = null;
        }
        if (current.length > 0) {
          ended = current;
          endedStack = stack;
          // A blank line right after an empty item ends it (an item begins with one blank line
          // at most): what follows in its content column is not in it.
          if (current[current.length - 1]!.empty) endedStack.length--;
        }
        current = [];
        stack = [];
        startable = !listy;
        blankBefore = true;
      } else {
        if (blankBefore) listy = false;
        blankBefore = false;
        // A `|` in the item's text: taken unless the next line may make it a table's head.
        const simple = readItem(line, shape, true) && !(shape.piped && mayBeDelimiterRow(lineAfter(text, end)));
        /** A block quote's line in the first column: a new container, which ends every list. */
        const quote = line.charCodeAt(0) === 62; /* > */
        const { indent } = shape;
        // After a blank line, an item in the first two columns goes on with the run: no item
        // continues through it (every content column is 2 or more), so it is a top-level item; so
        // does one up to 3 spaces in and short of the outermost open item's content column
        // (`  - a`, a blank line, `  - b`).
        /** After a blank line, text in an open item (paragraphIn): the items it stays in, or 0. */
        let paragraphKept = 0;
        /** After a blank line, a code block's opening fence in an open item (fenceIn), or null. */
        let fenced: { kept: number; fence: string; lang: string | null; column: number } | null = null;
        // After a code block, no paragraph is open: text would not go on with one, nor an item
        // line that would (4 past its container's content, or a number other than a lone 1).
        const stuck = afterCode && !(simple && enter([...stack], shape));
        afterCode = false;
        // Right after an item holding a one-line block quote or list, only an item outside it, a
        // closer or a footnote definition is taken: a lazy line, a `>` line or anything in the
        // item (a nested item) is left to micromark, as is a paragraph or code in it after a blank line.
        const last = current.length > 0 ? current[current.length - 1]! : null;
        const afterQuote =
          last !== null &&
          holdsOne(last) &&
          !(simple && indent < last.content) &&
          (flags & CLOSER_SHAPE) === 0 &&
          !FOOTNOTE_START.test(line);
        const endedLast = ended !== null ? ended[ended.length - 1]! : null;
        if (afterQuote) {
          // Left to micromark: the run is dropped.
          drop(current);
          current = [];
          stack = [];
        } else if (
          endedLast !== null &&
          holdsOne(endedLast) &&
          !simple &&
          (paragraphIn(endedStack, line) > 0 || fenceIn(endedStack, line) !== null)
        ) {
          drop(ended!);
          ended = null;
        } else if (ended !== null && simple && (indent <= 1 || (indent <= 3 && indent < endedStack[0]!))) {
          current = ended;
          stack = endedStack;
        } else if (ended !== null && !simple && (paragraphKept = paragraphIn(endedStack, line)) > 0) {
          current = ended;
          stack = endedStack;
          stack.length = paragraphKept;
        } else if (ended !== null && !simple && (fenced = fenceIn(endedStack, line)) !== null) {
          current = ended;
          stack = endedStack;
          stack.length = fenced.kept;
        } else if (ended === null && current.length > 0 && !simple && (fenced = fenceIn(stack, line)) !== null) {
          // Right after a line of the run, a fence in an open item interrupts its paragraph (an
          // item's `Query:`, then its SQL): the code is the item's, which stays tight.
          stack.length = fenced.kept;
        } else if (ended !== null && !LISTY.test(line)) accept(ended);
        // A line a list could go on with, after the blank line: the run is left to micromark.
        else if (ended !== null) drop(ended);
        const afterBlank = ended !== null;
        ended = null;
        // A run starts with an item (indented 4 or more, its first line would be code).
        if (fenced !== null) {
          const opened: ItemCode = { lang: fenced.lang, lines: [], column: fenced.column, closing: null };
          let spaces = 0;
          while (line.charCodeAt(spaces) === 32) spaces++;
          current.push(codeLineOf(pos, end, spaces, afterBlank, row, opened));
          code = { code: opened, fence: fenced.fence, indent: spaces - fenced.column };
        } else if (stuck) {
          if ((flags & CLOSER_SHAPE) !== 0 || FOOTNOTE_START.test(line)) accept(current);
          else drop(current);
          current = [];
          stack = [];
        } else if (paragraphKept > 0) {
          current.push(textLineOf(pos, end, line, afterBlank, row, 'paragraph'));
        } else if (afterQuote) {
          // (dropped above)
        } else if (
          simple &&
          (current.length > 0 ||
            (startable && indent <= 3) ||
            // (An item of indented code interrupting a paragraph is left to micromark, see above.)
            (indent === 0 &&
              afterParagraphs.has(pos) &&
              interruptsParagraph(shape) &&
              shape.indentedCode === -1 &&
              !shape.empty))
        ) {
          if (current.length === 0) stack = [];
          // An empty item in every open item, right after a line of the innermost's paragraph,
          // would interrupt it: micromark reads it as that paragraph's (`- a`, `  -`: a setext
          // underline; `  *`: text going on). Left to micromark.
          const interrupting =
            shape.empty && last !== null && !afterBlank && paragraphOpen(last) && indent >= stack[stack.length - 1]!;
          const entered = !interrupting && enter(stack, shape);
          current.push(itemLineOf(shape, pos, end, afterBlank, row));
          // A block quote line that would be no item (text going on with a paragraph), an item
          // line that would go on with the quote's, an empty item that would be no item, or an
          // item line that would be no item right after an empty one, where no paragraph is open
          // for it to go on with (`-`, `      - a`: indented code; `-`, `  2. a`: a list): left to micromark.
          if (!entered && (holdsOne(shape) || shape.empty || (last !== null && (holdsOne(last) || last.empty)))) {
            drop(current);
            current = [];
            stack = [];
          }
        } else if (current.length > 0 && !afterBlank && last!.empty && CONTINUED.test(line)) {
          // Text right after an empty item: no paragraph is open for it to go on with, so it is a
          // new one in the innermost item it is indented to (less than 4 past its content: 4 would
          // be indented code), which stays tight (`-`, `  c`); in none, it ends the list (`-`, `c`: left to micromark).
          const kept = paragraphIn(stack, line);
          if (kept > 0) {
            stack.length = kept;
            current.push(textLineOf(pos, end, line, false, row, 'paragraph'));
          } else {
            drop(current);
            current = [];
            stack = [];
          }
        } else if (current.length > 0 && !afterBlank && CONTINUED.test(line)) {
          // Text that starts no block, right after an item's line or another such: it goes on
          // with the innermost paragraph, whatever its indent (4 or more past the content would
          // be indented code, which interrupts no paragraph; less, lazily, stays in it too).
          current.push(textLineOf(pos, end, line, afterBlank, row, 'continues'));
        } else {
          // A run ends at a blank line, the text's end, or a closer in the first column (an ATX
          // heading or a leaf directive: it is not indented, and it interrupts the item's paragraph),
          // or a footnote definition's or block quote's line in the first column (a new container,
          // which ends every item: 1 MB of `- a` and `> b` lines took micromark 27 s).
          if ((flags & CLOSER_SHAPE) !== 0 || FOOTNOTE_START.test(line) || quote) accept(current);
          else drop(current);
          current = [];
          stack = [];
        }
        const closer = (flags & CLOSER_SHAPE) !== 0 && (flags & CLEAR) !== 0;
        // A footnote definition of plain words in the first column ends every list above it (a new
        // container) and holds a paragraph only, which an item up to 3 spaces in ends in turn (a
        // new container again; with 4 it would be in the definition): a run may start after it.
        const footnote = (flags & CLEAR) !== 0 && line.charCodeAt(0) === 91 /* [ */ && SIMPLE_FOOTNOTE.test(line);
        // (A simple item is an item line. A footnote definition of plain words leaves no fence or
        // container open for blank lines to end.)
        // A block quote's line in the first column ends every list too: blank lines then end the
        // quote, and a list may start after them.
        listy = !closer && !footnote && !quote && (listy || simple || (itemLine(line) && !SIMPLE_FOOTNOTE.test(line)));
        startable = closer || footnote;
      }
    }
  });
  if (code !== null) {
    drop(current);
    current = [];
  }
  if (current.length > 0) accept(current);
  else if (ended !== null) accept(ended);
  return runs;
}

/**
 * The lines of a run that what follows it cannot change, when micromark must read the rest: up
 * to its last top-level item that starts a list of its own (its marker not the one of the list
 * before it), which ends every list before it; none when it has no such item. A run of 1 MB of
 * one-item lists was once left to micromark whole for an empty item after it (8.5 s for 256 KB).
 */
function finishedLists(lines: Line[]): Line[] {
  let marker = -1;
  let last: Line | null = null;
  nest(
    lines,
    (line, kept) => {
      if (kept === 0 && marker !== -1 && line.marker !== marker) last = line;
      if (kept === 0) marker = line.marker;
    },
    () => {},
    () => {},
    () => {},
  );
  return last === null ? [] : lines.slice(0, lines.indexOf(last));
}

/** Replaces each run's stand-in by its lists; false, tree untouched, when one is missing. */
export function restoreLists(tree: Root, runs: readonly ListRun[], text: string): boolean {
  return restoreStandIns(tree, runs, (run, line) => buildLists(run, text, line));
}

/**
 * How many of the open items (`stack`: their content columns) a line of text after a blank line
 * stays in, when it is a new paragraph in the innermost of them: indented at least to its content
 * and less than 4 past it (4 would be indented code), text that starts no block. 0 otherwise.
 */
function paragraphIn(stack: readonly number[], line: string): number {
  let spaces = 0;
  while (line.charCodeAt(spaces) === 32) spaces++;
  return CONTINUED.test(line) ? keptBy(stack, spaces) : 0;
}

/** A line after which its item's paragraph is open: text, not an empty item or code. */
const paragraphOpen = (line: Line): boolean => line.code === null && !line.empty;

/**
 * An item's line holds a one-line block quote, list or indented code (`- > a`, `- - a`,
 * `-     a`): nothing goes on with it.
 */
const holdsOne = (line: Pick<ItemShape, 'quote' | 'inner' | 'indentedCode'>): boolean =>
  line.quote !== -1 || line.inner !== -1 || line.indentedCode !== -1;
