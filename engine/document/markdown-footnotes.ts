/**
 * Long runs of one-line footnote definitions, built without micromark's footnote construct.
 *
 * micromark gives every footnote definition a child tokenizer, and mdast a node: 1 MB of lines
 * like `[^a]: [^b]: [^c]: x` took 7 times as long as 1 MB of prose (issue #13 item 5). A run of
 * simple ones (one or more `[^label]: ` then plain words, a new definition on each line, which
 * micromark reads as such) between blank lines (or the text's ends), with blank lines between
 * them or none, the first line after it not indented (it would go on in the last definition), is
 * handed to micromark as a
 * fenced code block of the same extent (every offset kept), and the code block micromark finds
 * there is replaced by the nodes built here as micromark and mdast-util-gfm-footnote build them.
 * When the run does not come back as a code block of its extent, nothing is replaced and the
 * caller parses the text as it is. A definition may be indented 1 to 3 spaces where no list item
 * may be open to hold it (1 MB of `  [^a]: b` took micromark 9 s, more than linear: nothing cut it).
 */
import type { FootnoteDefinition, Root } from 'mdast';
import { decodeString } from 'micromark-util-decode-string';
import { type ItemShape, itemMayBeOpen, itemShape, readItem } from './markdown-items.js';
import { leadOf } from './markdown-literal.js';
import { PARAGRAPH_TEXT } from './markdown-paragraphs.js';
import { HEADING, LEAF } from './markdown-plain.js';
import { restoreStandIns } from './markdown-stand-ins.js';

/** Runs shorter than this are parsed as they are (but in prose runs, markdown-prose.ts). */
const RUN = 16;

/**
 * A footnote label read here: printable ASCII (no white space or bracket, which micromark refuses
 * in one), but for `\` and `&` (escapes and references: the label is kept as written, its
 * identifier decoded) and `^`; its identifier is its lower case.
 */
const LABEL_TEXT = "[!-%'-Z_-~]{1,64}";
/**
 * Footnote definitions nested on one line around text that starts no block (PARAGRAPH_TEXT of
 * markdown-paragraphs.ts: escapes and character references in it are decoded, as micromark
 * decodes them), so nothing is open in them but a paragraph (markdown-lists.ts: no list may be
 * open after one); no `|` in it (a table's head, were a delimiter row to follow).
 */
export const SIMPLE_FOOTNOTE = new RegExp(`^(?:\\[\\^${LABEL_TEXT}\\]: )+(?![^|]*\\|)(?:${PARAGRAPH_TEXT})$`, 'u');
const LABEL = new RegExp(`\\[\\^(${LABEL_TEXT})\\]: `, 'g');
/**
 * A footnote definition's start in the first column (its label plain: micromark takes any label
 * with no white space or bracket in it, and so no fewer lines than this). A container start: it
 * ends every list item, block quote and footnote definition open above it, and is never a lazy
 * line of a paragraph in one (micromark looks for a new container before it looks for a lazy
 * line, and a footnote definition, unlike a list item, may always interrupt a paragraph).
 */
export const FOOTNOTE_START = new RegExp(`^\\[\\^${LABEL_TEXT}\\]:`);

interface FootnoteLine {
  start: number;
  end: number;
  /** The line's row in the text, from 0. */
  row: number;
}

export interface FootnoteRun {
  start: number;
  end: number;
  lines: FootnoteLine[];
}

/**
 * Whether a line right after a footnote definition's ends it (see findFootnoteRuns): a list item's
 * line indented up to 3 spaces, or an ATX heading or leaf directive in the first column (each
 * interrupts the definition's paragraph and closes the definition; `::stepwise-chunk-end`,
 * markdown.ts, is such a directive).
 */
function ends(line: string, shape: ItemShape): boolean {
  return (readItem(line, shape) && shape.indent <= 3) || HEADING.test(line) || LEAF.test(line);
}

/**
 * Runs of simple footnote definition lines with a blank line (or the text's end) on each side,
 * and blank lines between them or none: a line in the first column after a blank one ends the
 * definition before it, so each is a block of its own either way; or right after an ATX heading
 * or a leaf directive in the first column, which ends every block. Or, with no blank line:
 *  - after, a list item's line of plain text (markdown-items.ts) indented up to 3 spaces: a list
 *    item is a new container, which ends the definition whatever its number (micromark asks
 *    whether an item may interrupt a paragraph only of a line every open container goes on on:
 *    markdown-lists.ts), and with 4 spaces it would be in the definition; or an ATX heading or a
 *    leaf directive in the first column;
 *  - before, where `after` has the line's start: markdown-prose.ts gives the lines after a run of
 *    list items (markdown-lists.ts), which leaves nothing open but paragraphs, and a footnote
 *    definition in the first column is a new container too, which ends them.
 */
