/**
 * The Markdown parser: remark-parse with GFM, YAML frontmatter and directive syntax.
 *
 * micromark splices its event array whenever a container (a list, a block quote) closes, which
 * makes documents of many short lists between paragraphs quadratic: 256 KB of them took 30 s.
 * So a long document is parsed in chunks cut at places where no block construct can continue
 * (outside fences, directive containers, HTML blocks and the frontmatter: a blank line, then a
 * line starting in column 1; or a leaf directive alone on its line, which ends every block
 * above it, so that lists closed by leaf directives with no blank line between splice no less:
 * 64 KB of `- a` and `::name` lines took 43 s as one chunk, 3 s in chunks; or a footnote
 * definition's line, which ends every list and block quote above it too), and the chunks'
 * positions are shifted back into place. Each chunk but the last is parsed with a leaf directive
 * after it, dropped from its tree: what is left open at its end closes where the whole document
 * closes it, and a cut that was not safe shows (see safeCuts). The trees are micromark's of the
 * whole document, but for a list that a cut after a blank line splits in two, which Stepwise does
 * not read: prose is kept as source text, and steps never span such a place.
 *
 * Stepwise reads the blocks (headings, directives, code, paragraphs' extent) and, of the inline
 * content, only the headings' text. So each chunk is parsed for its blocks only, with micromark's
 * inline constructs turned off (emphasis, links, code spans, HTML, autolinks, text directives,
 * strikethrough, footnote calls): inline parsing was most of the time, and all of the
 * pathological cases (runs of `a_ `, `[a`, unclosed links) that took minutes on 1 MB. Then the
 * headings' text is parsed in full, a chunk's all at once, with the link definitions of the chunk
 * their references may use (markdown-heading-text.ts); a heading over several lines, or calling a
 * footnote, has its chunk parsed in full as before.
 *
 * Long runs of link definitions, table rows, footnote definitions and deeply quoted lines, lists,
 * deep nests of `:::` containers, and leaf directives among short paragraphs, are read without
 * micromark's constructs for them, which took 2.6 to 13 times as long as prose, and minutes a
 * megabyte for the nests; so are paragraphs of plain text, most of what was left of prose's time,
 * and the headings, leaf directives, block quotes, thematic breaks, HTML comments, setext headings,
 * bullet, ordered and task lists, definitions and tables of plain text among them, and fenced
 * and indented code and `:::` containers of code and paragraphs (a runbook's steps in the
 * container form): tens of µs a block each for micromark (markdown-*.ts). micromark took the
 * square of their length for two of those, as no place cuts them into chunks: a tight ordered
 * list (35 s a megabyte) and setext headings with no blank line between (8 KB: a second; 1 MB:
 * many minutes).
 */
import type { Nodes, Root, RootContent } from 'mdast';
import { directiveFromMarkdown } from 'mdast-util-directive';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { directive } from 'micromark-extension-directive';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { combineExtensions } from 'micromark-util-combine-extensions';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { findDefinitionRuns, restoreDefinitions } from './markdown-definitions.js';
import { FOOTNOTE_START, findFootnoteRuns, restoreFootnotes } from './markdown-footnotes.js';
import { findLeafRuns, leavesAlone, restoreLeaves } from './markdown-leaves.js';
import { itemLine } from './markdown-items.js';
import { ITEM_WITH_TEXT, joinList, topItemKey } from './markdown-list-cuts.js';
import { findNests, inNest, nestsAsFences, restoreNests } from './markdown-nests.js';
import { buildProse, findProseRuns, type ProseRun, restoreProse, standInRuns } from './markdown-prose.js';
import { FENCE, HTML_OPEN, leadOf, quoteEndsParagraphs } from './markdown-literal.js';
import { HEADING, LEAF } from './markdown-plain.js';
import { canStandIn, runsAsFences } from './markdown-stand-ins.js';
import { findRowRuns, restoreRows } from './markdown-tables.js';
import { parseCrlf } from './markdown-crlf.js';
import { readHeadingTexts } from './markdown-heading-text.js';
import { append } from '../append.js';
import './micromark-edit-map.js';

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkFrontmatter, ['yaml'])
  .use(remarkDirective)
  .freeze();
