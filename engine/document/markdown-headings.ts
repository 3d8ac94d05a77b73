/**
 * ATX headings of plain text, built without micromark: with them, prose runs (markdown-prose.ts)
 * go on through the headings between lists and paragraphs, and a document of list items each
 * followed by a heading (100,000 blocks to the megabyte, each costing micromark tens of µs) is
 * read apart from micromark like any prose.
 *
 * A line `#` to `######`, one space, and plain text (markdown-plain.ts), maybe with a closing
 * sequence after it (then the text holds no `#`), is a heading wherever it stands in the first column, outside fenced code,
 * HTML blocks of types 1 to 5 and the frontmatter (markdown-literal.ts): it interrupts a
 * paragraph and closes every list, block quote and footnote above it. Not where a line since the
 * last blank one may have opened an HTML block of types 6 or 7 or be a table's (OPAQUE), which
 * run on to a blank line. Its text is the plain text as written.
 */
import type { Heading } from 'mdast';
import { type ChunkLine, eachClearLine } from './markdown-literal.js';
import { PLAIN_TEXT } from './markdown-plain.js';

/**
 * `#` to `######`, one space, plain text, and maybe a closing sequence: spaces, `#`s, spaces. Its
 * text has no `#` (micromark's block parse splits text with a `#` in it around the `#`s).
 */
const PLAIN_HEADING = new RegExp(`^(#{1,6}) (?:(?!.*#$)(${PLAIN_TEXT})|(?=[^#]* +#+ *$)(${PLAIN_TEXT}) +#+ *)$`, 'u');

export interface HeadingRun {
  start: number;
  end: number;
  lines: [ChunkLine];
  depth: 1 | 2 | 3 | 4 | 5 | 6;
  /** Where its text ends: before a closing sequence, or the line's end. */
  textEnd: number;
}

/** The plain headings of `text`, each a run of its own; `first`: the document's first chunk. */
export function findHeadingRuns(text: string, first = false): HeadingRun[] {
  if (!/(?:^|\n)#/.test(text)) return [];
  const runs: HeadingRun[] = [];
  eachClearLine(text, first, (line, at) => {
    const heading = line.charCodeAt(0) === 35 /* # */ ? PLAIN_HEADING.exec(line) : null;
    if (heading) {
      const depth = heading[1]!.length as HeadingRun['depth'];
      const textEnd = at.start + depth + 1 + (heading[2] ?? heading[3])!.length;
      runs.push({ start: at.start, end: at.end, lines: [at], depth, textEnd });
    }
  });
  return runs;
}

/** The heading, as micromark and mdast build it; `line`: the line it is on. */
export function buildHeading(run: HeadingRun, text: string, line: number): Heading {
  const contentStart = run.start + run.depth + 1;
  const start = { line, column: run.depth + 2, offset: contentStart };
  const textEnd = { line, column: run.textEnd - run.start + 1, offset: run.textEnd };
  return {
    type: 'heading',
    depth: run.depth,
    children: [{ type: 'text', value: text.slice(contentStart, run.textEnd), position: { start, end: textEnd } }],
    position: {
      start: { line, column: 1, offset: run.start },
      end: { line, column: run.end - run.start + 1, offset: run.end },
    },
  };
}
