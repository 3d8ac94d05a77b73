/**
 * Thematic breaks of `***` or `___`, built without micromark: with them, prose runs
 * (markdown-prose.ts) go on through the breaks between lists, paragraphs, headings, block quotes
 * and leaf directives, as they go on through headings; 1 MB of breaks, one a line, was one chunk
 * for micromark (no place to cut it) and took over a minute.
 *
 * A line of three or more `*` or three or more `_`, then spaces or nothing (BREAK, markdown-plain.ts),
 * in the first column is a thematic break wherever a block may start, outside fenced code, HTML
 * blocks of types 1 to 5 and the frontmatter (markdown-literal.ts): it interrupts a paragraph
 * (`---` would make it a setext heading, and is not taken) and closes every list, block quote and
 * footnote above it. Not where a line since the last blank one may have opened an HTML block of
 * types 6 or 7 or be a table's (OPAQUE), which run on to a blank line.
 */
import type { ThematicBreak } from 'mdast';
import { type ChunkLine, eachClearLine } from './markdown-literal.js';
import { BREAK } from './markdown-plain.js';

export interface BreakRun {
  start: number;
  end: number;
  lines: [ChunkLine];
}

/** The thematic breaks of `text`, each a run of its own; `first`: the document's first chunk. */
export function findBreakRuns(text: string, first = false): BreakRun[] {
  if (!text.includes('***') && !text.includes('___')) return [];
  const runs: BreakRun[] = [];
  eachClearLine(text, first, (line, at) => {
    const c = line.charCodeAt(0);
    if ((c === 42 /* * */ || c === 95) /* _ */ && BREAK.test(line))
      runs.push({ start: at.start, end: at.end, lines: [at] });
  });
  return runs;
}

/** The thematic break, as micromark and mdast build it; `line`: the line it is on. */
export function buildBreak(run: BreakRun, line: number): ThematicBreak {
  return {
    type: 'thematicBreak',
    position: {
      start: { line, column: 1, offset: run.start },
      end: { line, column: run.end - run.start + 1, offset: run.end },
    },
  };
}
