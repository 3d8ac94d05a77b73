/**
 * What a container holds, read as a document of its own: the lines of a block quote with their
 * `>` taken off (markdown-quotes.ts), of a list item or a footnote definition with their indent
 * taken off (markdown-item-runs.ts), are parsed by the chunk's own reader (markdown.ts,
 * parseBlocks: the readers of markdown-*.ts, micromark for what they cannot be sure of), and the
 * nodes are moved back onto the lines they came from.
 *
 * micromark re-checks every open container on every line and gives each container's content a
 * child tokenizer of its own: 4 KB of block quotes of two paragraphs took it 150 ms, 15 times as
 * long as the same paragraphs outside them, and 1 MB over 20 s. What a container holds is parsed
 * as a document is when every one of its lines is the container's (no line goes on lazily into
 * it, which only its paragraphs' state could tell) and no line holds a tab (a tab's width depends
 * on the column it is in, which taking the prefix off moves): the finders take only such runs.
 *
 * Two things come out otherwise in a container than in a document, and are made so here:
 * - An end at the start of a line (a hard break's, or code's that a later line closes) is before
 *   the container's prefix, not after it as the line's content is; but for the content's end.
 * - A list, block quote or footnote definition in it that a later line of the container closes
 *   ends where micromark's document tokenizer stands when it closes it, past the next line's
 *   prefix, which a document does not show (its ends are at the content's). A content where one
 *   of those ends before the content does (but for a list item with another after it, in some
 *   containers: endsAlike, a block quote that an empty line closes: quotesClosed, and a list or
 *   footnote definition last in a block quote's content that ends in an empty line: emptyLast)
 *   is not read here: its container is left to micromark (readInner leaves it out). Those ends
 *   are markdown-inner-ends.ts's.
 *
 * All of a chunk's containers are read in one parse, their contents one after another with a
 * leaf directive alone on a line between them, which ends every block above it (as the chunk
 * cuts do, markdown.ts). Should that line not come out as a leaf directive of its own in the
 * first column (a fence, an HTML block or a `:::` container left open in a content runs on
 * through it), each content is parsed alone. A parse each cost a few tens of µs, most of a
 * megabyte's time.
 */
import type { Nodes, Root, RootContent } from 'mdast';
import {
  CLOSING_FENCE,
  CONTAINERS,
  emptyLast,
  endsAlike,
  endsOpen,
  itemsMeet,
  movedToNext,
  containersMeet,
  openingFence,
  quotesClosed,
} from './markdown-inner-ends.js';

/** A line of a container: where it is in the chunk's text, and how much of it is the container's. */
export interface InnerLine {
  /** The line's row in the chunk's text, from 0. */
  readonly row: number;
  /** Where the line starts in the chunk's text. */
  readonly start: number;
  /** Where it ends, before its line ending. */
  readonly end: number;
  /** How many characters of it are the container's (`> `: 2); its content starts after them. */
  readonly prefix: number;
}

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
   * A block quote whose last line ends the text, with no line ending after it. Code, an HTML
   * block or a `:::` container left open at a quote's end ends where its content does, as in a
   * document, but for there, or after an empty line (endsOpen).
   */
  readonly endsText?: boolean;
  /** The chunk's reader (markdown.ts, parseBlocks), given the content as a document. */
  readonly parse: (inner: string) => Root;
  /** The content's blocks, in the chunk's lines and offsets (readInner), for the builder (takeInner). */
  children?: RootContent[] | undefined;
  /** The builder has them in a tree (takeInner). */
  taken?: boolean;
}

/** Between two contents in a batch: a leaf directive ends every block above it. */
const SEPARATOR = '::stepwise-inner';
/**
 * Whether a content may leave a block open at its end: a fence or `:::` container its lines open
 * and do not close, or a line starting with `<` (an HTML block). Only a guess at what micromark
 * reads (any indent is taken, lists are not followed): a wrong one costs time, not a tree, as a
 * batch whose separators do not come out as written is read again one content at a time.
 */
