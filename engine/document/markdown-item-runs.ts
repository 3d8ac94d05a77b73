/**
 * Lists whose items hold any content, and footnote definitions of any content, each item's (or
 * definition's) content read as a document of its own (markdown-inner.ts) and the list built
 * around them here: for what markdown-lists.ts and markdown-footnotes.ts cannot read (a block
 * quote on an item's second line, a footnote definition in an item, paragraphs after blank lines
 * in a definition, headings, code, tables, nested lists of any shape).
 *
 * micromark re-checks every open item on every line and gives each item's content a child
 * tokenizer: 4 KB of `- a` items each holding a block quote on its second line took it 150 ms,
 * 1 MB over 20 s.
 *
 * A run is a list of items up to 3 spaces in, all of one marker (`-`, `*` or `+`; or a number
 * and the same `.` or `)`), each a marker, 1 to 4 columns of spaces or tabs and text on its line
 * (its content column is past those; with 5 spaces or more, one past the marker, before indented
 * code; a task item's past its box: markdown-item-markers.ts), then lines indented at least that
 * far (the item's, that far taken off) or blank; or footnote definitions one after another, each `[^label]:`, spaces and text, then
 * lines indented 4 spaces or blank. It starts where no list can be open: at the text's start, or
 * after a blank line or a closer in the first column (markdown-plain.ts's CLOSER: an ATX heading,
 * a leaf directive, a break) with no item or footnote definition line since the last such line
 * (a lazy line may hold one open), or right after a line of a paragraph's text there (a bullet
 * item, one numbered 1 or a footnote definition interrupts it), not after indented code for an item numbered other than 1
 * (which is text there), and not on the line that ends a run (where micromark ends what the run
 * left open, should it be left to micromark, depends on that line). It ends at a closer, a `>`
 * line, an item of another marker right after a line of it (none of them goes on lazily), or at a
 * line in the first column that is no item of its marker after a blank line, or at the text's end
 * (whatever markdown-literal.ts says of the lines: a fence in an item looks to it like one at the
 * top level). Any other line right after a line of it may go on lazily in an item: the run is
 * left to micromark, as are runs with a tab its item's content would not read alike alone (a tab's
 * width depends on its column: tabsRead) or a CR (the readers take none: markdown-crlf.ts), an
 * empty item, a task item's box with no text after it, and items whose content
 * micromark ends otherwise in an item than in a document (markdown-inner.ts).
 *
 * What mdast says of spread, as mdast-util-from-markdown infers it: a list is spread when a blank
 * line stands between two of its items; an item, when a blank line in it comes before its last
 * line and is in no list, block quote, code or HTML block inside it (a footnote definition's or a
 * `:::` container's blank lines count).
 * test/check/markdown-item-runs.test.ts compares the trees built here with micromark's.
 */
import type { FootnoteDefinition, List, ListItem, Nodes, Root, RootContent } from 'mdast';
import type { Point } from 'unist';
import { readInner, takeInner } from './markdown-inner.js';
import type { InnerAfter, InnerBlock } from './markdown-inner-place.js';
import type { InnerLine } from './markdown-inner-lead.js';
import { FOOTNOTE_START } from './markdown-footnotes.js';
import {
  BREAK_LINE,
  charsTo,
  indentOf,
  type Marker,
  markerOf,
  nestsInterrupted,
  STAND_IN_TEXT,
  spacesOf,
  TASK,
  TASK_TEXT,
  tabsRead,
} from './markdown-item-markers.js';
import { type ChunkLine, CLEAR, CLOSER_SHAPE, eachLine } from './markdown-literal.js';
import { DECODED_TEXT } from './markdown-plain.js';
import { copyPoint } from './markdown-shift.js';
import type { Keep } from './markdown-skeleton.js';

/**
 * Any item's line, up to 3 spaces in (empty, or with code in it): a list may be open after it, as
 * a footnote definition (`[^`) may, each holding what blank lines do not end (a fence).
 */
const ANY_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;

/**
 * A line a run may start on: a marker and white space up to 3 spaces in, or `[^` (markerOf's
 * items, footnote definitions). markdown-prose.ts looks for runs only where such a line lies
 * outside what the other readers took.
 */
