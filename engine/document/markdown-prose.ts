/**
 * Prose: the runs of plain lists (markdown-lists.ts), paragraphs (plain, or with escapes,
 * references, tabs and hard breaks) and setext headings (markdown-paragraphs.ts), ATX headings
 * (markdown-headings.ts), quoted paragraphs (markdown-quotes.ts), leaf directives
 * (markdown-leaf-lines.ts), thematic breaks (markdown-breaks.ts), HTML blocks of a line, or of a
 * block tag up to a blank line (markdown-html.ts), link and footnote definitions
 * (markdown-definitions.ts, markdown-footnotes.ts), fenced code (markdown-fences.ts), indented
 * code (markdown-indented.ts), `:::` containers of code and paragraphs (markdown-containers.ts)
 * and tables (markdown-table-blocks.ts) of a chunk, with those that only blank lines part, or nothing when one is a line that closes the
 * block before it (a heading, a leaf directive, a break, a comment, a closed fence or
 * container), joined into one stand-in.
 *
 * micromark's cost is as much per block as per character: a paragraph standing in as a thematic
 * break and a list as a fence still cost it a block each, and the blank line between. Runs that
 * only blank lines part are blocks of their own in the original (each finder took a run only
 * where nothing before it goes on into it and nothing in it goes on past its end), so the text
 * from the first's start to the last's end stands in as one fenced code block, and the nodes of
 * every run in it are built in order, each from its own first line.
 */
import type { Root, RootContent } from 'mdast';
import { buildBreak, findBreakRuns, type BreakRun } from './markdown-breaks.js';
import { buildContainer, type ContainerRun, findContainerRuns } from './markdown-containers.js';
import { buildDefinitions, type DefinitionRun, findDefinitionRuns } from './markdown-definitions.js';
import { buildFence, type FenceRun, findFenceRuns } from './markdown-fences.js';
import { buildFootnotes, findFootnoteRuns, type FootnoteRun, SIMPLE_FOOTNOTE } from './markdown-footnotes.js';
import { buildHeading, findHeadingRuns, type HeadingRun } from './markdown-headings.js';
import { buildHtml, findHtmlRuns, type HtmlRun } from './markdown-html.js';
import { buildIndented, findIndentedRuns, type IndentedRun } from './markdown-indented.js';
import { buildItemRun, findItemRuns, ITEM_RUN_START, type ItemRun, readItemRuns } from './markdown-item-runs.js';
import { itemLine, simpleContent } from './markdown-items.js';
import { type ChunkLine, CLEAR, CLOSER_SHAPE, chunkLines, colonLine, exactly, leadOf } from './markdown-literal.js';
import { buildLeafLine, findLeafLineRuns, type LeafLineRun } from './markdown-leaf-lines.js';
import { buildLists } from './markdown-list-build.js';
import type { ListRun } from './markdown-list-nest.js';
import { findListRuns } from './markdown-lists.js';
import { buildParagraphs, findParagraphRuns, type ParagraphRun } from './markdown-paragraphs.js';
import { HEADING, LEAF, lineAfter } from './markdown-plain.js';
import { buildQuote, findQuoteRuns, type QuoteRun } from './markdown-quotes.js';
import { type LineRun, restoreStandIns } from './markdown-stand-ins.js';
import { buildTable, findTableRuns, type TableRun } from './markdown-table-blocks.js';
import type { Keep } from './markdown-skeleton.js';
import { append } from '../append.js';

type Part =
  | { kind: 'list'; run: ListRun }
  | { kind: 'items'; run: ItemRun }
  | { kind: 'paragraphs'; run: ParagraphRun }
  | { kind: 'heading'; run: HeadingRun }
  | { kind: 'quote'; run: QuoteRun }
  | { kind: 'leaf'; run: LeafLineRun }
  | { kind: 'break'; run: BreakRun }
  | { kind: 'fence'; run: FenceRun }
  | { kind: 'indented'; run: IndentedRun }
  | { kind: 'container'; run: ContainerRun }
  | { kind: 'html'; run: HtmlRun }
  | { kind: 'definitions'; run: DefinitionRun }
  | { kind: 'footnotes'; run: FootnoteRun }
  | { kind: 'table'; run: TableRun };

