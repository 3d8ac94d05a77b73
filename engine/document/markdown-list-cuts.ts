/**
 * Long lists cut into chunks between their items, and joined again after.
 *
 * A list micromark reads (its items hold what markdown-*.ts do not read: block quotes, footnote
 * definitions, tables, …) was one chunk however long, and micromark's time on a list grows as the
 * square of its items (it splices its events as each item's containers close): 32 KB of `- > a`
 * took 12 s to check. So safeCuts (markdown-safe-cuts.ts) may cut right before an item of the top-level list
 * in the first column, with no blank line before it, where nothing but the list's items is open
 * (no `:::` container, fence or HTML block, nothing that may have left an HTML block open in the
 * item, no table): that item's line ends the item before it and everything in it, as the chunk's
 * end does, but for a fence or `:::` container left open in it, which `joinList` ends as micromark
 * does (reopen); or, with nothing of that kind in it, right before an item of a top-level list
 * indented 1 to 3 spaces whose items are one line each. Each chunk then holds a list of its own, and `joinList` makes the two one again: the
 * items of both, from the first's start to the second's end, loose if either is (no blank line
 * is between them). Compared with micromark's tree of the whole text in
 * test/check/markdown-list-cuts.test.ts.
 */
import type { List, Nodes, RootContent } from 'mdast';
import { CLOSING_FENCE, openingFence } from './markdown-inner-ends.js';
import { leadOf } from './markdown-literal.js';

/** A list item's line in the first column, with text after its marker (not empty). */
const TOP_ITEM = /^(?:([-*+])|\d{1,9}([.)]))[ \t]+\S/;
/** The marker of a list item's line in the first column, empty or not. */
const MARKER = /^(?:([-*+])|\d{1,9}([.)]))(?:[ \t]|$)/;
/** A thematic break, which a line of `* * *` or `- - -` is before it is a list item. */
const BREAK = /^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;

/**
 * What makes a line in the first column an item of a list (its bullet, or its number's
 * delimiter: items of one list share it), or null when it is no list item's line.
 */
export function topItemKey(line: string): string | null {
  const m = TOP_ITEM.exec(line);
  if (m === null || BREAK.test(line)) return null;
  return m[1] ?? `1${m[2]!}`;
}

/**
 * Joins `next` (the first node of the chunk cut at `cut`) to `previous` (the last node before
 * the cut) when the cut was between two items of one list: both lists of the same marker, the
 * second starting at the cut. True when joined (`next` is then to be dropped).
 */
export function joinList(previous: RootContent | undefined, next: RootContent, cut: number, source: string): boolean {
  if (previous?.type !== 'list' || next.type !== 'list') return false;
  // Items indented 1 to 3 spaces: the list starts at the marker.
  const lead = leadOf(lineAt(source, cut));
  if (next.position?.start.offset !== cut + lead || previous.ordered !== next.ordered) return false;
  const key = markerKey(lineAt(source, cut + lead));
  const start = previous.position?.start.offset;
  if (key === null || start === undefined || markerKey(lineAt(source, start)) !== key) return false;
  const list = previous as List;
  reopen(list, cut, source, next.position!.start.line);
  for (const item of next.children) list.children.push(item);
  list.position!.end = next.position!.end;
  list.spread = list.spread === true || next.spread === true;
  return true;
}

/** The marker of the list item a line in the first column starts (it may be empty), or null. */
function markerKey(line: string): string | null {
  const m = MARKER.exec(line);
  return m === null ? null : (m[1] ?? `1${m[2]!}`);
}

function lineAt(source: string, offset: number): string {
  const end = source.indexOf('\n', offset);
  return source.slice(offset, end === -1 ? source.length : end);
}

/** An item's line with text 1 to 4 spaces after its marker: where its prefix ends is known. */
export const ITEM_WITH_TEXT = /^(?:[-*+]|\d{1,9}[.)]) {1,4}[^ \t]/;

/**
 * Fenced code and `:::` containers left open at the end of the last item before the cut, and what
 * holds them in the item (a block quote, a list): the chunk's end closed them at the line's end
 * before it, but the next item's line closes them at its start, and mdast ends the item (walking back over its line endings, it meets the container's
 * exit) where the next item's prefix ends. Each closing fence closes the innermost such block.
 * safeCuts cuts so only where no HTML block may be open (it ends where its line does) and the
 * item's line has text 1 to 4 spaces after its marker (ITEM_WITH_TEXT).
 */
function reopen(list: List, cut: number, source: string, line: number): void {
  const item = list.children[list.children.length - 1];
  if (item === undefined || item.position?.end.offset !== cut - 1) return;
  const chain: Nodes[] = [];
  for (let node: Nodes | undefined = item; node !== undefined && 'children' in node; ) {
    node = node.children[node.children.length - 1] as Nodes | undefined;
    if (node !== undefined) chain.push(node);
  }
  const lastLine = source.slice(source.lastIndexOf('\n', cut - 2) + 1, cut - 1).trimStart();
  const closing = CLOSING_FENCE.exec(lastLine.replace(/^(?:(?:[-*+]|\d{1,9}[.)]) +|> ?)+/, ''));
  let closerUsed = false;
  let reopened = false;
  for (let i = chain.length - 1; i >= 0; i--) {
    const node = chain[i]!;
    if (node.position?.end.offset !== cut - 1) continue;
    // What holds a block ended there (a block quote, a list in the item: `- - > ~~~`) ends there too.
    if (node.type !== 'code' && node.type !== 'containerDirective') {
      if (reopened) node.position.end = { line, column: 1, offset: cut };
      continue;
    }
    const start = node.position.start.offset!;
    const opening = openingFence(source.slice(start, start + 64));
    if (opening === '') continue; // indented code: its lines end it
    const closes =
      !closerUsed &&
      closing !== null &&
      node.position.start.line !== node.position.end.line &&
      closing[1]![0] === opening[0] &&
      closing[1]!.length >= opening.length;
    if (closes) {
      closerUsed = true;
      continue;
    }
    node.position.end = { line, column: 1, offset: cut };
    reopened = true;
  }
  if (!reopened) return;
  const width = /^(?:[-*+]|\d{1,9}[.)]) {1,4}/.exec(source.slice(cut, cut + 16))![0].length;
  item.position!.end = { line, column: width + 1, offset: cut + width };
}
