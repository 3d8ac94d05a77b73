/**
 * Leaf directives of a name only (`::name`), built without micromark: with them, prose runs
 * (markdown-prose.ts) go on through the leaf directives between lists, paragraphs, headings and
 * block quotes, as they go on through headings, and a document of list items each followed by
 * one (100,000 blocks to the megabyte, each costing micromark a child tokenizer and tens of µs;
 * 1 MB took 18 s) is read apart from micromark like any prose.
 *
 * A line `::` and a name, nothing after it (BARE_LEAF, markdown-plain.ts), is a leaf directive
 * wherever it stands in the first column, outside fenced code, HTML blocks of types 1 to 5 and
 * the frontmatter (markdown-literal.ts): it interrupts a paragraph and closes every list, block
 * quote and footnote above it. Not where a line since the last blank one may have opened an HTML
 * block of types 6 or 7 or be a table's (OPAQUE), which run on to a blank line. Its node is its
 * name and place, with no attributes and no label.
 */
import type { LeafDirective } from 'mdast-util-directive';
import { eachClearLine } from './markdown-headings.js';
import type { ChunkLine } from './markdown-literal.js';
import { BARE_LEAF } from './markdown-plain.js';

export interface LeafLineRun {
  start: number;
  end: number;
  lines: [ChunkLine];
  name: string;
}

/** The bare leaf directives of `text`, each a run of its own; `first`: the document's first chunk. */
export function findLeafLineRuns(text: string, first = false): LeafLineRun[] {
  if (!text.startsWith('::') && !text.includes('\n::')) return [];
  const runs: LeafLineRun[] = [];
  eachClearLine(text, first, (line, at) => {
    // Its name is all after the `::` (BARE_LEAF has nothing else).
    if (line.charCodeAt(0) === 58 /* : */ && BARE_LEAF.test(line))
      runs.push({ start: at.start, end: at.end, lines: [at], name: line.slice(2) });
  });
  return runs;
}

/** The leaf directive, as micromark and mdast build it; `line`: the line it is on. */
export function buildLeafLine(run: LeafLineRun, line: number): LeafDirective {
  return {
    type: 'leafDirective',
    name: run.name,
    attributes: {},
    children: [],
    position: {
      start: { line, column: 1, offset: run.start },
      end: { line, column: run.end - run.start + 1, offset: run.end },
    },
  };
}