/** For chunks after the first: a `---` there is a thematic break, never frontmatter. */
const bodyProcessor = unified().use(remarkParse).use(remarkGfm).use(remarkDirective).freeze();

/** The inline constructs the block parse turns off (micromark's names for them). */
const INLINE = [
  'attention',
  'autolink',
  'codeText',
  'hardBreakEscape',
  'htmlText',
  'labelStartImage',
  'labelStartLink',
  'labelEnd',
  'strikethrough',
  'gfmFootnoteCall',
  'gfmPotentialFootnoteCall',
  'wwwAutolink',
  'protocolAutolink',
  'emailAutolink',
];
/** The directive syntax without its text (inline) form, which has no name to turn it off by. */
const blockDirective = { flow: directive().flow };
const blockSyntax = [gfmFootnote(), gfmTable(), gfmTaskListItem(), blockDirective, { disable: { null: INLINE } }];
/**
 * The syntax extensions, combined once: micromark combines them with its own constructs at every
 * parse, and a document's chunks and containers' contents are many small parses (one combined
 * extension makes each about 10 µs cheaper; the constructs come out in the same order).
 */
const blockExtensions = [combineExtensions(blockSyntax)];
const blockMdast = [
  gfmFootnoteFromMarkdown(),
  gfmTableFromMarkdown(),
  gfmTaskListItemFromMarkdown(),
  directiveFromMarkdown(),
];
const firstBlockExtensions = [
  combineExtensions([...blockSyntax.slice(0, 3), frontmatter(['yaml']), ...blockSyntax.slice(3)]),
];
const firstBlockMdast = [...blockMdast.slice(0, 3), frontmatterFromMarkdown(['yaml']), ...blockMdast.slice(3)];

/**
 * A chunk's blocks; long runs of link definitions, table rows and footnote definitions, lists,
 * paragraphs, headings, block quotes and leaf directives of plain text, code, containers of code,
 * deep nests of `:::` containers, and leaf directives among short paragraphs, are read by
 * markdown-definitions.ts, markdown-tables.ts, markdown-footnotes.ts, markdown-prose.ts (lists,
 * paragraphs, headings, block quotes, leaf directives, breaks, fenced and indented code,
 * containers and tables), markdown-nests.ts and markdown-leaves.ts, or, when those cannot be
 * sure, by micromark.
 */
function parseBlocks(text: string, first: boolean): Root {
  const parse = (markdown: string): Root => micromarkBlocks(markdown, first);
  const nests = findNests(text);
  // Containers of any content (markdown-inner.ts), and deep nests' contents, are read as documents.
  const inner = (piece: string): Root => parseBlocks(piece, false);
  const runs = findProseRuns(text, first, (start) => !inNest(nests, start), inner);
  // A lone CR ends a line for micromark, not for the builders' line numbers (parse.ts makes each a LF).
  const loneCr = text.includes('\r') && /\r(?!\n)/.test(text);
  const apart = loneCr ? [] : runs.filter((run) => run.topLevel && run.end - run.start >= APART);
  const around = apart.length > 0 ? parseAround(text, first, apart) : null;
  if (around !== null) return around;
  const leaves = findLeafRuns(text).filter((run) => !inNest(nests, run.start));
  // Both take leaf directives and paragraphs: where they overlap, the leaf run's stand-in is kept.
  const prose = standInRuns(runs, text).filter(
    (run) => canStandIn(run) && !leaves.some((l) => l.start <= run.end && run.start <= l.end),
  );
  // Prose runs take definitions and whole tables too (markdown-prose.ts): those in one stand in with it.
  const unread = (run: { start: number }): boolean => !inNest(nests, run.start) && !within(prose, run.start);
  const rows = findRowRuns(text).filter(unread);
  const definitions = findDefinitionRuns(text).filter(unread);
  const footnotes = findFootnoteRuns(text).filter(unread);
  const found = [rows, definitions, footnotes, prose, leaves];
  const runCount = found.reduce((n, runs) => n + runs.length, 0);
  if (nests.length + runCount === 0) return parse(text);
  // A chunk that is one run of leaf directives and paragraphs is built without micromark at all.
  const leavesOnly = nests.length + runCount === 1 ? leavesAlone(text, leaves) : null;
  if (leavesOnly !== null) return leavesOnly;
  let fenced = nestsAsFences(text, nests);
  for (const runs of found) fenced = runsAsFences(fenced, runs);
  const tree = parse(fenced);
  // The leaf directives first: the others look at the nodes beside theirs.
  return restoreLeaves(tree, leaves, text) &&
    restoreDefinitions(tree, definitions, text) &&
    restoreRows(tree, rows, text) &&
    restoreFootnotes(tree, footnotes, text) &&
    restoreProse(tree, prose, text) &&
    restoreNests(tree, nests, text, inner)
    ? tree
    : parse(text);
}