export interface ProseRun extends LineRun {
  start: number;
  end: number;
  /** The first line, and the last when it is another (what the stand-in is written over). */
  lines: ChunkLine[];
  parts: Part[];
  /** Outside every `:::` container: nothing before it is still open, so it can be read apart. */
  topLevel: boolean;
}

/**
 * The chunk's prose runs, joined where only blank lines part them; `keep` drops runs another
 * reader takes (a deep nest's contents, markdown-nests.ts); `parse`: the chunk's reader, for
 * containers read as documents of their own (markdown-inner.ts; with none, left to micromark);
 * `prune`: what of those contents to keep, as they are read (markdown-skeleton.ts).
 */
export function findProseRuns(
  text: string,
  first: boolean,
  keep: (start: number) => boolean,
  parse?: (inner: string) => Root,
  prune?: Keep,
): ProseRun[] {
  // Into one array as they come, with no copy for each finder (a chunk may have a thousand parts).
  const parts: Part[] = [];
  /** The starts of the lines right after a list part: a footnote definition there ends it. */
  const afterLists = new Set<number>();
  const inContainer = containerSpans(text, first);
  // Contents in a `:::` container are not pruned: a container is kept whole (markdown-skeleton.ts).
  const pruneOutside: Keep | undefined =
    prune &&
    ((nodes, text) => {
      const start = nodes[0]?.position?.start.offset;
      return start === undefined || inContainer(start) !== 0 ? nodes : prune(nodes, text);
    });
  // A line of only colons is a paragraph's text outside every `:::` container; inside one it closes it.
  const paragraphRuns = findParagraphRuns(text, first, (offset) => inContainer(offset) === 0);
  // A list may interrupt a paragraph read there (`**Causes:**` then `- a`, in a runbook's every section).
  const afterParagraphs = new Set<number>();
  for (const run of paragraphRuns)
    for (const paragraph of run.paragraphs)
      if (paragraph.depth === 0) afterParagraphs.add(paragraph.lines[paragraph.lines.length - 1]!.end + 1);
  // And a quote of a paragraph or list, which such an item ends (markdown-quotes.ts).
  const quoteRuns = findQuoteRuns(text, first, parse, pruneOutside);
  for (const run of quoteRuns) if (run.inner === null) afterParagraphs.add(run.end + 1);
  for (const run of findListRuns(text, first, afterParagraphs))
    if (keep(run.start)) {
      parts.push({ kind: 'list', run });
      afterLists.add(run.end + 1);
    }
  for (const run of paragraphRuns) if (keep(run.start)) parts.push({ kind: 'paragraphs', run });
  for (const run of findHeadingRuns(text, first)) if (keep(run.start)) parts.push({ kind: 'heading', run });
  for (const run of quoteRuns) if (keep(run.start)) parts.push({ kind: 'quote', run });
  for (const run of findLeafLineRuns(text, first)) if (keep(run.start)) parts.push({ kind: 'leaf', run });
  for (const run of findBreakRuns(text, first)) if (keep(run.start)) parts.push({ kind: 'break', run });
  for (const run of findFenceRuns(text, first)) if (keep(run.start)) parts.push({ kind: 'fence', run });
  for (const run of findIndentedRuns(text, first)) if (keep(run.start)) parts.push({ kind: 'indented', run });
  for (const run of findHtmlRuns(text, first)) if (keep(run.start)) parts.push({ kind: 'html', run });
  for (const run of findTableRuns(text, first)) if (keep(run.start)) parts.push({ kind: 'table', run });
  // Definitions after a blank line (markdown-definitions.ts, markdown-footnotes.ts) with one after
  // them too: nothing goes on into them or out of them (a title, a setext underline, a table's
  // delimiter row, an indented line would). Not on a literal line (the finders do not know them),
  // nor after blank lines that may end a list item or footnote with a fence or container open in
  // it: micromark ends that at a footnote definition's line start, but at the blank lines' before
  // what stands in for it (a paragraph's too).
  const blocked = text.includes(']:') ? noDefinitionStarts(text, first) : new Set<number>();
  const definition = (run: { start: number; end: number }): boolean =>
    keep(run.start) && !blocked.has(run.start) && endsThere(text, run.end);
  for (const run of findDefinitionRuns(text, 1)) if (definition(run)) parts.push({ kind: 'definitions', run });
  // Footnote definitions also right after a list part or right before a list item's line, each a
  // new container that ends the other (markdown-footnotes.ts, which ends a run only at a blank
  // line, such an item's line or the text's end: no blank line is asked for after it here).
  const footnote = (run: { start: number }): boolean => keep(run.start) && !blocked.has(run.start);
  for (const run of findFootnoteRuns(text, 1, afterLists)) if (footnote(run)) parts.push({ kind: 'footnotes', run });
  // Only outside other containers: inside one, its closing line would close that one instead.
  for (const run of findContainerRuns(text, first, parse))
    if (keep(run.start) && inContainer(run.start) === 0) parts.push({ kind: 'container', run });
  parts.sort((a, b) => a.run.start - b.run.start);
  // Lists of items of any content (markdown-item-runs.ts), where no other part takes a line of theirs.
  if (parse !== undefined && itemStartApart(parts, text))
    addApart(
      parts,
      findItemRuns(text, first, parse).filter((run) => keep(run.start)),
      text,
      pruneOutside,
    );
  const runs: ProseRun[] = [];
  let group: Part[] = [];
  const close = (): void => {
    if (group.length === 0) return;
    runs.push(proseRun(group, text, inContainer(group[0]!.run.start) === 0));
    group = [];
  };
  /** Where the last container taken ends: the parts found inside it are its own. */
  let containerEnd = -1;
  for (const part of parts) {
    // In an indented container, its lines' spaces are partly its own: left to micromark.
    if (part.run.start < containerEnd || inContainer(part.run.start) === 2) continue;
    if (part.kind === 'container') containerEnd = part.run.end;
    const previous = group[group.length - 1];
    if (previous !== undefined && !joins(previous, part, text.slice(previous.run.end + 1, part.run.start))) close();
    group.push(part);
  }
  close();
  return runs;
}