export const ITEM_RUN_START = /(?:^|\n) {0,3}(?:[-*+][ \t]|\d{1,9}[.)][ \t]|\[\^)/;

/** A line of a paragraph's text: a letter or digit first, no item's number (DECODED_TEXT). */
const TEXT = new RegExp(`^${DECODED_TEXT}$`, 'u');

/** An item's text that starts no block (an item whose content is an empty item interrupts no paragraph). */
const ITEM_TEXT = /^(?!\d{1,9}[.)])[\p{L}\p{N}]/u;

export interface ItemRun {
  start: number;
  end: number;
  /** The first line and the last (what the stand-in is written over). */
  lines: [{ start: number; end: number; row: number }, ...{ start: number; end: number; row: number }[]];
  ordered: boolean;
  /** The first item's number, for an ordered list. */
  start_: number | null;
  items: ItemBlock[];
}

/** An item: its lines (the first from its marker, the others past its content column), read as a document. */
export interface ItemBlock extends InnerBlock {
  /** A footnote definition's label, as written; null for a list item. */
  readonly label: string | null;
  /** A task item's box: checked or not; null for none (and for a footnote definition). */
  readonly checked: boolean | null;
  /** Spaces before its marker: the item starts past them. */
  readonly indent: number;
  /** Its rows with only blank content, before its last line: candidates for its spread. */
  readonly blanks: readonly number[];
}

/**
 * Whether a line in the first column is an item of the marker `kind` (any item: empty, or with code
 * in it), or any footnote definition's for `^`.
 */
function sameKind(line: string, kind: string): boolean {
  if (kind === '^') return FOOTNOTE_START.test(line);
  const m = /^(?:([-*+])|\d{1,9}([.)]))(?:[ \t]|$)/.exec(line);
  return m !== null && (m[1] ?? m[2]) === kind && !BREAK_LINE.test(line);
}

/** An item as found: its marker, its task box (checked or not; null for none) and its lines. */
interface RawItem {
  marker: Marker;
  checked: boolean | null;
  /** A task item's text read as letters (TASK_TEXT), its length; 0 for none. */
  standIn: number;
  lines: ItemLine[];
}

/** A line of an item as read: where it is, how much of it is the item's, whether it is blank. */
interface ItemLine {
  start: number;
  end: number;
  row: number;
  prefix: number;
  blank: boolean;
  /** A first line's white space after the marker read as spaces (Marker.lead), as InnerLine has it. */
  lead?: string;
  leadChars?: number;
  leadAt?: readonly number[];
  virtual?: boolean;
}

/** (A literal, not a spread of `at`: V8 copies a spread slowly, and a megabyte has 200,000 lines.) */
const lineOf = (at: { start: number; end: number; row: number }, prefix: number, blank: boolean): ItemLine => ({
  start: at.start,
  end: at.end,
  row: at.row,
  prefix,
  blank,
});

/**
 * The lists of `text` that may be read here (see above), their items not read yet (readItemRuns);
 * `first`: the document's first chunk; `parse`: the chunk's reader.
 */
