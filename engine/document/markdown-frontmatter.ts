/**
 * A document's YAML frontmatter read without micromark: nearly every runbook opens with one, and
 * it was the one thing in the first chunk of most runbooks that only micromark read (a parse of
 * its own, and micromark's code run cold for it, in every `check`).
 *
 * micromark-extension-frontmatter takes it as: a first line of `---` and spaces or tabs, then
 * lines up to the first that is `---` and spaces or tabs, before a line ending or the end. No
 * closing line: no frontmatter (micromark reads `---` as a thematic break, and so does it here).
 * mdast-util-frontmatter's node is `yaml`, its value the lines between the fences, from the
 * opening fence to the closing one's end (its spaces included). What comes after the closing
 * line is read as a document of its own: nothing is open there, and no construct micromark reads
 * in a block parse looks back past it. Not read here (null, left to micromark): a byte order
 * mark, a carriage return anywhere up to the closing line.
 */
import type { Yaml } from 'mdast';

export interface Frontmatter {
  node: Yaml;
  /** Where the text after the closing line (and its line ending) starts. */
  next: number;
  /** The lines before `next`. */
  lines: number;
}

/** The opening fence line, its line ending included (micromark skips a byte order mark first). */
const OPENING = /^\uFEFF?---[ \t]*(?:\r\n|\r|\n)/;
/** The closing fence line, from the line ending before it to its own, or the text's end. */
const CLOSING = /(?:\r\n|\r|\n)---[ \t]*(?:\r\n|\r|\n|$)/g;

/** The fences of the frontmatter `text` opens with; 'unclosed' when no line closes it, null when none opens. */
function fences(text: string): { opening: string; closing: RegExpExecArray } | 'unclosed' | null {
  const opening = OPENING.exec(text);
  if (opening === null) return null;
  CLOSING.lastIndex = opening[0].length - 1;
  const closing = CLOSING.exec(text);
  return closing === null ? 'unclosed' : { opening: opening[0], closing };
}

/**
 * Whether `text` (a document) opens with a frontmatter fence that no line closes. Then
 * micromark-extension-frontmatter reads on to the end looking for the closing line, and when it
 * gives up, micromark has read every line without looking for list items, block quotes or
 * footnote definitions: the whole document comes out as paragraphs. Such a document is read as
 * one without frontmatter (the `---` a thematic break), as CommonMark reads it.
 */
export function unclosedFrontmatter(text: string): boolean {
  return fences(text) === 'unclosed';
}

/**
 * Where the text after the frontmatter `text` opens with starts (past its closing line and that
 * line's ending), or -1 when it has none: what markdown-literal.ts takes for literal lines.
 */
export function frontmatterEnd(text: string): number {
  const found = fences(text);
  return typeof found === 'object' && found !== null ? found.closing.index + found.closing[0].length : -1;
}

/** The frontmatter `text` (a document's start) opens with, as micromark reads it; null when none. */
export function readFrontmatter(text: string): Frontmatter | null {
  const found = fences(text);
  if (typeof found !== 'object' || found === null) return null;
  const { opening, closing } = found;
  const next = closing.index + closing[0].length;
  // A byte order mark, or a carriage return up to here: left to micromark.
  if (text.charCodeAt(0) === 0xfeff || text.lastIndexOf('\r', next - 1) !== -1) return null;
  const end = closing[0].endsWith('\n') ? next - 1 : next;
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < next; i = text.indexOf('\n', i + 1)) lines++;
  const lastLine = text.lastIndexOf('\n', end - 1) + 1;
  const closingRow = closing[0].endsWith('\n') ? lines : lines + 1;
  return {
    node: {
      type: 'yaml',
      value: text.slice(opening.length, Math.max(opening.length, closing.index)),
      position: {
        start: { line: 1, column: 1, offset: 0 },
        end: { line: closingRow, column: end - lastLine + 1, offset: end },
      },
    },
    next,
    lines,
  };
}