/** ITEM_RUN_START's lines, each in turn (exec). */
const ITEM_RUN_STARTS = new RegExp(ITEM_RUN_START.source, 'g');

/**
 * Whether a line an item run may start on (ITEM_RUN_START) lies outside every part (sorted by
 * start): where none does, each run found would hold a part's line and be left out (addApart),
 * and is not looked for (1 MB of `-\t\ta` items, which the list reader takes: 0.7 s of finding
 * them again). Exported for tests.
 */
export function itemStartApart(parts: readonly { run: { start: number; end: number } }[], text: string): boolean {
  let next = 0;
  let covered = -1;
  ITEM_RUN_STARTS.lastIndex = 0;
  for (let m = ITEM_RUN_STARTS.exec(text); m !== null; m = ITEM_RUN_STARTS.exec(text)) {
    const start = text.charCodeAt(m.index) === 10 ? m.index + 1 : m.index;
    while (next < parts.length && parts[next]!.run.start <= start) covered = Math.max(covered, parts[next++]!.run.end);
    if (start > covered) return true;
  }
  return false;
}

/** Adds the item runs that overlap none of `parts` (sorted by start) and read so, keeping them sorted. */
function addApart(parts: Part[], runs: readonly ItemRun[], text: string, prune: Keep | undefined): void {
  if (runs.length === 0) return;
  // The furthest end of the parts up to each (a container part holds others).
  const reach: number[] = [];
  for (const part of parts) reach.push(Math.max(reach[reach.length - 1] ?? -1, part.run.end));
  const apart: ItemRun[] = [];
  let before = 0;
  for (const run of runs) {
    while (before < parts.length && parts[before]!.run.start <= run.end) before++;
    if (before === 0 || reach[before - 1]! < run.start) apart.push(run);
  }
  for (const run of readItemRuns(apart, text, prune)) parts.push({ kind: 'items', run });
  parts.sort((a, b) => a.run.start - b.run.start);
}

/** The parts as one run (each part's lines in order, only blank lines or none between). */
function proseRun(parts: Part[], text: string, topLevel: boolean): ProseRun {
  const firstLine = parts[0]!.run.lines[0]!;
  const lastRun = parts[parts.length - 1]!.run;
  const lastLine = lastRun.lines[lastRun.lines.length - 1]!;
  const run: ProseRun = {
    start: firstLine.start,
    end: lastLine.end,
    lines: firstLine === lastLine ? [firstLine] : [firstLine, lastLine],
    parts: exactly(parts),
    topLevel,
  };
  if (parts.some((part) => part.kind === 'fence' || part.kind === 'container'))
    run.marker = standInMarker(text.slice(firstLine.end, lastLine.start));
  return run;
}

