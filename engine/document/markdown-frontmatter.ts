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

const OPENING = /^---[ \t]*\n/;
const CLOSING = /\n---[ \t]*(?:\n|$)/g;

const ANY_OPENING = /^\uFEFF?---[ \t]*(?:\r\n|\r|\n)/;
const ANY_CLOSING = /(?:\r\n|\r|\n)---[ \t]*(?:\r\n|\r|\n|$)/;

/**
 * Whether `text` (a document) opens with a frontmatter fence that no line closes. Then
 * micromark-extension-frontmatter reads on to the end looking for the closing line, and when it
 * gives up, micromark has read every line without looking for list items, block quotes or
 * footnote definitions: the whole document comes out as paragraphs. Such a document is read as
 * one without frontmatter (the `---` a thematic break), as CommonMark reads it.
 */
export function unclosedFrontmatter(text: string): boolean {
  const opening = ANY_OPENING.exec(text);
  return opening !== null && !ANY_CLOSING.test(text.slice(opening[0].length - 1));
}

/** The frontmatter `text` (a document's start) opens with, as micromark reads it; null when none. */
export function readFrontmatter(text: string): Frontmatter | null {
  const opening = OPENING.exec(text);
  if (opening === null) return null;
  CLOSING.lastIndex = opening[0].length - 1;
  const closing = CLOSING.exec(text);
  if (closing === null) return null;
  const next = closing.index + closing[0].length;
  if (text.lastIndexOf('\r', next - 1) !== -1) return null;
  const end = closing[0].endsWith('\n') ? next - 1 : next;
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < next; i = text.indexOf('\n', i + 1)) lines++;
  const lastLine = text.lastIndexOf('\n', end - 1) + 1;
  const closingRow = closing[0].endsWith('\n') ? lines : lines + 1;
  return {
    node: {
      type: 'yaml',
      value: text.slice(opening[0].length, Math.max(opening[0].length, closing.index)),
      position: {
        start: { line: 1, column: 1, offset: 0 },
        end: { line: closingRow, column: end - lastLine + 1, offset: end },
      },
    },
    next,
    lines,
  };
}