/** Whether `offset` is inside one of `runs` (in order, apart). */
function within(runs: readonly { start: number; end: number }[], offset: number): boolean {
  let low = 0;
  let high = runs.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const run = runs[mid]!;
    if (offset < run.start) high = mid - 1;
    else if (offset > run.end) low = mid + 1;
    else return true;
  }
  return false;
}

/** Prose runs at least this long, outside containers, are built without micromark (parseAround). */
const APART = 1024;

/**
 * A chunk's blocks, its long prose runs built without micromark at all: a stand-in still costs
 * micromark every character it covers. Nothing before a prose run goes on into it and nothing in
 * it goes on past its end (markdown-prose.ts), and outside containers nothing is still open at
 * its start, so the text between runs is parsed apart, each piece from its first line, and its
 * nodes are moved into place. Each piece but the last is parsed with the first line of the run
 * after it, whose nodes are dropped: what is left open in the piece (a container in a list item)
 * ends where that line ends it, not at the piece's end (the line after its last line ending). Null
 * when the piece's nodes do not end before that line and its own start within it.
 */
function parseAround(text: string, first: boolean, runs: readonly ProseRun[]): Root | null {
  const children: RootContent[] = [];
  let from = 0;
  let line = 1;
  /** The text from `from` to `to` (where `next` starts, if it is given). */
  const piece = (to: number, next?: ProseRun): boolean => {
    if (!/\S/.test(text.slice(from, to))) return true;
    const end = next === undefined ? to : next.lines[0]!.end;
    const nodes = parseBlocks(text.slice(from, end), first && from === 0).children;
    if (next !== undefined) {
      const own = nodes.pop();
      if (own === undefined || (own.position?.start.offset ?? -1) < to - from) return false;
      const last = nodes[nodes.length - 1];
      if (last !== undefined && (last.position?.end.offset ?? Infinity) > to - from) return false;
    }
    for (const child of nodes) {
      shift(child, from, line - 1);
      children.push(child);
    }
    return true;
  };
  for (const run of runs) {
    if (!piece(run.start, run)) return null;
    const firstRow = run.lines[0]!.row;
    append(children, buildProse(run, text, firstRow + 1));
    const lastRow = run.lines[run.lines.length - 1]!.row;
    // The next piece starts on the line after the run's last (a run's lines end before a line ending).
    from = Math.min(text.length, run.end + 1);
    line = lastRow + 2;
  }
  piece(text.length);
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  return {
    type: 'root',
    children,
    position: {
      start: { line: 1, column: 1, offset: 0 },
      end: { line: countLines(text) + 1, column: lastLine.length + 1, offset: text.length },
    },
  };
}

/**
 * A chunk's blocks as micromark reads them, with no construct read by markdown-*.ts instead: what
 * their tests compare the trees built there with. `first`: the document's first chunk, where
 * `---` may open frontmatter.
 */
export function micromarkBlocks(text: string, first = false): Root {
  return first
    ? fromMarkdown(text, { extensions: firstBlockExtensions, mdastExtensions: firstBlockMdast })
    : fromMarkdown(text, { extensions: blockExtensions, mdastExtensions: blockMdast });
}