/**
 * The runs as they stand in (markdown-stand-ins.ts): one holding fenced code of both characters
 * (no stand-in fence holds it: LineRun's marker) is cut between its parts into runs that each
 * hold one. A run read apart (markdown.ts, parseAround) is not cut: no stand-in is written there.
 */
export function standInRuns(runs: readonly ProseRun[], text: string): ProseRun[] {
  const out: ProseRun[] = [];
  for (const run of runs) {
    if (run.marker !== null) {
      out.push(run);
      continue;
    }
    let group: Part[] = [];
    let seen = 0;
    for (const part of run.parts) {
      const own = fenceCharacters(part, text);
      if (group.length > 0 && (seen | own) === 3) {
        out.push(proseRun(group, text, run.topLevel));
        group = [];
        seen = 0;
      }
      group.push(part);
      seen |= own;
    }
    out.push(proseRun(group, text, run.topLevel));
  }
  return out;
}

/** Which fence characters start a line of a part (1: tildes, 2: backticks), up to 3 spaces in. */
function fenceCharacters(part: Part, text: string): number {
  if (part.kind !== 'fence' && part.kind !== 'container') return 0;
  const lines = text.slice(part.run.start, part.run.end);
  return (/(?:^|\n) {0,3}~~~/.test(lines) ? 1 : 0) | (/(?:^|\n) {0,3}```/.test(lines) ? 2 : 0);
}

/** The stand-in fence no line of `inside` closes (fenced code of one or the other), or null. */
function standInMarker(inside: string): '~' | '`' | null {
  if (!/(?:^|\n) {0,3}~~~/.test(inside)) return '~';
  return /(?:^|\n) {0,3}```/.test(inside) ? null : '`';
}

/**
 * Whether two parts in a row stand in together: only blank lines between them, or none when one
 * is a heading or a leaf directive (a line that ends the block before it, after which one may
 * start), or a list and footnote definitions (each a new container, which ends the other), or a
 * paragraph and the block quote or list that interrupts it, or a block quote and the paragraph
 * after its empty last line (markdown-paragraphs.ts starts one after a quote's line only there).
 */
function joins(previous: Part, part: Part, between: string): boolean {
  if (between === '')
    return (
      isCloser(previous) ||
      isCloser(part) ||
      (previous.kind === 'list' && part.kind === 'footnotes') ||
      (previous.kind === 'footnotes' && part.kind === 'list') ||
      (previous.kind === 'paragraphs' && (part.kind === 'quote' || part.kind === 'items' || part.kind === 'list')) ||
      (previous.kind === 'quote' && part.kind === 'paragraphs')
    );
  return /^(?:[ \t]*\n)+$/.test(between);
}

/** A part that ends every block before it and leaves none open after it (a fence, a container: once closed). */
const isCloser = (part: Part): boolean =>
  part.kind === 'heading' ||
  part.kind === 'leaf' ||
  part.kind === 'break' ||
  part.kind === 'fence' ||
  part.kind === 'container' ||
  (part.kind === 'html' && part.run.closer);

/**
 * The starts of lines where no definition part may begin: literal lines, and lines after blank
 * lines where a list item or footnote definition may still be open (a line that may be one since
 * the last block in the first column, as markdown-quotes.ts tracks it): a fence or container left
 * open in it ends where micromark decides.
 */
function noDefinitionStarts(text: string, first: boolean): Set<number> {
  const { lines, at, literal, blank, flags } = chunkLines(text, first);
  const blocked = new Set<number>();
  let afterItem = false;
  let afterBlank = false;
  for (let row = 0; row < lines.length; row++) {
    if (literal[row] || (afterBlank && afterItem && !blank[row])) blocked.add(at[row]!.start);
    if (literal[row]) continue;
    if (blank[row]) {
      afterBlank = true;
      continue;
    }
    const line = lines[row]!;
    const closer = (flags[row]! & (CLOSER_SHAPE | CLEAR)) === (CLOSER_SHAPE | CLEAR);
    // A plain item or footnote definition of plain words leaves nothing open; any other item line may.
    if (closer || (line.charCodeAt(0) !== 32 && simpleContent(line) !== -1)) afterItem = false;
    else if (itemLine(line) && !SIMPLE_FOOTNOTE.test(line)) afterItem = true;
    else if (afterBlank) afterItem = false;
    afterBlank = false;
  }
  return blocked;
}

/**
 * Whether what ends at `end` ends there: the line after it is blank (or the text ends there), or an ATX
 * heading or a leaf directive in the first column: no title, underline or delimiter row, and it
 * ends what is above it (batched contents are parted by a leaf directive, markdown-inner.ts).
 */
function endsThere(text: string, end: number): boolean {
  const line = lineAfter(text, end);
  return /^[ \t]*\r?$/.test(line) || HEADING.test(line) || LEAF.test(line);
}

/**
 * Whether an offset of `text` is inside a `:::` container (opened up to 3 spaces in and not closed
 * before it, outside code, HTML blocks and the frontmatter), by line starts: 1 when it is, 2 when
 * one around it is indented (its lines lose that many spaces, which no reader here takes off), 0
 * when it is not.
 */
function containerSpans(text: string, first: boolean): (offset: number) => number {
  if (!text.includes(':::')) return () => 0;
  const { lines, at, literal } = chunkLines(text, first);
  /** Where each line that changes the depth starts, and the depth after it, in order. */
  const starts: number[] = [];
  const depths: number[] = [];
  const open: number[] = [];
  /** How many of the open containers are indented. */
  const indented: number[] = [];
  const deep: boolean[] = [];
  for (let row = 0; row < lines.length; row++) {
    const line = lines[row]!;
    if (literal[row]) continue;
    const colons = colonLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (colons === null) continue;
    if (!colons.opens && open.length > 0 && colons.size >= open[open.length - 1]!) {
      open.pop();
      indented.pop();
    } else if (colons.opens) {
      open.push(colons.size);
      indented.push((indented[indented.length - 1] ?? 0) + (leadOf(line) > 0 ? 1 : 0));
    } else continue;
    starts.push(at[row]!.start);
    depths.push(open.length);
    deep.push((indented[indented.length - 1] ?? 0) > 0);
  }
  return (offset) => {
    // The last change before `offset`, by halves (a megabyte of containers has 100,000 changes).
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (starts[middle]! < offset) low = middle + 1;
      else high = middle;
    }
    if (low === 0 || depths[low - 1]! === 0) return 0;
    return deep[low - 1]! ? 2 : 1;
  };
}

