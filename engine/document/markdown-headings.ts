/**
 * ATX headings of plain text, built without micromark: with them, prose runs (markdown-prose.ts)
 * go on through the headings between lists and paragraphs, and a document of list items each
 * followed by a heading (100,000 blocks to the megabyte, each costing micromark tens of µs) is
 * read apart from micromark like any prose.
 *
 * A line `#` to `######`, one space, and text (HEADING_TEXT), maybe with a closing
 * sequence after it (then the text holds no `#`), is a heading wherever it stands in the first column, outside fenced code,
 * HTML blocks of types 1 to 5 and the frontmatter (markdown-literal.ts): it interrupts a
 * paragraph and closes every list, block quote and footnote above it. Not where a line since the
 * last blank one may have opened an HTML block of types 6 or 7 or be a table's (OPAQUE), which
 * run on to a blank line. Its text is as written, or with escapes and character references
 * (DECODED_HEADING_TEXT) decoded.
 *
 * One indented 1 to 3 spaces is a heading too, and ends the same blocks, where no list item may be
 * open above it (it would go on in an item whose content starts that far in: `- a` then `  # h`).
 * As markdown-indented.ts tracks it, that is after a line in the first column that is no list
 * item or footnote definition, after a blank line or as a closer; not after any line indented or
 * an item's since then. micromark reads 1 MB of ` # a` in 7 s.
 */
import type { Heading } from 'mdast';
import { decodeString } from 'micromark-util-decode-string';
import { itemMayBeOpen } from './markdown-items.js';
import { type ChunkLine, CLEAR, CLOSER_SHAPE, eachLine, leadOf } from './markdown-literal.js';

/**
 * A heading's text as written: what comes after its marks is its text whatever it starts with
 * (no other block starts inside a heading's line), but white space (not this heading's form),
 * `#` (a closing sequence, or an empty heading's) or NUL; no tab or CR; no backslash or `&`
 * (escapes and character references are decoded).
 */
const HEADING_TEXT = /[^\s#\\&\0](?:[^\\&\t\r\0]*[^\\&\s\0])?/.source;
/** The same with backslashes and `&`: escapes and character references, decoded. */
const DECODED_HEADING_TEXT = /[^\s#\0](?:[^\t\r\0]*[^\s\0])?/.source;

/**
 * `#` to `######`, one space, plain text, and maybe a closing sequence: spaces, `#`s, spaces. Its
 * text has no `#` (micromark's block parse splits text with a `#` in it around the `#`s).
 */
const PLAIN_HEADING = new RegExp(
  `^(#{1,6}) (?:(?!.*#$)(${HEADING_TEXT})|(?=[^#]* +#+ *$)(${HEADING_TEXT}) +#+ *)$`,
  'u',
);
/** The same with text that holds escapes or character references (decoded, as the block parse does). */
const DECODED_HEADING = new RegExp(
  `^(#{1,6}) (?:(?!.*#$)(${DECODED_HEADING_TEXT})|(?=[^#]* +#+ *$)(${DECODED_HEADING_TEXT}) +#+ *)$`,
  'u',
);

export interface HeadingRun {
  start: number;
  end: number;
  lines: [ChunkLine];
  depth: 1 | 2 | 3 | 4 | 5 | 6;
  /** The spaces before its `#`s (0 to 3). */
  indent: number;
  /** Where its text ends: before a closing sequence, or the line's end. */
  textEnd: number;
  /** Its text holds escapes or character references, which the block parse decodes. */
  decoded: boolean;
}

/** The plain headings of `text`, each a run of its own; `first`: the document's first chunk. */
export function findHeadingRuns(text: string, first = false): HeadingRun[] {
  if (!/(?:^|\n) {0,3}#/.test(text)) return [];
  const runs: HeadingRun[] = [];
  /** Since the last block in the first column: a line that may be (in) a list item or footnote. */
  let inItem = false;
  let afterBlank = true;
  eachLine(text, first, (line, at, literal, blank, flags) => {
    if (literal) {
      afterBlank = false;
      return;
    }
    if (blank) {
      afterBlank = true;
      return;
    }
    const indent = leadOf(line);
    if (line.charCodeAt(indent) === 35 /* # */ && (flags & CLEAR) !== 0 && (indent === 0 || !inItem)) {
      const body = indent === 0 ? line : line.slice(indent);
      const plain = PLAIN_HEADING.exec(body);
      const heading = plain ?? DECODED_HEADING.exec(body);
      if (heading) {
        const depth = heading[1]!.length as HeadingRun['depth'];
        const textEnd = at.start + indent + depth + 1 + (heading[2] ?? heading[3])!.length;
        runs.push({ start: at.start, end: at.end, lines: [at], depth, indent, textEnd, decoded: plain === null });
        // It ends every list item above it.
        inItem = false;
        afterBlank = false;
        return;
      }
    }
    const closer = (flags & (CLOSER_SHAPE | CLEAR)) === (CLOSER_SHAPE | CLEAR);
    inItem = itemMayBeOpen(inItem, line, afterBlank || closer);
    afterBlank = false;
  });
  return runs;
}

/** The heading, as micromark and mdast build it; `line`: the line it is on. */
export function buildHeading(run: HeadingRun, text: string, line: number): Heading {
  const contentStart = run.start + run.indent + run.depth + 1;
  const start = { line, column: run.indent + run.depth + 2, offset: contentStart };
  const textEnd = { line, column: run.textEnd - run.start + 1, offset: run.textEnd };
  const raw = text.slice(contentStart, run.textEnd);
  return {
    type: 'heading',
    depth: run.depth,
    children: [{ type: 'text', value: run.decoded ? decodeString(raw) : raw, position: { start, end: textEnd } }],
    position: {
      start: { line, column: run.indent + 1, offset: run.start + run.indent },
      end: { line, column: run.end - run.start + 1, offset: run.end },
    },
  };
}