/** One chunk: its blocks, and its headings' text (markdown-heading-text.ts). */
function parseChunk(text: string, first: boolean): Root {
  const tree = parseBlocks(text, first);
  return readHeadingTexts(tree, text, bodyProcessor) ? tree : (first ? processor : bodyProcessor).parse(text);
}

/** An ordered item's line numbered other than 1, which interrupts no paragraph or code. */
const ORDERED_NOT_1 = /^(?!1[.)])\d{1,9}[.)]/;

/** Text that goes on with a paragraph lazily: a letter or digit first, no item's number. */
const LAZY_TEXT = /^(?!\d{1,9}[.)])[\p{L}\p{N}]/u;

/** Where an item's content starts (its marker's width and the 1 to 4 spaces after it; 1 when more, or none). */
function contentColumn(line: string): number {
  const m = /^(?:[-*+]|\d{1,9}[.)])( *)/.exec(line);
  if (m === null) return 0;
  const spaces = m[1]!.length;
  return m[0].length - spaces + (spaces >= 1 && spaces <= 4 && m[0].length < line.length ? spaces : 1);
}

/** Chunks are cut at the first safe place after this many characters. */
const CHUNK = 4096;

/**
 * Appended to each chunk but the last, and dropped from its tree. A leaf directive at column 1
 * closes whatever the line after a cut closes: lists, block quotes and footnote definitions, with
 * the fences, HTML and containers left open in them, which at the end of the text would run on
 * over its last line ending. And if it does not come out as a leaf directive of its own, the
 * chunk ends inside a fence, HTML block or container: the cut was not safe after all.
 */
const CHUNK_END = '::stepwise-chunk-end\n';

/** `every`: the chunks' size (tests make it small, to cut at every safe place). */
export function parseMarkdown(source: string, every = CHUNK): Root {
  // A CRLF document is read as its LF form, where the readers of markdown-*.ts take its lines.
  return (
    parseCrlf(source, (lf) => parseChunks(lf, safeCuts(lf, every))) ?? parseChunks(source, safeCuts(source, every))
  );
}

/** The document parsed in chunks cut at `cuts` (exported for tests: a cut that is not safe is caught). */
export function parseChunks(source: string, cuts: readonly number[]): Root {
  if (cuts.length === 0) return parseChunk(source, true);
  const root: Root = {
    type: 'root',
    children: [],
    position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
  };
  let start = 0;
  let line = 1;
  for (const cut of [...cuts, source.length]) {
    let end = cut;
    let chunk = source.slice(start, end);
    let children: RootContent[] | undefined;
    // Blank lines make no node (a chunk inside a run of them, safeCuts): micromark took 10 s a megabyte.
    if (/^[ \t\n]*$/.test(chunk)) children = [];
    else if (end < source.length) {
      children = parseChunk(chunk + CHUNK_END, start === 0).children;
      const last = children.pop();
      if (last?.type !== 'leafDirective' || last.position?.start.offset !== chunk.length) {
        // Never seen (safeCuts would be wrong): the rest is parsed as one chunk, as it is.
        end = source.length;
        chunk = source.slice(start);
        children = undefined;
      }
    }
    children ??= parseChunk(chunk, start === 0).children;
    for (const child of children) shift(child, start, line - 1);
    // A cut between two items of a list (markdown-list-cuts.ts): the chunk's list goes on the one before.
    const joined = start > 0 && children.length > 0 && joinList(root.children.at(-1), children[0]!, start, source);
    for (let i = joined ? 1 : 0; i < children.length; i++) root.children.push(children[i]!);
    line += countLines(chunk);
    start = end;
    if (end === source.length) break;
  }
  const lastLine = source.slice(source.lastIndexOf('\n') + 1);
  root.position!.end = { line, column: lastLine.length + 1, offset: source.length };
  return root;
}

