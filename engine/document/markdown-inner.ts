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
 * megabyte's time. What a content's last line opens in a container of its own (`- ~~~`, `> <pre>`)
 * the separator closes with that container: such contents share the parse (1 MB of `- - ~~~` or of
 * `> > > ~~~` read one each took 3.5 s to parse, now 2.3 to 2.6 s on the same slow machine).
 */
import type { Html, Nodes, Root, RootContent } from 'mdast';
import { endsAtBlankLine } from './markdown-html.js';
import { type InnerLine, lineText, rawOverLead } from './markdown-inner-lead.js';
import {
  CLOSING_FENCE,
  CONTAINERS,
  emptyLast,
  endsAlike,
  endsOpen,
  itemsMeet,
  movedToNext,
  closedInDirective,
  containersMeet,
  copyNodes,
  INDENTED_CODE,
  openChain,
  openingFence,
  quotesClosed,
} from './markdown-inner-ends.js';
import { htmlBlockEnd } from './markdown-literal.js';
import { copyPoint } from './markdown-shift.js';

/** How many characters longer a content line is as read than as written (its `lead`). */
const grownBy = (line: InnerLine): number => (line.lead === undefined ? 0 : line.lead.length - line.leadChars!);

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

/** Contents read alone of up to this many characters are parsed once per readInner call (readInner, parseAlone). */
const ALIKE_UP_TO = 256;
/** How many such parses one call keeps. */
const ALIKE_KEPT = 1024;

/** Between two contents in a batch: a leaf directive ends every block above it. */
const SEPARATOR = '::stepwise-inner';
/** Spaces, and the markers of list items and block quotes among them. */
const PREFIXES = /^(?:[ \t]*(?:(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)|>))*[ \t]*/;
/** A list item's marker or a block quote's `>` in the first column: a container's first line, or its own. */
const CONTAINER_START = /^(?:>|(?:[-*+]|\d{1,9}[.)])[ \t])/;

/**
 * Whether a content may leave a block open at its end: a fence or `:::` container its lines open
 * and do not close, or a line starting with `<` (an HTML block). Only a guess at what micromark
 * reads (any indent and the markers of list items and block quotes are taken off, lists are not
 * followed): a wrong one costs time, not a tree, as a batch whose separators do not come out as
 * written is read again one content at a time, and a content read with what follows it
 * (InnerAfter) as it would be without, but for what it leaves open. `pastItsEnd`: only what runs
 * on past the content's end in an item, which an HTML block that a blank line ends does not.
 */