/** Replaces each run's stand-in by its blocks; false, tree untouched, when one is missing. */
export function restoreProse(tree: Root, runs: readonly ProseRun[], text: string): boolean {
  return restoreStandIns(tree, runs, (run, line) => {
    const nodes: RootContent[] = [];
    buildProse(run, text, line, (built) => append(nodes, built));
    return nodes;
  });
}

/**
 * A run's blocks, each part's given to `add` as it is built (parseAround may prune them before
 * the next is: markdown-skeleton.ts; with `keep`, a list of items is pruned item by item as it
 * is built, markdown-item-runs.ts); `firstLine`: the line it starts on.
 */
export function buildProse(
  run: ProseRun,
  text: string,
  firstLine: number,
  add: (nodes: RootContent[]) => void,
  keep?: Keep,
): void {
  for (const part of run.parts) {
    const at = firstLine + part.run.lines[0]!.row - run.lines[0]!.row;
    if (part.kind === 'list') add(buildLists(part.run, text, at));
    else if (part.kind === 'items') add(buildItemRun(part.run, text, at, keep));
    else if (part.kind === 'paragraphs') add(buildParagraphs(part.run, text, at));
    else if (part.kind === 'heading') add([buildHeading(part.run, text, at)]);
    else if (part.kind === 'break') add([buildBreak(part.run, at)]);
    else if (part.kind === 'quote') add([buildQuote(part.run, text, at)]);
    else if (part.kind === 'fence') add([buildFence(part.run, text, at)]);
    else if (part.kind === 'indented') add([buildIndented(part.run, text, at)]);
    else if (part.kind === 'container') add([buildContainer(part.run, text, at)]);
    else if (part.kind === 'html') add([buildHtml(part.run, text, at)]);
    else if (part.kind === 'definitions') add(buildDefinitions(part.run, at));
    else if (part.kind === 'footnotes') add(buildFootnotes(part.run, text, at));
    else if (part.kind === 'table') add([buildTable(part.run, text, at)]);
    else add([buildLeafLine(part.run, at)]);
  }
}
