/**
 * Fenced code in a list run's items (markdown-lists.ts): where a code block opens in an open item
 * (fenceIn), and which lines after it are read there as micromark reads them (codeLine).
 */
import { keptBy, type ItemCode } from './markdown-list-nest.js';

/**
 * A fence opening a code block in an item, after the item's content columns and up to 3 spaces:
 * backticks or tildes and an info word or none, nothing else. Groups: the fence, the word.
 */
const FENCED = /^ {0,3}(`{3,}|~{3,})([A-Za-z0-9_+.-]*)$/;

/**
 * A code block's opening fence after a blank line, in an open item (`stack`: their content
 * columns) and less than 4 past its content, where markdown-literal.ts sees one too (up to 3
 * spaces in all: only in an item whose content column is 2 or 3): the items it stays in, its
 * fence, info word and the item's content column; or null.
 */
export function fenceIn(
  stack: readonly number[],
  line: string,
): { kept: number; fence: string; lang: string | null; column: number } | null {
  let spaces = 0;
  while (line.charCodeAt(spaces) === 32) spaces++;
  if (spaces > 3) return null;
  const kept = keptBy(stack, spaces);
  if (kept === 0) return null;
  const column = stack[kept - 1]!;
  const m = FENCED.exec(line.slice(column));
  if (m === null) return null;
  return { kept, fence: m[1]!, lang: m[2] === '' ? null : m[2]!, column };
}

/**
 * Whether a literal line after a code block's opening in an item is read here as micromark reads
 * it: empty, or in the item (indented at least to its content), no tab or carriage return, not a
 * fence micromark would close the block with that markdown-literal.ts would not (4 or more spaces
 * in all), nor a closing fence with anything after it. Its text (the item's content columns and
 * up to the fence's indent taken off) is added to the code, or it is the closing fence
 * (code.closing set to a placeholder until the caller sets it).
 */
export function codeLine(open: { code: ItemCode; fence: string; indent: number }, line: string): boolean {
  const { code, fence, indent } = open;
  if (line === '') {
    code.lines.push('');
    return true;
  }
  if (/[\t\r\0]/.test(line)) return false;
  let spaces = 0;
  while (line.charCodeAt(spaces) === 32) spaces++;
  if (spaces < code.column || spaces === line.length) return false;
  const inside = line.slice(code.column);
  const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(inside);
  if (m !== null && m[1]![0] === fence[0] && m[1]!.length >= fence.length) {
    // micromark closes the block here; markdown-literal.ts must too, and nothing may follow.
    if (spaces > 3 || m[2] !== '') return false;
    code.closing = { start: 0, end: 0, row: 0 };
    return true;
  }
  let strip = 0;
  while (strip < indent && inside.charCodeAt(strip) === 32) strip++;
  code.lines.push(inside.slice(strip));
  return true;
}
