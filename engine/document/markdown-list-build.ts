/**
 * A list run's lists, built as micromark and mdast build them (the runs: markdown-lists.ts).
 */
import type { BlockContent, Code, List, ListItem, Paragraph } from 'mdast';
import { decodeString } from 'micromark-util-decode-string';
import { codeAfter } from './markdown-items.js';
import { type Line, type ListRun, nest } from './markdown-list-nest.js';

type Point = { line: number; column: number; offset?: number | undefined };

/** An item still open, with the list it is in and that list's marker (every item of a list has it). */
interface OpenItem {
  item: ListItem;
  /** Its last child when a paragraph (text may go on with it), or null (a code block). */
  paragraph: Paragraph | null;
  list: List;
  marker: number;
}

/**
 * The run's lists, as micromark and mdast build them (tight; ordered ones start at their first
 * item's number; a task item's paragraph starts after its check and one space). Every
 * open item and its list, and the innermost paragraph, end where the last line read ends: each
 * is made ending at its first line, and moved on (its end point changed in place: each node has
 * points of its own) when it closes or stops being the innermost, or the run ends; not given a
 * copy of the end at every line.
 */
export function buildLists(run: ListRun, text: string, firstLine: number): List[] {
  const top: List[] = [];
  /** The open items, outermost first. */
  const open: OpenItem[] = [];
  const rowToLine = firstLine - run.lines[0]!.row;
  /** The end of the last line read (where every open node ends so far). */
  let endLine = 0;
  let endColumn = 0;
  let endOffset = 0;
  const moveEnd = (node: { position?: { end: Point } }): void => {
    const end = node.position!.end;
    end.line = endLine;
    end.column = endColumn;
    end.offset = endOffset;
  };
  /** The innermost paragraph, and its text, end where the last line read ends. */
  const endInnermost = (): void => {
    const { paragraph } = open[open.length - 1]!;
    if (paragraph === null) return;
    moveEnd(paragraph);
    moveEnd(paragraph.children[0]!);
  };
  /** Closes the open items from `from` on, and their lists but the one `joined` goes on. */
  const close = (from: number, joined: List | null): void => {
    for (let i = from; i < open.length; i++) {
      const { item, list } = open[i]!;
      moveEnd(item);
      if (list !== joined) moveEnd(list);
    }
    open.length = from;
  };
  nest(
    run.lines,
    (line, kept) => {
      const line1 = line.row + rowToLine;
      const point = (column: number): Point => ({ line: line1, column: column + 1, offset: line.start + column });
      const width = line.end - line.start;
      if (open.length > 0) endInnermost();
      const held = line.empty ? null : heldBy(line, text, point, width);
      const item: ListItem = {
        type: 'listItem',
        spread: false,
        checked: line.checked,
        children: held === null ? [] : [itemContent(line, held, point, width)],
        position: { start: point(line.indent), end: point(width) },
      };
      // The item closed at this level (if any) was in the list this one may join.
      const closed = open[kept];
      const joined = closed !== undefined && closed.marker === line.marker ? closed.list : null;
      close(kept, joined);
      let list: List;
      if (joined !== null) {
        list = joined;
        list.children.push(item);
        if (line.afterBlank) list.spread = true; // items apart: a loose list
      } else {
        list = {
          type: 'list',
          ordered: line.value !== -1,
          start: line.value === -1 ? null : line.value,
          spread: false,
          children: [item],
          position: { start: point(line.indent), end: point(width) },
        };
        const parent = kept === 0 ? null : open[kept - 1]!.item;
        if (parent === null) top.push(list);
        else parent.children.push(list);
      }
      // A quoted paragraph, one in a nested item, or code is never the innermost open one: nothing
      // goes on with it (see the finder).
      open.push({
        item,
        paragraph: held?.type === 'paragraph' && line.quote === -1 && line.inner === -1 ? held : null,
        list,
        marker: line.marker,
      });
      endLine = line1;
      endColumn = width + 1;
      endOffset = line.end;
    },
    (line) => {
      const innermost = open[open.length - 1]!;
      const text0 = innermost.paragraph!.children[0] as { value: string };
      const raw = text.slice(line.start + line.indent, line.end);
      text0.value += `\n${line.decoded ? decodeString(raw) : raw}`;
      endLine = line.row + rowToLine;
      endColumn = line.end - line.start + 1;
      endOffset = line.end;
    },
    (line, kept) => {
      // A new paragraph in the innermost item kept: the items in it close where the last line
      // before it ended; after a blank line the item is spread (a blank line between two of its
      // children), not when it is an empty item's first (`-`, `  c`).
      endInnermost();
      close(kept, null);
      const holder = open[kept - 1]!;
      const line1 = line.row + rowToLine;
      const point = (column: number): Point => ({ line: line1, column: column + 1, offset: line.start + column });
      const width = line.end - line.start;
      const raw = text.slice(line.start + line.textAt, line.end);
      const paragraph: Paragraph = {
        type: 'paragraph',
        children: [
          {
            type: 'text',
            value: line.decoded ? decodeString(raw) : raw,
            position: { start: point(line.textAt), end: point(width) },
          },
        ],
        position: { start: point(line.textAt), end: point(width) },
      };
      holder.item.children.push(paragraph);
      if (line.afterBlank) holder.item.spread = true;
      holder.paragraph = paragraph;
      endLine = line1;
      endColumn = width + 1;
      endOffset = line.end;
    },
    (line, code, kept) => {
      // A code block in the innermost item kept, from its opening fence to its closing fence's
      // end; after a blank line the item is spread.
      endInnermost();
      close(kept, null);
      const holder = open[kept - 1]!;
      const closing = code.closing!;
      const closingLine = closing.row + rowToLine;
      const node: Code = {
        type: 'code',
        lang: code.lang,
        meta: null,
        value: code.lines.join('\n'),
        position: {
          start: { line: line.row + rowToLine, column: line.indent + 1, offset: line.start + line.indent },
          end: { line: closingLine, column: closing.end - closing.start + 1, offset: closing.end },
        },
      };
      holder.item.children.push(node);
      if (line.afterBlank) holder.item.spread = true;
      holder.paragraph = null;
      endLine = closingLine;
      endColumn = closing.end - closing.start + 1;
      endOffset = closing.end;
    },
  );
  if (open.length > 0) {
    endInnermost();
    close(0, null);
  }
  return top;
}

