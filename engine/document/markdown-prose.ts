/**
 * Prose: the runs of plain lists (markdown-lists.ts), plain paragraphs and setext headings
 * (markdown-paragraphs.ts), plain headings (markdown-headings.ts), quoted plain paragraphs
 * (markdown-quotes.ts), plain leaf directives (markdown-leaf-lines.ts), thematic breaks
 * (markdown-breaks.ts), HTML blocks of one line (markdown-html.ts), and link and footnote
 * definitions after a blank line (markdown-definitions.ts, markdown-footnotes.ts) of a chunk, with
 * those that only blank lines part, or nothing when one is a line that closes the block before it
 * (a heading, a leaf directive, a break, a comment), joined into one stand-in.
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
import { buildDefinitions, type DefinitionRun, findDefinitionRuns } from './markdown-definitions.js';
import { buildFootnotes, findFootnoteRuns, type FootnoteRun } from './markdown-footnotes.js';
import { buildHeading, findHeadingRuns, type HeadingRun } from './markdown-headings.js';
import { buildHtml, findHtmlRuns, type HtmlRun } from './markdown-html.js';
import { type ChunkLine, literalRanges } from './markdown-literal.js';
import { buildLeafLine, findLeafLineRuns, type LeafLineRun } from './markdown-leaf-lines.js';
import { buildLists, findListRuns, type ListRun } from './markdown-lists.js';
import { buildParagraphs, findParagraphRuns, type ParagraphRun } from './markdown-paragraphs.js';
import { buildQuote, findQuoteRuns, type QuoteRun } from './markdown-quotes.js';
import { restoreStandIns } from './markdown-stand-ins.js';
import { append } from '../append.js';

type Part =
  | { kind: 'list'; run: ListRun }
  | { kind: 'paragraphs'; run: ParagraphRun }
  | { kind: 'heading'; run: HeadingRun }
  | { kind: 'quote'; run: QuoteRun }
  | { kind: 'leaf'; run: LeafLineRun }
  | { kind: 'break'; run: BreakRun }
  | { kind: 'html'; run: HtmlRun }
  | { kind: 'definitions'; run: DefinitionRun }
  | { kind: 'footnotes'; run: FootnoteRun };

export interface ProseRun {
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
 * reader takes (a deep nest's contents, markdown-nests.ts).
 */
export function findProseRuns(text: string, first: boolean, keep: (start: number) => boolean): ProseRun[] {
  // Into one array as they come, with no copy for each finder (a chunk may have a thousand parts).
  const parts: Part[] = [];
  for (const run of findListRuns(text, first)) if (keep(run.start)) parts.push({ kind: 'list', run });
  for (const run of findParagraphRuns(text, first)) if (keep(run.start)) parts.push({ kind: 'paragraphs', run });
  for (const run of findHeadingRuns(text, first)) if (keep(run.start)) parts.push({ kind: 'heading', run });
  for (const run of findQuoteRuns(text, first)) if (keep(run.start)) parts.push({ kind: 'quote', run });
  for (const run of findLeafLineRuns(text, first)) if (keep(run.start)) parts.push({ kind: 'leaf', run });
  for (const run of findBreakRuns(text, first)) if (keep(run.start)) parts.push({ kind: 'break', run });
  for (const run of findHtmlRuns(text, first)) if (keep(run.start)) parts.push({ kind: 'html', run });
  // Definitions after a blank line (markdown-definitions.ts, markdown-footnotes.ts) with one after
  // them too: nothing goes on into them or out of them (a title, a setext underline, a table's
  // delimiter row, an indented line would). The finders do not know literal lines: asked here.
  const literal = literalRanges(text, first);
  for (const run of findDefinitionRuns(text, 1))
    if (keep(run.start) && !inRanges(literal, run.start) && blankAfter(text, run.end))
      parts.push({ kind: 'definitions', run });
  for (const run of findFootnoteRuns(text, 1))
    if (keep(run.start) && !inRanges(literal, run.start) && blankAfter(text, run.end))
      parts.push({ kind: 'footnotes', run });
  parts.sort((a, b) => a.run.start - b.run.start);
  const runs: ProseRun[] = [];
  const inContainer = containerSpans(text, literal);
  let group: Part[] = [];
  const close = (): void => {
    if (group.length === 0) return;
    const firstLine = group[0]!.run.lines[0]!;
    const lastRun = group[group.length - 1]!.run;
    const lastLine = lastRun.lines[lastRun.lines.length - 1]!;
    runs.push({
      start: firstLine.start,
      end: lastLine.end,
      lines: firstLine === lastLine ? [firstLine] : [firstLine, lastLine],
      parts: group,
      topLevel: !inContainer(firstLine.start),
    });
    group = [];
  };
  for (const part of parts) {
    const previous = group[group.length - 1];
    if (previous !== undefined && !joins(previous, part, text.slice(previous.run.end + 1, part.run.start))) close();
    group.push(part);
  }
  close();
  return runs;
}