/**
 * Moves a node and everything in it by `offset` characters and `lines` lines, in place: no point
 * object is in two nodes (mdast-util-from-markdown makes a new one for each, and so does every
 * builder of markdown-*.ts: test/check/markdown-chunks.test.ts checks), so none is moved twice.
 * A new point for each (as before) was a third of a megabyte's garbage.
 */
function shift(node: Nodes | RootContent, offset: number, lines: number): void {
  const stack: (Nodes | RootContent)[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const position = current.position;
    if (position) {
      const { start, end } = position;
      start.line += lines;
      start.offset = (start.offset ?? 0) + offset;
      end.line += lines;
      end.offset = (end.offset ?? 0) + offset;
    }
    if ('children' in current) for (const child of current.children) stack.push(child);
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** A line of 3 or more colons at up to 3 spaces: a `:::` container's opening or closing. */
const COLON_FENCE = /^ {0,3}(:{3,})(.*)$/;
/**
 * What may start a directive's name: not whitespace nor punctuation (micromark-extension-directive,
 * factory-name.js). Any character past ASCII is taken as a start, which can only keep a cut out.
 */
const NAME_START = /^[^\s!-/:-@[-`{-~]/;
const BLANK = /^[ \t]*$/;

/** What a line that may open fenced code, an HTML block or a `:::` container holds (safeCuts). */
const MAY_HOLD_OPEN = /```|~~~|:::|</;

/** A list item's first line: after a blank line it may go on with the list above it. */
const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;

/** A line's indentation in columns (a tab goes to the next multiple of 4). */
function indentOf(line: string): number {
  let column = 0;
  for (const char of line) {
    if (char === ' ') column++;
    else if (char === '\t') column += 4 - (column % 4);
    else break;
  }
  return column;
}

/** A fence or HTML block of types 1 to 5 that safeCuts is inside of. */
interface Open {
  /** The fence's marker (backticks or tildes, as many as opened it), or what ends the HTML. */
  close: string | RegExp;
  /** The opening line's indentation. */
  indent: number;
  /** Opened inside a `:::` container. */
  contained: boolean;
}

/**
 * Offsets of line starts where the document can be cut without changing any block: outside
 * fences, `:::` containers, HTML blocks of types 1 to 5 and the frontmatter, either
 *  - a line at column 1 after a blank line that is not a list item (after blank lines one goes
 *    on with a list above it: a loose list), not starting with a byte order mark (which
 *    micromark skips at a text's start), or indented 1 to 3 spaces where no line since the last
 *    safe place may be (in) a list item or footnote definition; after a line that may be (in) a list item or footnote
 *    definition since the last safe place, only after one blank line and not a block quote's or
 *    footnote definition's line, unless no line since may hold a fence, HTML block or container
 *    open in one (mayHoldOpen), or
 *  - a leaf directive alone on its line (LEAF), or an ATX heading at column 1 (HEADING: it
 *    interrupts a paragraph and closes every list and block quote, as a leaf directive does;
 *    1 MB of list items each followed by a heading took minutes as one chunk), or a footnote
 *    definition's line (FOOTNOTE_START) when no line since the last safe place may hold a fence,
 *    HTML block or container open in an item, or a block quote's `>` at column 1 after a line of
 *    text at column 1 right after a quote line that leaves no paragraph open (an empty `>`, a
 *    quoted fence's line: quoteEndsParagraphs), a paragraph at the top level, nothing it could go
 *    on in lazily being open after such a line, which the `>` interrupts as the chunk's end ends
 *    it (1 MB of `>` and text lines was one chunk), when no line
 *    since the last blank one started with `<` (an HTML block of types 6 and 7 runs on to a
 *    blank line) or held a `|` (table rows), or
 *  - a blank line after a blank line, when the line after their run is a safe place of the first
 *    kind, or the text ends in the run, and no line since the last safe place may be in a list
 *    item or a footnote definition (what is left open in one runs on over the blank lines).
 * Each at least `every` characters after the last. A text with a lone CR is not cut.
 *
 * The fences, containers and HTML blocks followed are the ones outside lists and block quotes:
 * those inside one end with it, at the next line at column 1. One indented 1 to 3 spaces may be
 * in a list item or not; so may a line starting with `<` be an HTML block or not; where what
 * follows would be read differently either way (a line indented less inside such a fence, a
 * fence opening under such a line, a container's closing inside a fence it holds: micromark
 * closes the container first), no cut is made from there on. parseChunks checks each cut again.
 */
export function safeCuts(source: string, every: number): number[] {
  if (source.length <= every) return [];
  // micromark ends a line at a lone CR too (parse.ts makes each a LF; other callers may not).
  if (/\r(?!\n)/.test(source)) return [];
  const cuts: number[] = [];
  let open: Open | null = null;
  /** The sizes of the `:::` containers open, innermost last. */
  const containers: number[] = [];
  /** Since the last blank line: a line started with `<` that may be an HTML block of type 6 or 7. */
  let maybeHtml = false;
  /** Since the last blank line: a line held a `|` (a table's rows run on to a blank line). */
  let maybeTable = false;
  let lastCut = 0;
  /**
   * Cuts inside the run of blank lines being read, before each blank line after the first: kept
   * if the line after the run is a safe place itself (whatever was open before the blank lines is
   * closed by it, as by the chunk's end) or the text ends there; dropped otherwise (the run may be
   * inside a list item, a footnote or indented code that goes on after it). 1 MB of blank lines
   * was one chunk, and took micromark 10 s.
   */
  let blankCuts: number[] = [];
  let lastBlankCut = 0;
  /**
   * Since the last safe place: a line that may be (in) a list item or a footnote definition, where
   * a fence, HTML block or container left open runs on over the blank lines to where the item
   * ends: no cut inside them, which would end it sooner.
   */
  let inItem = false;
  /**
   * Since the last safe place: a line that may open fenced code, an HTML block or a `:::`
   * container (it holds ```, ~~~, `<` or `:::`), which may be left open in a list item, block quote
   * or footnote definition. micromark ends one left open there at the start of a footnote
   * definition's or block quote's line (a new container, which closes the item's flow), but
   * sooner, on the line before, before a leaf directive (the chunk's end: a lazy line).
   * Whatever else may be open in an item (paragraphs, indented code, tables, setext headings,
   * definitions) both end alike: compared with micromark in test/check/markdown-chunks.test.ts.
   */
  let mayHoldOpen = false;
  /** Since the last safe place: a line that may open an HTML block (it holds `<`). */
  let mayHoldHtml = false;
  /** How many blank lines in a row came just before this line. */
  let blanks = 0;
  /**
   * The marker of the list whose item the last line in the first column began (topItemKey), or
   * null: an item of it in the first column right after a line of it is a safe place, where
   * nothing else is open (markdown-list-cuts.ts).
   */
  let listKey: string | null = null;
  /**
   * The content column of that item: a line indented less that is no lazy text (a heading, a
   * fence, a quote, an item…) is a block outside the list, which an item's line after it may
   * not start again (`3)` after a heading indented 3 spaces is a paragraph's text).
   */
  let listContent = 0;
  /** The last line that was not blank was indented 4 or more: indented code, which may go on. */
  let afterCode = false;
  /**
   * The indent and marker of a top-level list indented 1 to 3 spaces whose items, one line each,
   * the lines since its first have all been (nextIndented), or null.
   */
  let indentedList: string | null = null;
  /**
   * The line before was text in the first column right after a quote line that leaves no paragraph
   * open (paragraphEnder):
   * a paragraph at the top level, since nothing it could go on in lazily is open after that line.
   * A quote's `>` in the first column after it interrupts it, as the chunk's end would end it.
   */
  let textAfterEnder = false;
  /** The line before was a quote's that leaves no paragraph open (quoteEndsParagraphs: an empty
   * one, a fence's line, a container's opening). */
  let paragraphEnder = false;
  let pos = 0;
  const frontmatter = /^\uFEFF?---[ \t]*\r?\n/.exec(source);
  if (frontmatter) {
    const close = /\n---[ \t]*\r?\n/.exec(source.slice(frontmatter[0].length - 1));
    if (!close) return [];
    pos = frontmatter[0].length - 1 + close.index + close[0].length;
  }
  const firstLine = pos;
  while (pos < source.length) {
    const newline = source.indexOf('\n', pos);
    const end = newline === -1 ? source.length : newline;
    const line = source.slice(pos, source.charCodeAt(end - 1) === 13 /* \r */ && end > pos ? end - 1 : end);
    const blank = BLANK.test(line);
    if (open !== null) {
      if (!blank && indentOf(line) < open.indent) return cuts;
      if (open.contained && /^ {0,3}:{3,}[ \t]*$/.test(line)) return cuts;
      if (typeof open.close === 'string') {
        const m = FENCE.exec(line);
        if (m && m[1]![0] === open.close[0] && m[1]!.length >= open.close.length && BLANK.test(line.slice(m[0].length)))
          open = null;
      } else if (open.close.test(line)) open = null;
    } else {
      // Each regular expression below is asked only of a line it may match, by the character
      // after up to 3 spaces (LEAF, HEADING: `:`, `#` in the first column; FENCE: a backtick or
      // tilde; COLON_FENCE: `:`; HTML_OPEN: `<`): five or more for each line of a megabyte were
      // a tenth of its time.
      const lead = leadOf(line);
      const mark = line.charCodeAt(lead);
      const first = line.charCodeAt(0);
      // After blank lines, what was left open in an item ends elsewhere when a leaf directive (the
      // chunk's end) closes it than when a block quote's `>` or a footnote definition's `[^` does
      // (containers of lines, as list items are; after two or more blank lines, than when
      // anything does): no cut there.
      // With nothing of the kind left open in an item (mayHoldOpen), none of that matters.
      const afterItem = (blanks === 1 && first !== 62 /* > */ && !line.startsWith('[^')) || !mayHoldOpen;
      // A footnote definition in the first column is a new container, as a leaf directive (the
      // chunk's end) is a lazy line: each ends every list item, block quote and footnote above it.
      // 1 MB of list items each followed by a footnote definition (or the other way) was one chunk,
      // and took micromark a minute.
      const footnote = first === 91 /* [ */ && !mayHoldOpen && FOOTNOTE_START.test(line);
      const column0 = !blank && first !== 32 && first !== 9;
      const key = column0 ? topItemKey(line) : null;
      const nextItem =
        blanks === 0 &&
        key !== null &&
        key === listKey &&
        // A fence or container left open in the item before: joinList ends it as micromark does.
        (!mayHoldOpen || (!mayHoldHtml && ITEM_WITH_TEXT.test(line))) &&
        !maybeHtml &&
        !maybeTable &&
        containers.length === 0;
      // The same for a list whose items are indented 1 to 3 spaces, one line each, its first after
      // a blank line (or first) where no item was open that it could be in: 1 MB of `   - * a`
      // was one chunk, micromark's time the square of its items (64 KB: 39 s).
      const indentedKey = first === 32 && lead <= 3 && !blank ? topItemKey(line.slice(lead)) : null;
      const nextIndented: boolean =
        blanks === 0 &&
        indentedKey !== null &&
        `${lead}${indentedKey}` === indentedList &&
        !mayHoldOpen &&
        !maybeHtml &&
        !maybeTable &&
        containers.length === 0;
      indentedList =
        indentedKey !== null && (nextIndented || ((blanks > 0 || pos === firstLine) && !inItem))
          ? `${lead}${indentedKey}`
          : null;
      // An item's line starts a list where no paragraph may be open (after a blank line, or the
      // first line): elsewhere only some may interrupt a paragraph (`3)` after text or indented
      // code is text). After a blank line an indented line may be top-level indented code, after
      // which an item's line may be text too.
      if (column0) {
        // After indented code (blank lines do not end it) only a bullet or a `1` interrupts it.
        const starts = (blanks > 0 && !(afterCode && ORDERED_NOT_1.test(line))) || pos === firstLine;
        listKey = key !== null && (key === listKey || starts) ? key : null;
        listContent = listKey !== null ? contentColumn(line) : 0;
      } else if (!blank && (blanks > 0 || (lead < listContent && !LAZY_TEXT.test(line.slice(lead))))) listKey = null;
      // A line indented 1 to 3 spaces after a blank line starts a block as one in the first
      // column does, where no item since the last safe place is one it could go on in (1 MB of
      // ` > a` or ` # h` blocks was one chunk, and took micromark minutes).
      const indented =
        !blank &&
        first === 32 &&
        lead > 0 &&
        mark !== 32 &&
        mark !== 9 &&
        !inItem &&
        !LIST_ITEM.test(line.slice(lead)) &&
        !line.startsWith('[^', lead);
      const top = !blank && !/^[ \t\uFEFF]/.test(line) && !LIST_ITEM.test(line) && (!inItem || afterItem);
      const safe =
        blanks > 0
          ? top || indented
          : (((first === 58 && LEAF.test(line)) ||
              (first === 35 && HEADING.test(line)) ||
              footnote ||
              (first === 62 /* > */ && textAfterEnder)) &&
              !maybeHtml &&
              !maybeTable) ||
            nextItem ||
            nextIndented;
      // A footnote definition is a safe place that opens an item; a line indented 1 to 3 spaces
      // where no item is open is in none (nor may the blank lines after it go on in one).
      if (!blank && !indented && itemLine(line)) inItem = true;
      else if (safe) inItem = false;
      if (safe) mayHoldOpen = mayHoldHtml = false;
      if (!blank && MAY_HOLD_OPEN.test(line)) mayHoldOpen = true;
      if (!blank && line.includes('<')) mayHoldHtml = true;
      if (blank && blanks > 0 && containers.length === 0 && !inItem) {
        if (blankCuts.length === 0) lastBlankCut = lastCut;
        if (pos - lastBlankCut >= every) {
          blankCuts.push(pos);
          lastBlankCut = pos;
        }
      } else if (!blank && blankCuts.length > 0) {
        if (safe && containers.length === 0) {
          append(cuts, blankCuts);
          lastCut = lastBlankCut;
        }
        blankCuts = [];
      }
      if (safe && containers.length === 0 && pos - lastCut >= every) {
        cuts.push(pos);
        lastCut = pos;
      }
      const f = mark === 96 /* ` */ || mark === 126 /* ~ */ ? FENCE.exec(line) : null;
      const fence = f !== null && !(f[1]![0] === '`' && line.slice(f[0].length).includes('`'));
      const c = f || mark !== 58 /* : */ ? null : COLON_FENCE.exec(line);
      const containerOpens = c !== null && NAME_START.test(c[2]!);
      const containerCloses =
        c !== null && BLANK.test(c[2]!) && containers.length > 0 && c[1]!.length >= containers[containers.length - 1]!;
      const html = f || c || mark !== 60 /* < */ ? undefined : HTML_OPEN.find(([opening]) => opening.test(line));
      const lt = line.indexOf('<');
      const htmlOpens = html !== undefined && !html[1].test(line.slice(lt + 1));
      if (maybeHtml && (fence || containerOpens || containerCloses || htmlOpens)) return cuts;
      if (fence) open = { close: f[1]!, indent: indentOf(line), contained: containers.length > 0 };
      else if (containerOpens) containers.push(c[1]!.length);
      else if (containerCloses) containers.pop();
      else if (htmlOpens) open = { close: html[1], indent: indentOf(line), contained: containers.length > 0 };
      if (html === undefined && lt !== -1 && /^[ \t]*</.test(line)) maybeHtml = true;
      if (line.includes('|')) maybeTable = true;
    }
    if (blank) maybeHtml = maybeTable = false;
    textAfterEnder = paragraphEnder && open === null && LAZY_TEXT.test(line);
    paragraphEnder = open === null && quoteEndsParagraphs(line);
    blanks = blank ? blanks + 1 : 0;
    if (!blank) afterCode = /^(?: {4}| {0,3}\t)/.test(line);
    pos = end + 1;
  }
  append(cuts, blankCuts); // the text ends in the run: nothing goes on after it
  return cuts;
}
