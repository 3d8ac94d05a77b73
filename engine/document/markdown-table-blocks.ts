/**
 * GFM tables of plain cells, built without micromark: with them, prose runs (markdown-prose.ts) go
 * on through the tables between paragraphs, lists and headings, and a document of many small
 * tables is read apart from micromark like any prose. micromark spends tens of µs on every block,
 * and a dozen events on every cell: 1 MB of tables of one row (`| a |`, `| - |`, a blank line)
 * took 7.4 s to check. (markdown-tables.ts reads long runs of body rows under a table micromark
 * parsed, and did not help small tables; markdown.ts leaves it no run inside a table taken here.)
 *
 * Only what is certain is taken, every line starting with a `|` in the first column:
 * - a head row where a block may start: the text's start, after a blank line, or after a closer
 *   (an ATX heading, a leaf directive, a thematic break, an HTML comment: CLOSER_SHAPE, with no
 *   line since the last blank one that may be an HTML block's or a table's: CLEAR), outside code,
 *   HTML blocks of types 1 to 5 and the frontmatter (markdown-literal.ts). A line that starts
 *   with `|` opens no other block, and at such a place nothing before it goes on into it;
 * - right under it, a delimiter row of as many cells as the head row (a cell for each `|` after
 *   the first, and one for what follows the last unless it is spaces; micromark makes no table
 *   otherwise): each cell `-`s with a `:` or none at either end, spaces around, divided by `|`,
 *   the last `|` optional; no empty cell (micromark makes no table);
 * - the body rows under it, up to a blank line or the text's end: any other line would go on as
 *   a row (or interrupt the table in a way not read here), so a table followed by one is left to
 *   micromark whole;
 * - no tab (columns), carriage return or NUL in any row, and no backslash or `&` in the
 *   delimiter row. In the other rows a `|` after a backslash (`\|`, `\\\|`: an odd number of
 *   them) divides no cell (micromark's table tokenizer takes a backslash and the `\` or `|` after
 *   it as one), and a cell's text is decoded (escapes and character references: decodeString).
 *
 * micromark (micromark-extension-gfm-table) and mdast-util-gfm-table build it so, as found by
 * experiment and checked by test/check/markdown-table-blocks.test.ts: the table spans its lines,
 * the delimiter row's too (it is no row of the tree), trailing spaces included; `align` has a
 * `left`, `right`, `center` or null for each delimiter cell; each row spans its line; a cell
 * starts at the `|` before it (the first at the line's start) and ends at the next `|`, the last
 * at the line's end (spaces after the last `|` are the last cell's; anything else after it is a
 * cell of its own); a cell's text node is what is between its pipes without the spaces at either
 * end, decoded, and spans that text as written; a cell of spaces has none. A head row of a `|` and spaces only makes no
 * table.
 */
import type { AlignType, Table, TableCell, TableRow } from 'mdast';
import { decodeString } from 'micromark-util-decode-string';
import { itemMayBeOpen } from './markdown-items.js';
import { type ChunkLine, type ChunkLines, CLEAR, CLOSER_SHAPE, chunkLines, leadOf } from './markdown-literal.js';

export interface TableRun {
  start: number;
  end: number;
  /** Every line of the table: the head row, the delimiter row, the body rows. */
  lines: ChunkLine[];
  /** The spaces (0 to 3) before each line's first `|`. */
  leads: number[];
  /** The columns' alignment, from the delimiter row. */
  align: AlignType[];
}

/** A delimiter row read here: a `|` first, then no escape, reference, tab, CR or NUL. */
const PLAIN_ROW = /^\|[^\\&\t\r\0]*$/;
/** A head or body row read here: a `|` first, then no tab, CR or NUL. */
const ROW = /^\|[^\t\r\0]*$/;
/** A delimiter row's cell: `-`s, maybe a `:` at either end, spaces around. */
const DELIMITER_CELL = /^ *(:?)-+(:?) *$/;

/** The plain tables of `text` (see above), each a run of its own; `first`: the document's first chunk. */
export function findTableRuns(text: string, first = false): TableRun[] {
  if (!/(?:^|\n) {0,3}\|/.test(text)) return [];
  const chunk = chunkLines(text, first);
  const { lines, literal, blank, flags } = chunk;
  const runs: TableRun[] = [];
  /** A table may start at this line. */
  let startable = true;
  /** Since the last block in the first column: a line that may be (in) a list item or footnote. */
  let inItem = false;
  for (let row = 0; row < lines.length; row++) {
    if (literal[row]) {
      startable = false;
      continue;
    }
    if (blank[row]) {
      startable = true;
      continue;
    }
    const line = lines[row]!;
    // Indented 1 to 3 spaces, a head row is one where no list item may hold it.
    const lead = line.charCodeAt(0) === 32 && !inItem ? leadOf(line) : 0;
    if (startable && line.charCodeAt(lead) === 124 /* | */) {
      const run = readTable(chunk, row);
      if (run !== null) {
        runs.push(run);
        // The line after it is blank, or there is none; it ends every list item above it.
        row += run.lines.length - 1;
        startable = false;
        inItem = false;
        continue;
      }
    }
    const closer = (flags[row]! & (CLOSER_SHAPE | CLEAR)) === (CLOSER_SHAPE | CLEAR);
    inItem = itemMayBeOpen(inItem, line, startable || closer);
    startable = closer;
  }
  return runs;
}