export function findItemRuns(text: string, first: boolean, parse: (inner: string) => Root): ItemRun[] {
  if (!ITEM_RUN_START.test(text)) return [];
  const runs: ItemRun[] = [];
  let items: RawItem[] = [];
  let kind = '';
  /** No list can be open here (see above). */
  let closed = true;
  /** The line before was blank (or this is the text's first), or a closer. */
  let open = true;
  let afterBlank = false;
  /** The last line that was not blank was indented 4 or more (indented code, which may go on). */
  let afterCode = false;
  /** The last line was a paragraph's text in the first column, which an item may interrupt. */
  let afterText = false;
  let broken = false;
  const drop = (): void => {
    items = [];
    broken = false;
  };
  /** An item from its first line: from its text, past a task item's box (TASK_TEXT), or past its marker. */
  const firstLine = (marker: Marker, line: string, at: ChunkLine): RawItem => {
    const task = marker.kind === '^' ? null : TASK_TEXT.exec(line.slice(marker.column));
    if (task === null && marker.kind !== '^' && TASK.test(line.slice(marker.column))) broken = true;
    const checked = task === null ? null : task[1] !== ' ';
    const own = task === null ? '' : line.slice(marker.column + 4).trimEnd();
    const standIn = STAND_IN_TEXT.test(own) ? own.length : 0;
    const first = lineOf(at, marker.column + (task === null ? 0 : 4), false);
    // The white space after the marker, read as the spaces it reaches (a tab split with the marker's space too).
    if (marker.lead !== null) {
      first.lead = marker.lead.text;
      first.leadChars = marker.lead.chars;
      first.leadAt = marker.lead.at;
      first.virtual = true;
    }
    return { marker, checked, standIn, lines: [first] };
  };
  /** `end`: what ends the run (see RunEnd). */
  const accept = (end: RunEnd): void => {
    if (items.length > 0 && !broken) runs.push(runOf(items, end, parse));
    drop();
  };
  eachLine(text, first, (line, at, literal, blank, flags) => {
    const current = items.length > 0 ? items[items.length - 1]! : null;
    if (blank) {
      // Its spaces past the item's content column are the content's (a line of code in it); all of
      // them are a footnote definition's (micromark takes no indent off its blank lines).
      const prefix = current?.marker.kind === '^' ? 0 : Math.min(line.length, current?.marker.content ?? 0);
      if (current !== null) current.lines.push(lineOf(at, prefix, true));
      if (current !== null && /[\t\r]/.test(line)) broken = true;
      afterBlank = true;
      open = closed;
      return;
    }
    if (line.includes('\r')) broken = true;
    const tab = line.includes('\t');
    const indent = tab ? indentOf(line) : spacesOf(line);
    if (current !== null && indent >= current.marker.content) {
      // A line of the last item, its content column taken off.
      const content = current.marker.content;
      const prefix = tab ? charsTo(line, content) : content;
      if (prefix < 0 || (tab && !tabsRead(line, prefix, content))) broken = true;
      current.lines.push(lineOf(at, Math.max(prefix, 0), false));
      afterBlank = false;
      return;
    }
    // In a run, lines are the list's by their indent alone: a fence in an item (2 to 3 spaces in)
    // looks to markdown-literal.ts like one at the top level, and its lines like code.
    const marker = indent <= 3 && (current !== null || !literal) ? markerOf(line) : null;
    if (current !== null && marker !== null && marker.kind === kind) {
      // The list's next item.
      if (tab && !tabsRead(line, marker.column + (marker.lead?.chars ?? 0), marker.content)) broken = true;
      items.push(firstLine(marker, line, at));
      afterBlank = false;
      return;
    }
    const closer = indent === 0 && (flags & CLOSER_SHAPE) !== 0 && (flags & CLEAR) !== 0;
    if (current !== null) {
      // Ends the list where nothing can go on lazily in an item (see above); otherwise (an item of
      // its marker not read here, such as an empty one, too) it is left to micromark.
      const ends =
        !sameKind(line, kind) &&
        (afterBlank ? indent === 0 : closer || marker !== null || line.charCodeAt(0) === 62); /* > */
      // No run starts on the line that ends one: were that one left to micromark (markdown-inner.ts),
      // where it ends would depend on what this line is.
      if (ends) accept(afterBlank || CONTAINER_START.test(line) ? 'container' : 'flow');
      else drop();
    }
    // After indented code (which blank lines do not end) an item numbered other than 1 is text.
    // A bullet or a footnote definition interrupts, a number only as a lone `1` (`01.` is text
    // there, as `2.` is: micromark's rule).
    const mayInterrupt = marker !== null && (marker.value === null || /^ {0,3}1[.)]/.test(line));
    const interrupts = marker === null || mayInterrupt || !afterCode;
    // After a paragraph's line, a bullet item or one numbered 1 interrupts it (others go on with it).
    const afterParagraph = afterText && mayInterrupt && ITEM_TEXT.test(line.slice(marker?.column ?? 0));
    if (marker !== null && (open || afterParagraph) && closed && !literal && interrupts) {
      kind = marker.kind;
      items = [firstLine(marker, line, at)];
      if (tab && !tabsRead(line, marker.column + (marker.lead?.chars ?? 0), marker.content)) broken = true;
      // Where it interrupts a paragraph or indented code, so do the containers its content starts.
      if ((!open || afterCode) && nestsInterrupted(line.slice(marker.column))) broken = true;
      closed = false;
    } else if (marker !== null || ANY_ITEM.test(line) || line.startsWith('[^')) closed = false;
    else if (closer || (afterBlank && indent === 0 && !literal)) closed = true;
    open = closer;
    afterText = closed && items.length === 0 && indent === 0 && (flags & CLEAR) !== 0 && TEXT.test(line);
    afterBlank = false;
    afterCode = indent >= 4;
  });
  accept('text');
  return runs;
}

