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
 * A chunk's containers are read in one parse (up to BATCH of them), their contents one after
 * another with a leaf directive alone on a line between them, which ends every block above it (as
 * the chunk cuts do, markdown.ts). Should that line not come out as a leaf directive of its own in the
 * first column (a fence, an HTML block or a `:::` container left open in a content runs on
 * through it), each content is parsed alone. A parse each cost a few tens of µs, most of a
 * megabyte's time. What a content's last line opens in a container of its own (`- ~~~`, `> <pre>`)
 * the separator closes with that container: such contents share the parse (1 MB of `- - ~~~` or of
 * `> > > ~~~` read one each took 3.5 s to parse, now 2.3 to 2.6 s on the same slow machine).
 *
 * Where each content's nodes go back onto its lines, and whether they may, is markdown-inner-place.ts's.
 */
import type { RootContent } from 'mdast';
import { endsAtBlankLine } from './markdown-html.js';
import { lineText } from './markdown-inner-lead.js';
import { CLOSING_FENCE, copyNodes, openingFence } from './markdown-inner-ends.js';
import { type InnerAfter, type InnerBlock, place, runsOn, walk } from './markdown-inner-place.js';

/** Contents read alone of up to this many characters are parsed once per readInner call (Kept, parseAlone). */
const ALIKE_UP_TO = 256;
/** How many such parses one readInner call keeps. */
const ALIKE_KEPT = 1024;
/**
 * Contents of up to ALIKE_UP_TO characters a batch holds this many times or more are read alone
 * (repeated): two parses, then copies, cost less than their share of the batch's parse.
 */
const REPEATED = 8;

/**
 * At most this many contents share a parse: a chunk the cuts cannot part (list items with blank
 * lines between) was one batch of its every content, a tree of megabytes that outlived the young
 * generation (1 MB of `- - a` and a blank line: 3.0 to 3.8 s to parse, 2.1 to 2.7 s in batches).
 */
const BATCH = 512;
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
 * in order: not those with a container in them that ends before they do (see above). `settle`
 * is given each batch's blocks read as soon as they are (a runbook's parse prunes their nodes
 * there, markdown-skeleton.ts: the contents of a megabyte of items are never held whole).
 */
export function readInner<B extends InnerBlock>(
  blocks: readonly B[],
  text: string,
  settle?: (read: readonly B[]) => void,
): B[] {
  const parsed: Kept<B> = new Map();
  if (settle === undefined) return readBatch(blocks, text, parsed);
  const read: B[] = [];
  for (let i = 0; i < blocks.length; i += BATCH) {
    const batch = readBatch(blocks.slice(i, i + BATCH), text, parsed);
    settle(batch);
    for (const block of batch) read.push(block);
  }
  return read;
}

/**
 * Small contents read alone, as parsed (place moves the nodes it is given: each read gets a copy),
 * kept for one readInner call, across its batches: a chunk's items are often alike (1 MB of
 * `- - ~~~` and a blank line, 65,000 items each read alone, took 7.7 s to parse; a copy is a
 * tenth of a parse). A content is kept from its second sighting on (null: seen once), so that
 * unlike contents cost no copy.
 */
type Kept<B extends InnerBlock> = Map<string, { parse: B['parse']; nodes: RootContent[] | null }>;

/** readInner for up to BATCH blocks at a time, with the parses kept so far (`parsed`). */
function readBatch<B extends InnerBlock>(blocks: readonly B[], text: string, parsed: Kept<B>): B[] {
  if (blocks.length === 0) return [];
  if (blocks.length > BATCH) {
    const read: B[] = [];
    for (let i = 0; i < blocks.length; i += BATCH) read.push(...readBatch(blocks.slice(i, i + BATCH), text, parsed));
    return read;
  }
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
  // Small contents met REPEATED times or more are read alone too, with what follows them (as a
  // batch's are read when theirs fails), each parse kept (parseAlone): copies cost less than their
  // share of the batch's parse (1 MB of `- - ~~~` and a blank line, the batch a document of
  // `- ~~~` items to read again: 2.3 to 2.6 s to parse, now 1.6 to 2 s).
  for (const i of repeated(contents))
    if (!alone[i]) {
      alone[i] = true;
      after[i] = blocks[i]!.after;
    }
  const parseAlone = (block: B, whole: string): RootContent[] => {
    const seen = whole.length <= ALIKE_UP_TO ? parsed.get(whole) : undefined;
    if (seen?.nodes != null && seen.parse === block.parse) return copyNodes(seen.nodes);
    const { children } = block.parse(whole);
    if (whole.length > ALIKE_UP_TO) return children;
    if (seen === undefined) {
      if (parsed.size < ALIKE_KEPT) parsed.set(whole, { parse: block.parse, nodes: null });
    } else if (seen.parse === block.parse) seen.nodes = copyNodes(children);
    return children;
  };
  /** One content read alone, with what follows it when `more` is given. */
  const readAlone = (block: B, content: string, more: InnerAfter | undefined): boolean => {
    const whole = more === undefined ? content : withAfter(content, more, text);
    return place(parseAlone(block, whole), block, whole, 0, 0, text, more, content.length);
  };
  if (alone.includes(true) && alone.includes(false)) {
    const batched = readBatch(
      blocks.filter((_, i) => !alone[i]),
      text,
      parsed,
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
        // `- ~~~`) ends it at the separator as at the content's end: with no blank lines after it,
        // or only empty ones (which the block runs on over, its value holding their line endings:
        // spaces on them it would hold too), its nodes are what a parse of it with what follows
        // it gives (InnerAfter), but for the ends and the values that place moves on (and may
        // refuse to); else it is read again so.
        const more = block.after;
        if (more !== undefined && runsOn(parts[i]!, contents[i]!, offset, more)) {
          const { blanks } = more;
          const batched = blanks.every((line) => line.end === line.start);
          const whole = withAfter(contents[i]!, more, text);
          if (
            (batched && place(parts[i]!, block, whole, offset, row, text, more, contents[i]!.length, true)) ||
            readAlone(block, contents[i]!, more)
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

/** The indexes of the contents of up to ALIKE_UP_TO characters met REPEATED times or more. */
function repeated(contents: readonly string[]): number[] {
  const counts = new Map<string, number>();
  for (const content of contents)
    if (content.length <= ALIKE_UP_TO) counts.set(content, (counts.get(content) ?? 0) + 1);
  const found: number[] = [];
  for (let i = 0; i < contents.length; i++) if ((counts.get(contents[i]!) ?? 0) >= REPEATED) found.push(i);
  return found;
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
