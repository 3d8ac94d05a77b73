/**
 * Where the nodes of a container's content, read as a document (markdown-inner.ts, readInner),
 * go back onto the lines they came from (place), and whether they may: a container in the content
 * that ends elsewhere than a document ends it is left to micromark (markdown-inner-ends.ts), and
 * what an item's content leaves open runs on into what follows it as micromark runs it on
 * (InnerAfter).
 */
import type { Code, Html, Nodes, Root, RootContent } from 'mdast';
import { type InnerLine, rawOverLead } from './markdown-inner-lead.js';
import {
  CONTAINERS,
  closedInDirective,
  containersMeet,
  emptyLast,
  endsAlike,
  endsOpen,
  INDENTED_CODE,
  itemsMeet,
  movedToNext,
  openChain,
  openingFence,
  quotesClosed,
} from './markdown-inner-ends.js';
import { htmlBlockEnd } from './markdown-literal.js';
import { copyPoint } from './markdown-shift.js';

/** A container's lines, what reads them, and what they hold once read (readInner). */
export interface InnerBlock {
  readonly lines: readonly InnerLine[];
  /**
   * What holds it, which decides where micromark ends what a later line of it closes:
   * - in a block quote, a list that the next line's list ends, or a footnote definition the next
   *   line's definition, where that one starts, past the line's `>` (containersMeet);
   * - in a footnote definition, a list item with another after it, where the next one's text
   *   starts (itemsMeet);
   * - in a block quote or a list item, that list item where a document ends it (endsAlike).
   */
  readonly container: 'quote' | 'item' | 'footnote';
  /**
   * How many characters of the content's first line are read as letters: a task item's text, which
   * micromark reads as a paragraph's whatever it holds (markdown-item-runs.ts puts them back).
   */
  readonly standIn?: number;
  /** The chunk's reader (markdown.ts, parseBlocks), given the content as a document. */
  readonly parse: (inner: string) => Root;
  /** The content's blocks, in the chunk's lines and offsets (readInner), for the builder (takeInner). */
  children?: RootContent[] | undefined;
  /** The builder has them in a tree (takeInner). */
  taken?: boolean;
  /**
   * What follows a list item's or footnote definition's content (markdown-item-runs.ts), which a
   * fence, `:::` container or HTML block left open in it runs on into; none where that is not
   * known to be read so (the content is then not read when it leaves one open).
   */
  readonly after?: InnerAfter | undefined;
  /** Set by readInner: something left open in the content ran on into `after` (see InnerAfter). */
  ranOn?: boolean;
}

/**
 * What micromark ends what a content leaves open with, when that content is a list item's or a
 * footnote definition's:
 * - the next item of its list (or the next definition), after blank lines or none: at that line's
 *   start, the blank lines its content (the code's value holds them, the list is not spread by
 *   them), and the item itself where the next one's text starts (its marker and spaces past);
 *   the definition, at the line's start;
 * - a line that no container starts (a heading, a leaf directive, a break) right after it: where
 *   the content ends, as in a document;
 * - the text's end: there, past the blank lines (a document's reading of the content and them).
 * `- ~~~` then `- b` ends the code at 2:1 and the item at 2:3.
 */
export interface InnerAfter {
  /** The blank lines after the content's last line, each with its prefix (the spaces past it are the content's). */
  readonly blanks: readonly InnerLine[];
  /** Where the line after the blank lines starts when that line ends what is open at its start; null: at the blanks' end. */
  readonly closes: { readonly line: number; readonly column: number; readonly offset: number } | null;
  /** How far past `closes` the item itself ends (the next item's marker and spaces). */
  readonly past: number;
}

/** How many characters longer a content line is as read than as written (its `lead`). */
const grownBy = (line: InnerLine): number => (line.lead === undefined ? 0 : line.lead.length - line.leadChars!);

/**
 * Whether what a content read in a batch leaves open runs on into what follows it (InnerAfter):
 * indented code takes the blank lines after it only where one holds 4 spaces past the content's
 * column (1 MB of `- -     a` and a blank line, each item read alone: 13 s).
 */
export function runsOn(nodes: readonly RootContent[], content: string, offset: number, after: InnerAfter): boolean {
  const chain = openChain(nodes, content, offset);
  if (chain === null) return false;
  const leaf = chain[chain.length - 1]!;
  if (leaf.type === 'code' && INDENTED_CODE.test(content.slice(leaf.position!.start.offset! - offset)))
    return after.blanks.some((line) => line.end - line.start - line.prefix >= 4);
  return true;
}

type Point = { line: number; column: number; offset?: number | undefined };