/** The table whose head row is at `row`, up to a blank line or the end, or null (see above). */
function readTable(chunk: ChunkLines, row: number): TableRun | null {
  const { lines, at, literal, blank } = chunk;
  // Each row may stand 1 to 3 spaces in, whatever the others do.
  const rowOf = (i: number): string => lines[i]!.slice(leadOf(lines[i]!));
  if (row + 1 >= lines.length || literal[row + 1]) return null;
  const head = rowOf(row);
  const delimiter = rowOf(row + 1);
  if (!ROW.test(head) || !PLAIN_ROW.test(delimiter)) return null;
  const align = alignOf(delimiter);
  // A head of one `|` and spaces is no table; otherwise as many cells as the delimiter row.
  if (align === null || /^\| *$/.test(head) || cellCount(head) !== align.length) return null;
  let last = row + 1;
  while (last + 1 < lines.length && !blank[last + 1]) {
    if (literal[last + 1] || !ROW.test(rowOf(last + 1))) return null;
    last++;
  }
  const covered = at.slice(row, last + 1);
  const leads = covered.map((_, i) => leadOf(lines[row + i]!));
  return { start: covered[0]!.start, end: covered[covered.length - 1]!.end, lines: covered, leads, align };
}

/** The delimiter row's alignments, one a cell, or null when it is not one (see above). */
function alignOf(line: string): AlignType[] | null {
  const cells = line.slice(1).split('|');
  // Spaces after the last `|` are no cell.
  if (cells.length > 1 && /^ *$/.test(cells[cells.length - 1]!)) cells.pop();
  const align: AlignType[] = [];
  for (const cell of cells) {
    const m = DELIMITER_CELL.exec(cell);
    if (m === null) return null;
    align.push(m[1] ? (m[2] ? 'center' : 'left') : m[2] ? 'right' : null);
  }
  return align;
}

/**
 * Where a row's dividing pipes are, the first (at 0) included: not one after a backslash that is
 * not itself taken with the one before it (micromark takes `\\` and `\|` as one).
 */
function pipesOf(line: string): number[] {
  const pipes: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 92 /* \ */) {
      const next = line.charCodeAt(i + 1);
      if (next === 92 || next === 124) i++;
    } else if (c === 124 /* | */) pipes.push(i);
  }
  return pipes;
}

/** How many cells a row starting with `|` has: one for each `|` after the first, and what is after the last. */
function cellCount(line: string): number {
  const pipes = pipesOf(line);
  const lastPipe = pipes[pipes.length - 1]!;
  const after = /[^ ]/.test(line.slice(lastPipe + 1)) ? 1 : 0;
  return Math.max(1, pipes.length - 1 + after);
}

/** The table, as micromark and mdast build it; `line`: the line its head row is on. */
export function buildTable(run: TableRun, text: string, line: number): Table {
  const children: TableRow[] = [];
  // The delimiter row (the second line) is no row of the tree.
  for (let i = 0; i < run.lines.length; i++)
    if (i !== 1) children.push(tableRow(run.lines[i]!, run.leads[i]!, text, line + i));
  const last = run.lines[run.lines.length - 1]!;
  const lead = run.leads[0]!;
  return {
    type: 'table',
    align: [...run.align],
    children,
    position: {
      start: { line, column: 1 + lead, offset: run.start + lead },
      end: { line: line + run.lines.length - 1, column: last.end - last.start + 1, offset: last.end },
    },
  };
}

/** A row: a cell from each `|` to the next, the last to the line's end (see above); `lead` spaces before it. */
function tableRow(at: ChunkLine, lead: number, text: string, line: number): TableRow {
  const start = at.start + lead;
  const end = at.end;
  const row = text.slice(start, end);
  const point = (offset: number) => ({ line, column: offset - at.start + 1, offset });
  const cells: TableCell[] = [];
  const pipes = pipesOf(row);
  /** The `|` the cell starts at, in the row, and the next one's place in `pipes`. */
  let from = 0;
  let k = 1;
  while (true) {
    const next = k < pipes.length ? pipes[k++]! : -1;
    const to = next === -1 ? row.length : next;
    let a = from + 1;
    let b = to;
    while (a < b && row.charCodeAt(a) === 32) a++;
    while (b > a && row.charCodeAt(b - 1) === 32) b--;
    const lastCell = cells[cells.length - 1];
    if (next === -1 && a === b && lastCell !== undefined) {
      // Spaces or nothing after the last `|`: the cell before it ends at the line's end.
      lastCell.position!.end = point(end);
      break;
    }
    cells.push({
      type: 'tableCell',
      children:
        a < b
          ? [
              {
                type: 'text',
                value: decoded(row.slice(a, b)),
                position: { start: point(start + a), end: point(start + b) },
              },
            ]
          : [],
      position: { start: point(start + from), end: point(start + to) },
    });
    if (next === -1) break;
    from = next;
  }
  return { type: 'tableRow', children: cells, position: { start: point(start), end: point(end) } };
}

/** A cell's text as micromark gives it: escapes and character references decoded. */
function decoded(value: string): string {
  return value.includes('\\') || value.includes('&') ? decodeString(value) : value;
}
