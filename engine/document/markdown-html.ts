/**
 * HTML blocks of one line, built without micromark: with them, prose runs (markdown-prose.ts) go
 * on through the comments and one-line block tags between lists, paragraphs and headings. 1 MB of
 * `<!-- a -->` lines was one chunk for micromark (no place to cut it: each line is a block of its
 * own) at tens of µs a block.
 *
 * Two shapes, each in the first column where a block may start (not literal, no HTML block of
 * types 6 or 7 or table open above it since the last blank line), with no tab, carriage return
 * or NUL (micromark's columns and replacements):
 * - a comment that closes on its line (COMMENT, markdown-plain.ts; CommonMark's type 2): it ends
 *   there, so the next line starts a block of its own, and it interrupts a paragraph and closes
 *   every list and block quote above it, as an ATX heading does (it is a CLOSER);
 * - an opening or closing tag of a block element (CommonMark's type 6: `<div>`, `</p>`) with a
 *   blank line after it: such a block runs on to a blank line, so alone on its line it is that
 *   line.
 * mdast's node is `html` with the line as its value, trailing spaces and all.
 */
import type { Html } from 'mdast';
import { htmlBlockNames } from 'micromark-util-html-tag-name';
import { type ChunkLine, CLEAR_BEFORE, eachLine } from './markdown-literal.js';
import { COMMENT } from './markdown-plain.js';

export interface HtmlRun {
  start: number;
  end: number;
  lines: [ChunkLine];
  /** A comment: the line after it starts a block (a CLOSER); a block tag has a blank line after it. */
  closer: boolean;
}

/** CommonMark's HTML block of type 1 (raw text: `<pre>`, `<script>`, ...) is checked before type 6. */
const BLOCK_TAG = new RegExp(`^</?(?:${htmlBlockNames.join('|')})(?:[ >]|/>|$)[^\\t\\r\\0]*$`, 'i');

/** A blank line with a line ending (at a chunk's end the text after it is not known). */
const BLANK_LINE = /^[ \t]*\r?\n/;

/** The one-line HTML blocks of `text`, each a run of its own; `first`: the document's first chunk. */
export function findHtmlRuns(text: string, first = false): HtmlRun[] {
  if (!text.includes('<')) return [];
  const runs: HtmlRun[] = [];
  eachLine(text, first, (line, at, literal, _blank, flags) => {
    if (literal || line.charCodeAt(0) !== 60 /* < */ || (flags & CLEAR_BEFORE) === 0) return;
    if (COMMENT.test(line)) runs.push({ start: at.start, end: at.end, lines: [at], closer: true });
    else if (BLOCK_TAG.test(line) && BLANK_LINE.test(text.slice(at.end + 1, text.indexOf('\n', at.end + 1) + 1)))
      runs.push({ start: at.start, end: at.end, lines: [at], closer: false });
  });
  return runs;
}

/** The HTML node, as micromark and mdast build it; `line`: the line it is on. */
export function buildHtml(run: HtmlRun, text: string, line: number): Html {
  return {
    type: 'html',
    value: text.slice(run.start, run.end),
    position: {
      start: { line, column: 1, offset: run.start },
      end: { line, column: run.end - run.start + 1, offset: run.end },
    },
  };
}