function mayRunOn(content: string, pastItsEnd = false): boolean {
  if (!/```|~~~|:::|</.test(content)) return false;
  let fence = '';
  let containers = 0;
  for (let start = 0; start <= content.length; ) {
    let end = content.indexOf('\n', start);
    if (end === -1) end = content.length;
    const c = content.charCodeAt(start);
    // Past the markers of list items and block quotes too (`- ~~~`, `> <pre>`).
    const marked = c === 32 || c === 9 || c === 45 || c === 42 || c === 43 || c === 62 || (c >= 48 && c <= 57);
    const line = marked ? content.slice(start, end).replace(PREFIXES, '') : content.slice(start, end);
    // What the content's last line opens in a container of its own (`- ~~~`, `> <pre>`: a marker in
    // the first column) ends with that container at the separator, which closes every one.
    const contained = end === content.length && fence === '' && CONTAINER_START.test(content.slice(start, end));
    start = end + 1;
    if (contained) break;
    if (fence !== '') {
      const closing = CLOSING_FENCE.exec(line);
      if (closing !== null && closing[1]![0] === fence[0] && closing[1]!.length >= fence.length) fence = '';
      continue;
    }
    // (An HTML block that a blank line ends ends where an item's content does: markdown-html.ts.)
    if (line.charCodeAt(0) === 60 /* < */) {
      if (pastItsEnd && endsAtBlankLine(line)) continue;
      return true;
    }
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
  const alone = contents.map((content) => mayRunOn(content));
  // Such a content of an item is read with what it runs on into (InnerAfter).
  const after = blocks.map((block, i) =>
    alone[i] && block.after !== undefined && (!contents[i]!.includes('<') || mayRunOn(contents[i]!, true))
      ? block.after
      : undefined,
  );
  /**
   * Small contents read alone, as parsed (place moves the nodes it is given: each read gets a
   * copy): a chunk's items are often alike (1 MB of `- - ~~~` and a blank line, 65,000 items each
   * read alone, took 7.7 s to parse; a copy is a tenth of a parse).
   */
  const parsed = new Map<string, { parse: B['parse']; nodes: RootContent[] }>();
  const parseAlone = (block: B, whole: string): RootContent[] => {
    const seen = whole.length <= ALIKE_UP_TO ? parsed.get(whole) : undefined;
    if (seen !== undefined && seen.parse === block.parse) return copyNodes(seen.nodes);
    const { children } = block.parse(whole);
    if (whole.length <= ALIKE_UP_TO && parsed.size < ALIKE_KEPT)
      parsed.set(whole, { parse: block.parse, nodes: copyNodes(children) });
    return children;
  };
  /** One content read alone, with what follows it when `more` is given. */
  const readAlone = (block: B, content: string, more: InnerAfter | undefined): boolean => {
    const whole = more === undefined ? content : withAfter(content, more, text);
    return place(parseAlone(block, whole), block, whole, 0, 0, text, more, content.length);
  };
  if (alone.includes(true) && alone.includes(false)) {
    const batched = readInner(
      blocks.filter((_, i) => !alone[i]),
      text,
    );
    const read = new Set<B>(batched);
    blocks.forEach((block, i) => {
      if (alone[i] && readAlone(block, contents[i]!, after[i])) read.add(block);
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
        const block = blocks[i]!;
        // An item's content that leaves a block open in a container of its own (`- ~~~` then
        // `- ~~~`) ends it at the separator as at the content's end: with no blank lines after it
        // (which the block would run on over), its nodes are what a parse of it with what follows
        // it gives (InnerAfter), but for the ends that place moves on; else it is read again so.
        if (block.after !== undefined && runsOn(parts[i]!, contents[i]!, offset, block.after)) {
          const { blanks, closes } = block.after;
          const whole = closes === null ? contents[i]! : `${contents[i]!}\n`;
          if (
            (blanks.length === 0 &&
              place(parts[i]!, block, whole, offset, row, text, block.after, contents[i]!.length)) ||
            readAlone(block, contents[i]!, block.after)
          )
            read.push(block);
        } else if (place(parts[i]!, block, contents[i]!, offset, row, text)) read.push(block);
        offset += contents[i]!.length + SEPARATOR.length + 2;
        row += block.lines.length + 1;
      }
      return read;
    }
  }
  // One parse each: a content the guess missed (`- ~~~` then `- ~~~`, an item's) ran on through the
  // separator after it, so each is read with what follows it, as those read alone are.
  return blocks.filter((block, i) => readAlone(block, contents[i]!, after[i] ?? (alone[i] ? undefined : block.after)));
}

/**
 * Whether what a content read in a batch leaves open runs on into what follows it (InnerAfter):
 * indented code takes the blank lines after it only where one holds 4 spaces past the content's
 * column (1 MB of `- -     a` and a blank line, each item read alone: 13 s).
 */
function runsOn(nodes: readonly RootContent[], content: string, offset: number, after: InnerAfter): boolean {
  const chain = openChain(nodes, content, offset);
  if (chain === null) return false;
  const leaf = chain[chain.length - 1]!;
  if (leaf.type === 'code' && INDENTED_CODE.test(content.slice(leaf.position!.start.offset! - offset)))
    return after.blanks.some((line) => line.end - line.start - line.prefix >= 4);
  return true;
}

/**
 * A content and what it runs on into: its blank lines after it, and a line ending more where the
 * line after them ends what is open at its start (what is open ends at the text's end, there).
 */
function withAfter(content: string, after: InnerAfter, text: string): string {
  let out = content;
  for (const line of after.blanks) out += `\n${text.slice(line.start + line.prefix, line.end)}`;
  return after.closes === null ? out : `${out}\n`;
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
function walk(nodes: readonly RootContent[], move: (point: Point, isEnd: boolean, node: Nodes) => void): void {
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

/** The content of a container's lines: each line with its prefix taken off. */
function contentOf(block: InnerBlock, text: string): string {
  let out = '';
  for (let i = 0; i < block.lines.length; i++) {
    const line = block.lines[i]!;
    if (i > 0) out += '\n';
    const own = lineText(line, text);
    out += i === 0 && block.standIn ? 'x'.repeat(block.standIn) + own.slice(block.standIn) : own;
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
 * parsed) onto the block's lines (in the chunk's `text`), in place, and keeps them on the block: a point on a content's row
 * goes to the block's line, its column and offset past the prefix (an end at a row's start, but
 * for the content's: to the line's start). False, nothing kept, when a container in it ends before the content does, or a
 * point is on no row of the content (in a batch, a node running on to the separator's line).
 */
function place(
  nodes: RootContent[],
  block: InnerBlock,
  content: string,
  offset: number,
  row: number,
  text: string,
  after?: InnerAfter,
  base = content.length,
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
  /** An HTML block moved on with them, whose value holds the line ending it is moved past. */
  let lineEnding: Html | null = null;
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
    if (after.blanks.length === 0 && ends.has(offset + base)) {
      // An HTML block that runs on through blank lines (a comment, `<pre>`: htmlBlockEnd), in a
      // list of the content's, holds the line ending too (`- - <!--` then `- b`: `<!--\n`), as a
      // read with what follows it gives it. Any other is left to that read: in a block quote or a
      // footnote definition (`- > <pre>`), or at the content's top level, or a tag's.
      const leaf = chain[chain.length - 1]!;
      if (leaf.type === 'html') {
        const nested =
          chain.length > 1 && chain.every((node) => node === leaf || node.type === 'list' || node.type === 'listItem');
        if (!nested || htmlBlockEnd(leaf.value.split('\n', 1)[0]!) === null) return false;
        lineEnding = leaf;
      }
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
  for (const node of toNext) node.position!.end = copyPoint(after!.closes!);
  if (lineEnding !== null) lineEnding.value += '\n';
  block.children = nodes;
  block.ranOn = ranOn;
  return true;
}