/**
 * The runs whose every item's content reads as in a list (markdown-inner.ts), read now, all at
 * once: the others are left to micromark. With `keep`, each item's content is pruned as soon as
 * it is read (markdown-skeleton.ts), but a task item's, whose first paragraph taskRead reads.
 */
export function readItemRuns(runs: readonly ItemRun[], text: string, keep?: Keep): ItemRun[] {
  const blocks = runs.flatMap((run) => run.items);
  if (blocks.length === 0) return [];
  const prune =
    keep &&
    ((items: readonly ItemBlock[]): void => {
      for (const item of items) if (item.checked === null) item.children = keep(item.children!, text);
    });
  const read = new Set<InnerBlock>(readInner(blocks, text, prune));
  return runs.filter((run) => run.items.every((item) => read.has(item) && taskRead(item, text)));
}

/**
 * Whether a task item's content, read from the text after its box, starts with a paragraph there,
 * as micromark reads it with the box (TASK_TEXT): not a heading, table, break or other block that
 * the text alone would start.
 */
function taskRead(item: ItemBlock, text: string): boolean {
  if (item.checked === null) return true;
  const first = item.children?.[0];
  const line = item.lines[0]!;
  const from = line.start + line.prefix;
  if (first?.type !== 'paragraph' || first.position?.start.offset !== from) return false;
  if (!item.standIn) return true;
  // The text read as letters, put back (it is the start of the paragraph's first text node).
  const head = first.children[0];
  if (head?.type !== 'text' || head.position?.start.offset !== from || head.value.length < item.standIn) return false;
  head.value = text.slice(from, from + item.standIn) + head.value.slice(item.standIn);
  return true;
}

/**
 * What ends a run: the text's end, a line right after it that no container starts (a heading, a
 * leaf directive, a break), or another line (a block quote's, another list's item; any line after
 * a blank line). What its last item leaves open runs on to the text's end in the first case, ends
 * where the item does in the second (InnerAfter); in the third it is not read here.
 */
type RunEnd = 'text' | 'flow' | 'container';

