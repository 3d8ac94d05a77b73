/**
 * Thematic breaks, built without micromark: with them, prose runs (markdown-prose.ts) go on
 * through the breaks between lists, paragraphs, headings, block quotes and leaf directives, as
 * they go on through headings; 1 MB of breaks, one a line, was one chunk for micromark (no place
 * to cut it) and took over a minute, and 1 MB of `- - -` between blank lines took 8 to 12 s.
 *
 * A line of three or more `*`, `_` or `-`, one mark throughout, with spaces or tabs between them
 * and after them or none (BREAK, markdown-plain.ts), in the first column is a thematic break
 * wherever a block may start, outside fenced code, HTML blocks of types 1 to 5 and the
 * frontmatter (markdown-literal.ts): it interrupts a paragraph and closes every list, block quote
 * and footnote above it, and `- - -` or `* * *` is a break before it is a list item. Not where a
 * line since the last blank one may have opened an HTML block of types 6 or 7 or be a table's
 * (OPAQUE), which run on to a blank line. `---`, dashes with no space or tab between them
 * (DASHES), would underline a paragraph above it as a setext heading, and may open the
 * frontmatter on the document's first line: it is taken only where no paragraph may be open
 * (after a blank line, a CLOSER line, or the last line of fenced code, an HTML block of types 1
 * to 5 or the frontmatter, or first in a chunk after the first; markdown-literal.ts marks it
 * CLOSER_SHAPE there). A break indented 1 to 3 spaces is one too where no list item may be open
 * to hold it (as ATX headings, markdown-headings.ts), `---` only after a blank line or a closer
 * (1 MB of `  ***` and a blank line took micromark 2 s).
 */
import type { ThematicBreak } from 'mdast';
import { itemMayBeOpen } from './markdown-items.js';
import { type ChunkLine, CLEAR, CLOSER_SHAPE, eachLine, leadOf } from './markdown-literal.js';
import { BREAK, DASHES } from './markdown-plain.js';

export interface BreakRun {
  start: number;
  end: number;
  lines: [ChunkLine];
  /** The spaces before its first mark (0 to 3). */
  indent: number;
}

/** A line that may be a break: one of the marks, up to 3 spaces in. */
const MAY_BREAK = /^ {0,3}[-*_]/m;

/** The thematic breaks of `text`, each a run of its own; `first`: the document's first chunk. */
export function findBreakRuns(text: string, first = false): BreakRun[] {
  if (!MAY_BREAK.test(text)) return [];
  const runs: BreakRun[] = [];
  /** Since the last block in the first column: a line that may be (in) a list item (itemLine). */
  let inItem = false;
  let afterBlank = true;
  /** The line before was a closer (in the first column, or a break taken here): no paragraph is open. */
  let afterCloser = false;
  eachLine(text, first, (line, at, literal, blank, flags) => {
    if (literal || blank) {
      afterBlank = blank;
      afterCloser = false;
      return;
    }
    const closer = (flags & (CLOSER_SHAPE | CLEAR)) === (CLOSER_SHAPE | CLEAR);
    const c = line.charCodeAt(0);
    // CLOSER_SHAPE lines that start so are breaks (BREAK, or DASHES where no paragraph is open).
    let taken = closer && (c === 42 /* * */ || c === 95 /* _ */ || c === 45) /* - */;
    let indent = 0;
    if (!taken && c === 32 && !inItem && (flags & CLEAR) !== 0) {
      indent = leadOf(line);
      const body = line.slice(indent);
      taken = BREAK.test(body) || (DASHES.test(body) && (afterBlank || afterCloser));
    }
    if (taken) {
      runs.push({ start: at.start, end: at.end, lines: [at], indent });
      inItem = false; // it ends every list item above it
    } else inItem = itemMayBeOpen(inItem, line, afterBlank || closer);
    afterBlank = false;
    afterCloser = closer || taken;
  });
  return runs;
}

/** The thematic break, as micromark and mdast build it; `line`: the line it is on. */
export function buildBreak(run: BreakRun, line: number): ThematicBreak {
  return {
    type: 'thematicBreak',
    position: {
      start: { line, column: run.indent + 1, offset: run.start + run.indent },
      end: { line, column: run.end - run.start + 1, offset: run.end },
    },
  };
}