export function findFootnoteRuns(text: string, min = RUN, after?: ReadonlySet<number>): FootnoteRun[] {
  if (!text.includes('[^')) return [];
  const runs: FootnoteRun[] = [];
  let current: FootnoteLine[] = [];
  let afterBlank = true;
  /** The line before was an ATX heading or a leaf directive in the first column, which ends every block. */
  let afterCloser = false;
  let pos = 0;
  /**
   * Since the last block in the first column: a line that may be (in) a list item (itemLine), in
   * which a definition indented 1 to 3 spaces could be.
   */
  let inItem = false;
  const shape = itemShape();
  const close = (): void => {
    if (current.length >= min)
      runs.push({ start: current[0]!.start, end: current[current.length - 1]!.end, lines: current });
    current = [];
  };
  for (let row = 0; pos <= text.length; row++) {
    const newline = text.indexOf('\n', pos);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(pos, end);
    const startable = afterBlank || afterCloser || current.length > 0 || after?.has(pos);
    afterCloser = false;
    // Up to 3 spaces before it where no list item may hold it, as ATX headings (markdown-headings.ts).
    const indent = leadOf(line);
    if (
      text[pos + indent] === '[' &&
      (indent === 0 || !inItem) &&
      SIMPLE_FOOTNOTE.test(indent === 0 ? line : line.slice(indent)) &&
      startable
    ) {
      current.push({ start: pos, end, row });
      afterBlank = false;
      inItem = false; // a new container: it ends every list item above it
    } else if (/^[ \t]*$/.test(line)) afterBlank = true;
    else {
      afterCloser = HEADING.test(line) || LEAF.test(line);
      // A definition in the first column is a new container: it ends every list item above it.
      inItem = !FOOTNOTE_START.test(line) && itemMayBeOpen(inItem, line, afterBlank || afterCloser);
      // After the run's blank lines, a line in the first column ends its last definition; an
      // indented one would go on in it, and with no blank line between any line would.
      if (afterBlank ? !/^[ \t]/.test(line) : ends(line, shape)) close();
      current = [];
      afterBlank = false;
    }
    if (newline === -1) break;
    pos = newline + 1;
  }
  if (afterBlank || current.length > 0) close();
  return runs;
}

/** Replaces each run's stand-in by its definitions; false, tree untouched, when one is missing. */
export function restoreFootnotes(tree: Root, runs: readonly FootnoteRun[], text: string): boolean {
  return restoreStandIns(tree, runs, (run, line) => buildFootnotes(run, text, line));
}

/** The run's definitions, as micromark and mdast-util-gfm-footnote build them; `firstLine`: the line it starts on. */
export function buildFootnotes(run: FootnoteRun, text: string, firstLine: number): FootnoteDefinition[] {
  return run.lines.map((l) => definitionLine(text, l.start, l.end, firstLine + l.row - run.lines[0]!.row));
}

/** A paragraph's text as micromark's block parse gives it: escapes and character references decoded. */
const decoded = (value: string): string => (value.includes('\\') || value.includes('&') ? decodeString(value) : value);

/** One line's nested definitions around its paragraph, as micromark and mdast build them. */
function definitionLine(text: string, start: number, end: number, line: number): FootnoteDefinition {
  const at = (offset: number) => ({ line, column: offset - start + 1, offset });
  const labels: { label: string; offset: number }[] = [];
  const lineText = text.slice(start, end);
  let content = start + leadOf(lineText); // a definition indented 1 to 3 spaces
  for (const m of lineText.matchAll(LABEL)) {
    if (m.index !== content - start) break; // a `[^x]: ` among the words, after the labels
    labels.push({ label: m[1]!, offset: start + m.index });
    content = start + m.index + m[0].length;
  }
  const span = { start: at(content), end: at(end) };
  let inner: FootnoteDefinition['children'] = [
    {
      type: 'paragraph',
      children: [{ type: 'text', value: decoded(text.slice(content, end)), position: span }],
      position: { start: at(content), end: at(end) },
    },
  ];
  for (let i = labels.length - 1; i >= 0; i--) {
    const { label, offset } = labels[i]!;
    const node: FootnoteDefinition = {
      type: 'footnoteDefinition',
      identifier: label.toLowerCase(),
      label,
      children: inner,
      position: { start: at(offset), end: at(end) },
    };
    inner = [node];
  }
  return inner[0] as FootnoteDefinition;
}