/** A line that starts a container: a list item (of any marker, empty or not), a block quote, a footnote definition. */
const CONTAINER_START = /^ {0,3}(?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|>|\[\^)/;

/** A run of items: each item's lines up to its last non-blank one; blank lines after it part items. */
function runOf(items: readonly RawItem[], end: RunEnd, parse: (inner: string) => Root): ItemRun {
  const blocks: ItemBlock[] = items.map(({ marker, checked, standIn, lines }, i) => {
    let last = lines.length - 1;
    while (lines[last]!.blank) last--;
    const own = lines.slice(0, last + 1);
    const next = items[i + 1];
    const blanks: InnerLine[] = lines.slice(last + 1);
    const after: InnerAfter | undefined =
      next !== undefined
        ? {
            blanks,
            closes: { line: next.lines[0]!.row + 1, column: 1, offset: next.lines[0]!.start },
            past: next.marker.kind === '^' ? 0 : next.marker.past,
          }
        : end === 'container'
          ? undefined
          : { blanks, closes: null, past: 0 };
    return {
      lines: own,
      blanks: own.filter((l) => l.blank).map((l) => l.row),
      label: marker.label,
      checked,
      standIn,
      indent: marker.indent,
      container: marker.label === null ? 'item' : 'footnote',
      parse,
      after,
    };
  });
  const first = blocks[0]!.lines[0]!;
  const lastBlock = blocks[blocks.length - 1]!;
  const last = lastBlock.lines[lastBlock.lines.length - 1]!;
  const marker = items[0]!.marker;
  return {
    start: first.start,
    end: last.end,
    lines: first === last ? [first] : [first, last],
    ordered: marker.value !== null,
    start_: marker.value,
    items: blocks,
  };
}

/**
 * The run's list, or its footnote definitions, as micromark and mdast build them; `firstLine`: the
 * line of its first item. With `keep` (markdown-skeleton.ts), each item but the last is pruned as
 * soon as it is built, so a long list's whole tree is never held at once; the last stays whole, as
 * joinList may reopen what it left open (markdown-list-cuts.ts).
 */
export function buildItemRun(
  run: ItemRun,
  text: string,
  firstLine: number,
  keep?: Keep,
): (List | FootnoteDefinition)[] {
  const rows = firstLine - (run.lines[0].row + 1);
  const positionOf = (item: ItemBlock) => {
    const first = item.lines[0]!;
    const start = { line: first.row + 1 + rows, column: 1 + item.indent, offset: first.start + item.indent };
    // What it left open ran on (InnerAfter): to the next line's start and its marker, or the blank lines' end.
    const closes = item.ranOn === true ? item.after!.closes : null;
    if (closes !== null) {
      const past = item.after!.past;
      return { start, end: { line: closes.line + rows, column: closes.column + past, offset: closes.offset + past } };
    }
    const last =
      item.ranOn === true ? item.after!.blanks[item.after!.blanks.length - 1]! : item.lines[item.lines.length - 1]!;
    return { start, end: { line: last.row + 1 + rows, column: last.end - last.start + 1, offset: last.end } };
  };
  const contentOf = (item: ItemBlock) => takeInner(item, text, item.lines[0]!.row + 1 + rows);
  const pruned = <T extends RootContent>(node: T, i: number): T[] =>
    keep === undefined || i === run.items.length - 1 ? [node] : (keep([node], text) as T[]);
  if (run.items[0]!.label !== null)
    return run.items.flatMap((item, i) =>
      pruned<FootnoteDefinition>(
        {
          type: 'footnoteDefinition',
          identifier: item.label!.toLowerCase(),
          label: item.label!,
          children: contentOf(item) as FootnoteDefinition['children'],
          position: positionOf(item),
        },
        i,
      ),
    );
  let start: Point | undefined;
  const items: ListItem[] = run.items.flatMap((item, i) => {
    const children = contentOf(item) as ListItem['children'];
    const spread = spreadOf(
      children,
      blankRows(item).map((row) => row + 1 + rows),
    );
    const position = positionOf(item);
    start ??= copyPoint(position.start);
    return pruned<ListItem>({ type: 'listItem', spread, checked: item.checked, children, position }, i);
  });
  const end = items[items.length - 1]!.position!.end;
  // Spread by a blank line between two items, but for those the code left open in the first holds.
  const spread = run.items.some(
    (item, i) => i + 1 < run.items.length && item.after!.blanks.length > 0 && item.ranOn !== true,
  );
  const list: List = {
    type: 'list',
    ordered: run.ordered,
    start: run.start_,
    spread,
    children: items,
    position: { start: start!, end: copyPoint(end) },
  };
  return [list];
}

/**
 * An item's blank rows before its last line: with what it left open running on (InnerAfter), the
 * blank lines after its content too, all of them where the next line ends it, all but the last
 * (its last line) otherwise.
 */
function blankRows(item: ItemBlock): readonly number[] {
  if (item.ranOn !== true) return item.blanks;
  const after = item.after!.blanks.map((line) => line.row);
  return [...item.blanks, ...(item.after!.closes === null ? after.slice(0, -1) : after)];
}

/** Blocks whose blank lines are their own: a blank line in one does not spread the item. */
const OPAQUE = new Set(['list', 'blockquote', 'code', 'html']);

/** Whether a blank line (`blanks`, lines) of an item's content is in none of its opaque blocks. */
function spreadOf(children: readonly RootContent[], blanks: readonly number[]): boolean {
  if (blanks.length === 0) return false;
  const spans: [number, number][] = [];
  const stack: Nodes[] = [...children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (OPAQUE.has(node.type)) spans.push([node.position!.start.line, node.position!.end.line]);
    else if ('children' in node) for (const child of node.children) stack.push(child as Nodes);
  }
  return blanks.some((line) => !spans.some(([from, to]) => from <= line && line <= to));
}
