/**
 * The lines of a list run as markdown-lists.ts records them (Line, markdown-list-nest.ts): an
 * item's line, a line of text that is no item's, a line of a code block in an item. Every Line is
 * written with its properties in one order: objects of one shape keep the finder and nest fast.
 */
import type { ItemShape } from './markdown-items.js';
import type { ItemCode, Line } from './markdown-list-nest.js';
import { PLAIN_TEXT } from './markdown-plain.js';

/** A line of text with nothing to decode in it, spaces before it. */
const PLAIN_CONTINUED = new RegExp(`^ *(?:${PLAIN_TEXT})$`, 'u');

/** An item's line, as readItem read it into `shape` (copied: the shape is read into again). */
export function itemLineOf(shape: ItemShape, start: number, end: number, afterBlank: boolean, row: number): Line {
  return {
    start,
    end,
    indent: shape.indent,
    marker: shape.marker,
    value: shape.value,
    digits: shape.digits,
    content: shape.content,
    checked: shape.checked,
    textAt: shape.textAt,
    decoded: shape.decoded,
    quote: shape.quote,
    inner: shape.inner,
    innerValue: shape.innerValue,
    indentedCode: shape.indentedCode,
    empty: shape.empty,
    afterBlank,
    row,
    continues: false,
    paragraph: false,
    code: null,
  };
}

/**
 * A line of text that is no item's own: a paragraph after a blank line in an item (`paragraph`),
 * or text going on with the innermost paragraph (`continues`).
 */
export function textLineOf(
  start: number,
  end: number,
  line: string,
  afterBlank: boolean,
  row: number,
  kind: 'paragraph' | 'continues',
): Line {
  let indent = 0;
  while (line.charCodeAt(indent) === 32) indent++;
  return noItemLine(start, end, indent, !PLAIN_CONTINUED.test(line), afterBlank, row, kind, null);
}

/** A code block's line (no item's): its opening line holds the code, the lines after it 'in'. */
export function codeLineOf(
  start: number,
  end: number,
  indent: number,
  afterBlank: boolean,
  row: number,
  code: ItemCode | 'in',
): Line {
  return noItemLine(start, end, indent, false, afterBlank, row, null, code);
}

/**
 * A line that is no item's, its properties written in the order of every other Line's: objects
 * of one shape keep the finder and nest fast (spread ones made both several times slower).
 */
function noItemLine(
  start: number,
  end: number,
  indent: number,
  decoded: boolean,
  afterBlank: boolean,
  row: number,
  kind: 'paragraph' | 'continues' | null,
  code: ItemCode | 'in' | null,
): Line {
  return {
    start,
    end,
    indent,
    marker: 0,
    value: -1,
    digits: 0,
    content: indent,
    checked: null,
    textAt: indent,
    decoded,
    quote: -1,
    inner: -1,
    innerValue: -1,
    indentedCode: -1,
    empty: false,
    afterBlank,
    row,
    continues: kind === 'continues',
    paragraph: kind === 'paragraph',
    code,
  };
}