function mayRunOn(content: string): boolean {
  if (!/```|~~~|:::|</.test(content)) return false;
  let fence = '';
  let containers = 0;
  for (const raw of content.split('\n')) {
    const line = raw.trimStart();
    if (fence !== '') {
      const closing = CLOSING_FENCE.exec(line);
      if (closing !== null && closing[1]![0] === fence[0] && closing[1]!.length >= fence.length) fence = '';
      continue;
    }
    if (line.startsWith('<')) return true;
    const opening = openingFence(line);
    if (opening === '') continue;
    if (opening[0] !== ':') fence = opening;
    else if (line.length > opening.length && !CLOSING_FENCE.test(line)) containers++;
    else if (containers > 0) containers--;
  }
  return fence !== '' || containers > 0;
}

/**
 * Reads every block's content and sets its `children`, moved onto the chunk's text (`text`): in
 * one parse, or, when a content runs on past its end there, one parse each. The blocks read so,
 * in order: not those with a container in them that ends before they do (see above).
 */
export function readInner<B extends InnerBlock>(blocks: readonly B[], text: string): B[] {
  if (blocks.length === 0) return [];
  const contents = blocks.map((block) => contentOf(block, text));
  // A content that may leave a fence, a `:::` container or an HTML block open runs on through the
  // separator after it: read alone, so that the others still share a parse (1 MB of quotes each
  // opening a container nested every content after it in the one parse: minutes).
  const alone = contents.map(mayRunOn);
  if (alone.includes(true) && alone.includes(false)) {
    const batched = readInner(
      blocks.filter((_, i) => !alone[i]),
      text,
    );
    const read = new Set<B>(batched);
    blocks.forEach((block, i) => {
      if (alone[i] && place(block.parse(contents[i]!).children, block, contents[i]!, 0, 0)) read.add(block);
    });
    return blocks.filter((block) => read.has(block));
  }
  if (blocks.length > 1 && !alone[0]) {
    const parts = splitAtSeparators(blocks[0]!.parse(contents.join(`\n${SEPARATOR}\n`)).children, contents);
    if (parts !== null) {
      const read: B[] = [];
      let offset = 0;
      let row = 0;
      for (let i = 0; i < blocks.length; i++) {
        if (place(parts[i]!, blocks[i]!, contents[i]!, offset, row)) read.push(blocks[i]!);
        offset += contents[i]!.length + SEPARATOR.length + 2;
        row += blocks[i]!.lines.length + 1;
      }
      return read;
    }
  }
  return blocks.filter((block, i) => place(block.parse(contents[i]!).children, block, contents[i]!, 0, 0));
}

/**
 * The block's content (read already, or read now alone) with its first line numbered `firstLine`
 * (the chunk's rows otherwise). A node is in one tree only: a second build of the same run (a
 * chunk read apart from micromark first, markdown.ts's parseAround, then with stand-ins when that
 * fails), or one numbered otherwise, gets a copy.
 */
export function takeInner(block: InnerBlock, text: string, firstLine: number): RootContent[] {
  if (block.children === undefined) readInner([block], text);
  const children = block.children;
  if (children === undefined) throw new Error(`a container's content that is not read as a document was built as one`);
  const lines = firstLine - (block.lines[0]!.row + 1);
  const nodes = block.taken === true || lines !== 0 ? structuredClone(children) : children;
  if (nodes === children) block.taken = true;
  if (lines !== 0) walk(nodes, (point) => void (point.line += lines));
  return nodes;
}

type Point = { line: number; column: number; offset?: number | undefined };

/** Calls `move` with every point of the nodes and of everything in them (none is in two nodes), and whether it is an end. */
function walk(nodes: readonly RootContent[], move: (point: Point, isEnd: boolean) => void): void {
  const stack: Nodes[] = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.position) {
      move(node.position.start, false);
      move(node.position.end, true);
    }
    if ('children' in node) for (const child of node.children) stack.push(child as Nodes);
  }
}