/**
 * Whether two parts in a row stand in together: only blank lines between them, or none when one
 * is a heading or a leaf directive (a line that ends the block before it, after which one may start).
 */
function joins(previous: Part, part: Part, between: string): boolean {
  if (between === '') return isCloser(previous) || isCloser(part);
  return /^(?:[ \t]*\n)+$/.test(between);
}

/** Whether `offset` is in one of `ranges` ([from, to), in order, apart). */
function inRanges(ranges: readonly [number, number][], offset: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const [from, to] = ranges[mid]!;
    if (offset < from) high = mid - 1;
    else if (offset >= to) low = mid + 1;
    else return true;
  }
  return false;
}

/** Whether the line after the one ending at `end` is blank (or the text ends there). */
function blankAfter(text: string, end: number): boolean {
  if (end >= text.length) return true;
  const next = text.indexOf('\n', end + 1);
  return /^[ \t]*\r?$/.test(text.slice(end + 1, next === -1 ? text.length : next));
}

const isCloser = (part: Part): boolean =>
  part.kind === 'heading' || part.kind === 'leaf' || part.kind === 'break' || (part.kind === 'html' && part.run.closer);

/** A `:::` fence in the first column: an opening one has a name, a closing one nothing after its colons. */
const COLON_FENCE = /^(:{3,})(.*)$/;

/**
 * Whether an offset of `text` is inside a `:::` container (opened in the first column and not
 * closed before it, outside code, HTML blocks and the frontmatter), by line starts.
 */
function containerSpans(text: string, literal: [number, number][]): (offset: number) => boolean {
  if (!text.includes(':::')) return () => false;
  let nextLiteral = 0;
  /** Where each line that changes the depth starts, and the depth after it. */
  const changes: [number, number][] = [];
  const open: number[] = [];
  for (let pos = 0; pos < text.length; ) {
    const newline = text.indexOf('\n', pos);
    const next = newline === -1 ? text.length : newline + 1;
    while (nextLiteral < literal.length && literal[nextLiteral]![1] <= pos) nextLiteral++;
    const range = literal[nextLiteral];
    const fence = text.startsWith(':::', pos) && !(range !== undefined && range[0] <= pos);
    const m = fence ? COLON_FENCE.exec(text.slice(pos, next).replace(/\r?\n$/, '')) : null;
    if (m) {
      if (m[2]!.trim() === '') {
        if (open.length > 0 && m[1]!.length >= open[open.length - 1]!) open.pop();
      } else if (/^[A-Za-z]/.test(m[2]!)) open.push(m[1]!.length);
      changes.push([pos, open.length]);
    }
    pos = next;
  }
  return (offset) => {
    let depth = 0;
    for (const [at, after] of changes) {
      if (at >= offset) break;
      depth = after;
    }
    return depth > 0;
  };
}

/** Replaces each run's stand-in by its blocks; false, tree untouched, when one is missing. */
export function restoreProse(tree: Root, runs: readonly ProseRun[], text: string): boolean {
  return restoreStandIns(tree, runs, (run, line) => buildProse(run, text, line));
}

/** A run's blocks; `firstLine`: the line it starts on. */
export function buildProse(run: ProseRun, text: string, firstLine: number): RootContent[] {
  const nodes: RootContent[] = [];
  for (const part of run.parts) {
    const at = firstLine + part.run.lines[0]!.row - run.lines[0]!.row;
    if (part.kind === 'list') append(nodes, buildLists(part.run, text, at));
    else if (part.kind === 'paragraphs') append(nodes, buildParagraphs(part.run, text, at));
    else if (part.kind === 'heading') nodes.push(buildHeading(part.run, text, at));
    else if (part.kind === 'break') nodes.push(buildBreak(part.run, at));
    else if (part.kind === 'quote') nodes.push(buildQuote(part.run, text, at));
    else if (part.kind === 'html') nodes.push(buildHtml(part.run, text, at));
    else if (part.kind === 'definitions') append(nodes, buildDefinitions(part.run, at));
    else if (part.kind === 'footnotes') append(nodes, buildFootnotes(part.run, text, at));
    else nodes.push(buildLeafLine(part.run, at));
  }
  return nodes;
}