/** Calls `move` with every point of the nodes and of everything in them (none is in two nodes), and whether it is an end. */
export function walk(nodes: readonly RootContent[], move: (point: Point, isEnd: boolean, node: Nodes) => void): void {
  const stack: Nodes[] = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.position) {
      move(node.position.start, false, node);
      move(node.position.end, true, node);
    }
    if ('children' in node) for (const child of node.children) stack.push(child as Nodes);
  }
}

/**
 * Moves the nodes of one content (`content`, starting at `offset` and row `row` of what was
 * parsed) onto the block's lines (in the chunk's `text`), in place, and keeps them on the block: a point on a content's row
 * goes to the block's line, its column and offset past the prefix (an end at a row's start, but
 * for the content's: to the line's start). False, nothing kept, when a container in it ends before the content does, or a
 * point is on no row of the content (in a batch, a node running on to the separator's line).
 * `batched`: the nodes are a batch's, where what the content leaves open ends at its end (`base`),
 * to be moved where a read with what follows it (`after`, in `content` past `base`) ends it.
 */
export function place(
  nodes: RootContent[],
  block: InnerBlock,
  content: string,
  offset: number,
  row: number,
  text: string,
  after?: InnerAfter,
  base = content.length,
  batched = false,
): boolean {
  if (block.lines.some((line) => line.lead !== undefined) && rawOverLead(nodes, block, row, content, text))
    return false;
  // In a block quote whose last line holds something, what is left open ends where the content
  // does, as in a document; after an empty line, micromark ends some of it before the line's `>`.
  // An item's content read with what follows it ends it where micromark does (InnerAfter).
  const lastLine = content.slice(content.lastIndexOf('\n') + 1);
  const openEnds = after !== undefined || (block.container === 'quote' && lastLine.trim() !== '');
  // (Indented code left last in an item, with no blank line of 4 spaces after it, ends there too.)
  if (
    !openEnds &&
    (block.after === undefined ? endsOpen(nodes, content, offset) : runsOn(nodes, content, offset, block.after))
  )
    return false;
  // What the content leaves open runs on into what follows it (InnerAfter), read as a document
  // reads it: to the end, past the blank lines; but a block quote holding it ends on its last line
  // (`> ~~~` then a line ending), with all in it. There, a blank line after it is where micromark
  // closes the quote too (and the blank lines are the list's); the next line, where it closes all
  // (`- > ~~~` then `- b`: at 2:1).
  let toNext: Nodes[] = [];
  /** Where they are moved to: the next line's start, or the last blank line's (see below). */
  let nextAt: Point | null = null;
  /** The block moved on with them whose value holds line endings it is moved past, and those. */
  let grows: { node: Html | Code; by: string } | null = null;
  if (after !== undefined && content.length > base) {
    let chain = openChain(nodes, content.slice(0, base), offset) ?? [];
    // Indented code ends at its last line, as in a document (endsOpen counts it as open: blank
    // lines of its indent after it are in its extent). A line of it may look like a fence's.
    const leaf = chain[chain.length - 1];
    const from = leaf?.type === 'code' ? content.slice(leaf.position!.start.offset! - offset) : '';
    if (leaf?.type === 'code' && (INDENTED_CODE.test(from) || openingFence(from.trimStart()) === '')) chain = [];
    const ends = new Set(chain.map((node) => node.position!.end.offset));
    if (ends.size > 1 || (ends.size === 1 && !ends.has(offset + content.length) && !ends.has(offset + base)))
      return false;
    if ((after.blanks.length === 0 || batched) && ends.has(offset + base)) {
      const leaf = chain[chain.length - 1]!;
      const nested =
        chain.length > 1 && chain.every((node) => node === leaf || node.type === 'list' || node.type === 'listItem');
      // The line endings the block runs on over: the empty blank lines' (readInner lets no other
      // through), and the next line's where that line ends it (closes: else it ends at the last
      // blank line's start, as in a document). Fenced code opened on the content's last line, in
      // a list of the content's, holds all but two of them (`- - ~~~`, 3 blank lines, `- - b`:
      // `\n\n`); an HTML block that runs on through blank lines (a comment, `<pre>`: htmlBlockEnd)
      // holds every one (`- - <!--` then `- b`: `<!--\n`), as a read with what follows gives it.
      // Any other is left to that read: a block quote closes at a blank line, and what is in a
      // footnote definition (`- > <pre>`), at the content's top level, or a tag's block differs.
      const endings = after.blanks.length + (after.closes === null ? 0 : 1);
      if (!nested) {
        if (after.blanks.length > 0 || leaf.type === 'html') return false;
      } else if (leaf.type === 'html') {
        if (htmlBlockEnd(leaf.value.split('\n', 1)[0]!) === null) return false;
        grows = { node: leaf, by: '\n'.repeat(endings) };
      } else if (leaf.type === 'code') {
        if (endings > 2 && leaf.value !== '') return false;
        if (endings > 2) grows = { node: leaf, by: '\n'.repeat(endings - 2) };
      } else if (after.blanks.length > 0) return false;
      const last = after.blanks[after.blanks.length - 1];
      nextAt = after.closes ?? (last === undefined ? null : { line: last.row + 1, column: 1, offset: last.start });
      if (nextAt === null) return false;
      toNext = chain;
    }
  }
  if (block.container === 'quote' && closedInDirective(nodes)) return false;
  const met =
    block.container === 'quote'
      ? containersMeet(nodes, emptyLast(nodes, content, offset, row + block.lines.length))
      : block.container === 'footnote'
        ? itemsMeet(nodes)
        : null;
  const closed = quotesClosed(nodes, content, offset);
  // Each node, the one after it, and where the list item it ends with ends, when that item ends
  // where a document ends it (endsAlike: it has another after it): what ends with it does too.
  const stack: [Nodes, Nodes | undefined, number | undefined][] = nodes.map((node, i) => [
    node,
    nodes[i + 1],
    undefined,
  ]);
  while (stack.length > 0) {
    const [node, next, itemEnd] = stack.pop()!;
    const end = node.position?.end.offset;
    // Into what follows the content, a node runs to its end or not at all (indented code does:
    // over a last blank line of spaces, micromark ends it past them).
    if (end !== undefined && end > offset + base && end !== offset + content.length) return false;
    const alike =
      met?.has(node) === true ||
      movedToNext(node) ||
      closed.has(node) ||
      (itemEnd !== undefined && end === itemEnd) ||
      // Read with what follows it: at the content's own end (nothing ran on), as in a document.
      (end === offset + base && after !== undefined) ||
      endsAlike(node, next, content, offset, block.container !== 'footnote');
    if (CONTAINERS.has(node.type) && !alike) return false;
    if ('children' in node) {
      const children = node.children as Nodes[];
      const inner = alike && node.type === 'listItem' && next?.type === 'listItem' ? end : itemEnd;
      for (let i = 0; i < children.length; i++) stack.push([children[i]!, children[i + 1], inner]);
    }
  }
  const lines = after === undefined ? block.lines : [...block.lines, ...after.blanks];
  // Where each row of the content started in what was parsed.
  const starts: number[] = [];
  let at = offset;
  for (const line of lines) {
    starts.push(at);
    at += line.end - line.start - line.prefix + grownBy(line) + 1;
  }
  let outside = false;
  const end = offset + content.length;
  const closes = after?.closes ?? null;
  // Something left open ran on past the content's last line (its end is the parse's).
  const ranOn =
    lines.length + (closes === null ? 0 : 1) > block.lines.length &&
    (toNext.length > 0 || nodes.some((node) => node.position?.end.offset === end));
  walk(nodes, (point, isEnd, node) => {
    const index = point.line - 1 - row;
    const line = lines[index];
    if (line === undefined) {
      // The content's end, past a line ending of its own: where the line after it starts.
      if (closes !== null && index === lines.length && point.offset === end) Object.assign(point, closes);
      else outside = true;
      return;
    }
    point.line = line.row + 1;
    // An end at a row's start, before the content's end (a hard break's, code's a later line
    // closes): micromark stands at the line's start there, before the prefix. So it does at the
    // end, for a block (not a container) run on to a blank line after the content that is all
    // prefix: the text ends there (`- ~~~` then `  `: the code ends at 2:1, the item at 2:3).
    const atStart =
      point.offset !== end || (index >= block.lines.length && line.prefix > 0 && !CONTAINERS.has(node.type));
    if (isEnd && point.column === 1 && index > 0 && atStart && !met?.has(point)) {
      point.offset = line.start;
      return;
    }
    let within = (point.offset ?? 0) - starts[index]!;
    // In the white space read as spaces, where micromark stands there (past a tab it took part of).
    if (line.lead !== undefined) within = within < line.lead.length ? line.leadAt![within]! : within - grownBy(line);
    point.offset = line.start + line.prefix + within;
    point.column = point.offset - line.start + 1;
  });
  if (outside) return false;
  for (const node of toNext) node.position!.end = copyPoint(nextAt!);
  if (grows !== null) grows.node.value += grows.by;
  block.children = nodes;
  block.ranOn = ranOn;
  return true;
}