/** The paragraph or indented code an item's line holds, in the item or in what it holds (itemContent). */
function heldBy(line: Line, text: string, point: (column: number) => Point, width: number): Paragraph | Code {
  // Indented code (`-     a`): the line past its 4 columns (codeAfter).
  if (line.indentedCode !== -1)
    return {
      type: 'code',
      lang: null,
      meta: null,
      value: codeValue(text.slice(line.start, line.end), line.indentedCode - 1),
      position: { start: point(line.indentedCode), end: point(width) },
    };
  const raw = text.slice(line.start + line.textAt, line.end);
  // Escapes and character references decoded (none spans a line, so line by line is the same).
  const words = line.decoded ? decodeString(raw) : raw;
  return {
    type: 'paragraph',
    children: [{ type: 'text', value: words, position: { start: point(line.textAt), end: point(width) } }],
    position: { start: point(line.textAt), end: point(width) },
  };
}

/** An item's first child: what its line holds, in a one-line block quote or list (`- > a`, `- - a`) or not. */
function itemContent(
  line: Line,
  held: Paragraph | Code,
  point: (column: number) => Point,
  width: number,
): BlockContent {
  if (line.quote !== -1)
    return { type: 'blockquote', children: [held], position: { start: point(line.quote), end: point(width) } };
  if (line.inner === -1) return held;
  return {
    type: 'list',
    ordered: line.innerValue !== -1,
    start: line.innerValue === -1 ? null : line.innerValue,
    spread: false,
    children: [
      {
        type: 'listItem',
        spread: false,
        checked: null,
        children: [held],
        position: { start: point(line.inner), end: point(width) },
      },
    ],
    position: { start: point(line.inner), end: point(width) },
  };
}

/** The value of the indented code an item's line holds past its marker (codeAfter). */
function codeValue(line: string, markerEnd: number): string {
  const code = codeAfter(line, markerEnd)!;
  return ' '.repeat(code.spaces) + line.slice(code.from);
}