/** The content of a container's lines: each line with its prefix taken off. */
function contentOf(block: InnerBlock, text: string): string {
  let out = '';
  for (let i = 0; i < block.lines.length; i++) {
    const line = block.lines[i]!;
    if (i > 0) out += '\n';
    out += text.slice(line.start + line.prefix, line.end);
  }
  return out;
}

/**
 * The batch's nodes, split into each content's: each separator a leaf directive of its own at the
 * top level, starting its line, where it was written; null when one is not.
 */
function splitAtSeparators(children: RootContent[], contents: readonly string[]): RootContent[][] | null {
  const parts: RootContent[][] = [];
  let current: RootContent[] = [];
  let at = contents[0]!.length + 1;
  let index = 0;
  for (const child of children) {
    if (index < contents.length - 1 && child.position!.start.offset! >= at) {
      // The next node must be the separator, written where it was.
      if (
        child.type !== 'leafDirective' ||
        child.name !== SEPARATOR.slice(2) ||
        child.position!.start.offset !== at ||
        child.position!.end.offset !== at + SEPARATOR.length
      )
        return null;
      parts.push(current);
      current = [];
      index++;
      at += SEPARATOR.length + 1 + contents[index]!.length + 1;
      continue;
    }
    current.push(child);
  }
  if (index !== contents.length - 1) return null;
  parts.push(current);
  return parts;
}

/**
 * Moves the nodes of one content (`content`, starting at `offset` and row `row` of what was
 * parsed) onto the block's lines, in place, and keeps them on the block: a point on a content's row
 * goes to the block's line, its column and offset past the prefix (an end at a row's start, but
 * for the content's: to the line's start). False, nothing kept, when a container in it ends before the content does, or a
 * point is on no row of the content (in a batch, a node running on to the separator's line).
 */
function place(nodes: RootContent[], block: InnerBlock, content: string, offset: number, row: number): boolean {
  // In a block quote whose last line holds something, what is left open ends where the content
  // does, as in a document; after an empty line, micromark ends some of it before the line's `>`.
  const lastLine = content.slice(content.lastIndexOf('\n') + 1);
  const openEnds = block.container === 'quote' && block.endsText !== true && lastLine.trim() !== '';
  if (!openEnds && endsOpen(nodes, content, offset)) return false;
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
    const alike =
      met?.has(node) === true ||
      movedToNext(node) ||
      closed.has(node) ||
      (itemEnd !== undefined && end === itemEnd) ||
      endsAlike(node, next, content, offset, block.container !== 'footnote');
    if (CONTAINERS.has(node.type) && !alike) return false;
    if ('children' in node) {
      const children = node.children as Nodes[];
      const inner = alike && node.type === 'listItem' && next?.type === 'listItem' ? end : itemEnd;
      for (let i = 0; i < children.length; i++) stack.push([children[i]!, children[i + 1], inner]);
    }
  }
  const lines = block.lines;
  // Where each row of the content started in what was parsed.
  const starts: number[] = [];
  let at = offset;
  for (const line of lines) {
    starts.push(at);
    at += line.end - line.start - line.prefix + 1;
  }
  let outside = false;
  const end = offset + content.length;
  walk(nodes, (point, isEnd) => {
    const index = point.line - 1 - row;
    const line = lines[index];
    if (line === undefined) {
      outside = true;
      return;
    }
    point.line = line.row + 1;
    // An end at a row's start, before the content's end (a hard break's, code's a later line
    // closes): micromark stands at the line's start there, before the prefix.
    if (isEnd && point.column === 1 && index > 0 && point.offset !== end && !met?.has(point)) {
      point.offset = line.start;
      return;
    }
    point.offset = line.start + line.prefix + ((point.offset ?? 0) - starts[index]!);
    point.column += line.prefix;
  });
  if (outside) return false;
  block.children = nodes;
  return true;
}
