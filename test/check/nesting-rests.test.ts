/**
 * findTooDeep (engine/document/nesting.ts) copies a line's rest only when it may open or close a
 * fence or a container: it finds what it found copying every line's (its code before, kept here
 * as it was, but for containers closing with the list item they are in), on generated documents of
 * markers, fences and containers, at small limits.
 */
import { describe, expect, it } from 'vitest';
import { findTooDeep, type TooDeep } from '../../engine/document/nesting.js';
import { seededRandom } from '../helpers/generate.js';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Where the nesting first passes `limit`, or null when it never does. Linear in the text. */
function referenceTooDeep(source: string, limit: number): TooDeep | null {
  /** Content columns of the list items open by indentation, innermost last. */
  const items: number[] = [];
  /** The open containers: how many list items were open around each. */
  const containers: number[] = [];
  let fence: string | null = null;
  let pos = 0;
  while (pos <= source.length) {
    const newline = source.indexOf('\n', pos);
    const end = newline === -1 ? source.length : newline;
    if (fence !== null) {
      const line = source.slice(pos, end);
      const m = FENCE.exec(line);
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.slice(m[0].length).trim() === '')
        fence = null;
    } else {
      const line = referenceScanLine(source, pos, end, items, containers.length, limit);
      if (line.tooDeep) return line.tooDeep;
      while (containers.length > 0 && containers[containers.length - 1]! > line.kept) containers.pop();
      const rest = line.rest;
      const f = FENCE.exec(rest);
      if (f && line.markers === 0 && line.indent < 4) {
        if (!(f[1]![0] === '`' && rest.slice(f[0].length).includes('`'))) fence = f[1]!;
      } else if (/^:{3,}[ \t]*$/.test(rest)) {
        containers.pop();
      } else if (/^:{3,}[A-Za-z]/.test(rest)) {
        containers.push(items.length);
        if (items.length + containers.length > limit) return { offset: line.restStart, depth: limit + 1 };
      }
    }
    if (newline === -1) break;
    pos = newline + 1;
  }
  return null;
}

interface ScannedLine {
  tooDeep: TooDeep | null;
  /** The text after the line's indentation and markers, without a trailing CR. */
  rest: string;
  restStart: number;
  indent: number;
  markers: number;
  kept: number;
}

/**
 * Counts the line's leading markers (`>`, list markers) on top of the list items still open from
 * the lines before and the open `:::` containers; says where the count passes `limit`. Updates
 * `items`: the items this line's indentation closes go, the ones it opens come.
 */
function referenceScanLine(
  source: string,
  pos: number,
  end: number,
  items: number[],
  containers: number,
  limit: number,
): ScannedLine {
  let i = pos;
  let column = 0;
  while (i < end && (source[i] === ' ' || source[i] === '\t')) {
    column += source[i] === '\t' ? 4 - (column % 4) : 1;
    i++;
  }
  const indent = column;
  if (i === end || (i === end - 1 && source[i] === '\r'))
    return { tooDeep: null, rest: '', restStart: i, indent, markers: 0, kept: items.length }; // a blank line closes nothing here
  while (items.length > 0 && items[items.length - 1]! > column) items.pop();
  const kept = items.length;
  const open = items.length + containers;
  let markers = 0;
  const opened: number[] = [];
  for (;;) {
    const c = source.charCodeAt(i);
    let width = 0;
    if (c === 62 /* > */ || c === 45 /* - */ || c === 42 /* * */ || c === 43 /* + */) width = 1;
    else if (c >= 48 && c <= 57) {
      let j = i;
      while (j < end && j - i < 9 && source.charCodeAt(j) >= 48 && source.charCodeAt(j) <= 57) j++;
      if (j < end && (source[j] === '.' || source[j] === ')')) width = j - i + 1;
    }
    if (width === 0) break;
    const after = i + width;
    const spaced = after >= end || source[after] === ' ' || source[after] === '\t' || source[after] === '\r';
    if (c !== 62 && !spaced) break;
    markers++;
    if (open + markers > limit)
      return { tooDeep: { offset: i, depth: limit + 1 }, rest: '', restStart: i, indent, markers, kept };
    let j = after;
    while (j < end && (source[j] === ' ' || source[j] === '\t')) j++;
    column += j - i;
    if (c !== 62) opened.push(column);
    i = j;
  }
  for (const col of opened) items.push(col);
  return { tooDeep: null, rest: source.slice(i, end).replace(/\r$/, ''), restStart: i, indent, markers, kept };
}

const PIECES = [
  '',
  ' ',
  '  ',
  '    ',
  '\t',
  '- ',
  '* ',
  '+ ',
  '1. ',
  '12) ',
  '> ',
  '>',
  '-',
  'a',
  '```',
  '~~~',
  '`x`',
  ':::',
  ':::note',
  '::::if',
  ':::1',
  '::: ',
  '\r',
];

function generate(random: (n: number) => number): string {
  const lines: string[] = [];
  for (let n = 1 + random(40); n > 0; n--)
    lines.push(Array.from({ length: random(5) }, () => PIECES[random(PIECES.length)]!).join(''));
  return lines.join(random(4) === 0 ? '\r\n' : '\n');
}

describe('findTooDeep copies only the rests it reads', () => {
  it('finds what it found copying every line', () => {
    const random = seededRandom(23);
    let found = 0;
    for (let k = 0; k < 5000; k++) {
      const text = generate(random);
      for (const limit of [1, 2, 3, 5, 256]) {
        const expected = referenceTooDeep(text, limit);
        expect(findTooDeep(text, limit), JSON.stringify(text)).toEqual(expected);
        if (expected !== null) found++;
      }
    }
    expect(found).toBeGreaterThan(1000);
  });
});
