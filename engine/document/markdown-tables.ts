/**
 * Long GFM tables, their body rows read without micromark's table construct.
 *
 * micromark makes a dozen events of every cell, and mdast a node: a 1 MB table 500 cells wide
 * took 7 times as long as 1 MB of prose (issue #13 item 5). Stepwise reads no cell (check reads
 * blocks; import reads cells' text), so a run of simple body rows right under a table is handed
 * to micromark as a fenced code block of the same extent (its first line's text becomes
 * `~~~xxx`, its last line's `~~~   `, every offset kept: a fence ends a table), and the rows are
 * built here as micromark would build them, after the table micromark parsed above them.
 *
 * Only what is certain is taken: rows that start and end with a pipe at the line's start, with no
 * backslash or character reference (nothing in a cell is decoded, a pipe always divides) and no
 * CR; a run of at least RUN of them, right after the rows micromark read, and followed by a blank
 * line or the end (a line after it would go on as a row). When the run does not come back as a
 * code block right after a table of the same parent, nothing is replaced and the caller parses
 * the text as it is.
 */
import type { Root, Table, TableCell, TableRow } from 'mdast';
import { findStandIns, replaceStandIns } from './markdown-stand-ins.js';

/** Runs shorter than this are parsed as they are. */
const RUN = 16;

/** A row micromark reads as cells divided by every pipe, nothing in them decoded. */
const SIMPLE_ROW = /^\|(?:[^|\\&\r\n]*\|)+[ \t]*$/;

/** A line that may be a table's delimiter row, so the rows above it its head: never in a run. */
const DELIMITER_ROW = /^[|:\- \t]+$/;

export interface RowRun {
  start: number;
  /** Offset after the last row (its trailing white space included), before its line ending. */
  end: number;
  lines: { start: number; end: number }[];
}

/** Runs of simple rows, each after a line holding a pipe (a table's, if micromark agrees). */
export function findRowRuns(text: string): RowRun[] {
  if (!text.includes('|')) return [];
  const runs: RowRun[] = [];
  let current: { start: number; end: number }[] = [];
  let previousPipe = false;
  let pos = 0;
  const close = (blankAfter: boolean): void => {
    if (blankAfter && current.length >= RUN)
      runs.push({ start: current[0]!.start, end: current[current.length - 1]!.end, lines: current });
    current = [];
  };
  while (pos < text.length) {
    const newline = text.indexOf('\n', pos);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(pos, end);
    const row = text[pos] === '|' && line.length >= 3 && SIMPLE_ROW.test(line) && !DELIMITER_ROW.test(line);
    if (row && (previousPipe || current.length > 0)) {
      current.push({ start: pos, end });
    } else {
      if (current.length > 0) close(/^[ \t]*$/.test(line));
      previousPipe = line.includes('|');
    }
    pos = newline === -1 ? text.length : newline + 1;
  }
  close(true);
  return runs;
}

/**
 * Moves, in `tree` (parsed from rowsAsFences' text), each run's rows into the table above its
 * code block, and drops the code block. False, with the tree untouched, when a run's code block
 * is missing or is not right after a table ending on the line before it.
 */
export function restoreRows(tree: Root, runs: readonly RowRun[], text: string): boolean {
  if (runs.length === 0) return true;
  const found = findStandIns(tree, runs, {
    skip: (node) => node.type === 'table',
    // The rows continue the table right above them, with nothing but a line ending between.
    fits: (parent, index, run) => {
      const table = parent.children[index - 1];
      const tableEnd = table?.position?.end.offset;
      return table?.type === 'table' && tableEnd !== undefined && /^\r?\n$/.test(text.slice(tableEnd, run.start));
    },
  });
  if (found === null) return false;
  for (const { parent, index, run, line } of found) {
    const table = parent.children[index - 1] as Table;
    for (const [i, row] of run.lines.entries()) table.children.push(tableRow(text, row.start, row.end, line + i));
    const last = run.lines[run.lines.length - 1]!;
    table.position!.end = { line: line + run.lines.length - 1, column: last.end - last.start + 1, offset: last.end };
  }
  // Each stand-in goes: its rows are the table's now.
  replaceStandIns(found, () => []);
  return true;
}

/** A row as micromark and mdast-util-gfm-table make it: a cell from each pipe to the next. */
function tableRow(text: string, start: number, end: number, line: number): TableRow {
  const at = (offset: number) => ({ line, column: offset - start + 1, offset });
  const pipes: number[] = [];
  for (let i = text.indexOf('|', start); i !== -1 && i < end; i = text.indexOf('|', i + 1)) pipes.push(i);
  const cells: TableCell[] = [];
  for (let i = 0; i < pipes.length - 1; i++) {
    const from = pipes[i]! + 1;
    const to = pipes[i + 1]!;
    let a = from;
    let b = to;
    while (a < b && (text[a] === ' ' || text[a] === '\t')) a++;
    while (b > a && (text[b - 1] === ' ' || text[b - 1] === '\t')) b--;
    const last = i === pipes.length - 2;
    cells.push({
      type: 'tableCell',
      children: a < b ? [{ type: 'text', value: text.slice(a, b), position: { start: at(a), end: at(b) } }] : [],
      position: { start: at(pipes[i]!), end: at(last ? end : to) },
    });
  }
  return { type: 'tableRow', children: cells, position: { start: at(start), end: at(end) } };
}
