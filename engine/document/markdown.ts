/**
 * The Markdown parser: micromark (remark-parse's) with GFM, YAML frontmatter and directive syntax.
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
import type { Root, RootContent } from 'mdast';
import { directiveFromMarkdown } from 'mdast-util-directive';
import type { Extension as MdastExtension } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { directive } from 'micromark-extension-directive';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { combineExtensions } from 'micromark-util-combine-extensions';
import type { Extension as MicromarkExtension } from 'micromark-util-types';
import { findDefinitionRuns, restoreDefinitions } from './markdown-definitions.js';
import { findFootnoteRuns, restoreFootnotes } from './markdown-footnotes.js';
import { openFenceDocument } from './markdown-fences.js';
import { htmlDocument, openHtmlDocument } from './markdown-html.js';
import { findLeafRuns, leavesAlone, restoreLeaves } from './markdown-leaves.js';
import { joinList } from './markdown-list-cuts.js';
import { forgetLines } from './markdown-literal.js';
import { findNests, inNest, nestsAsFences, restoreNests } from './markdown-nests.js';
import { buildProse, findProseRuns, type ProseRun, restoreProse, standInRuns } from './markdown-prose.js';
import { canStandIn, runsAsFences } from './markdown-stand-ins.js';
import { openContainerDocument } from './markdown-containers.js';
import { findRowRuns, restoreRows } from './markdown-tables.js';
import { parseCrlf } from './markdown-crlf.js';
import { markdownParser } from './markdown-parsers.js';
import { readHeadingTexts } from './markdown-heading-text.js';
import { safeCuts } from './markdown-safe-cuts.js';
import { shift } from './markdown-shift.js';
import type { Keep } from './markdown-skeleton.js';
import { type Frontmatter, readFrontmatter, unclosedFrontmatter } from './markdown-frontmatter.js';
import { append } from '../append.js';
import './micromark-edit-map.js';

/**
 * The full parse, inline syntax too: what remark-parse with remark-gfm, remark-frontmatter and
 * remark-directive gives (the same extensions, in the same order), without loading unified and
 * the plugins' Markdown writers into every `check`. For a chunk whose headings' text
 * markdown-heading-text.ts cannot read alone, and for headings' text.
 */
const processor = fullParser(
  [gfm(), frontmatter(['yaml']), directive()],
  [gfmFromMarkdown(), frontmatterFromMarkdown(['yaml']), directiveFromMarkdown()],
);
/** For chunks after the first: a `---` there is a thematic break, never frontmatter. */
const bodyProcessor = fullParser([gfm(), directive()], [gfmFromMarkdown(), directiveFromMarkdown()]);

function fullParser(
  extensions: MicromarkExtension[],
  mdastExtensions: (MdastExtension | MdastExtension[])[],
): { parse(text: string): Root } {
  return { parse: markdownParser(extensions, mdastExtensions) };
}

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
/** What micromarkBlocks parses a chunk after the first with: test/check/markdown-parsers.test.ts holds it to fromMarkdown's. */
export const BLOCK_OPTIONS = { extensions: blockExtensions, mdastExtensions: blockMdast };
const blockParser = markdownParser(blockExtensions, blockMdast);
const firstBlockParser = markdownParser(firstBlockExtensions, firstBlockMdast);

/**
 * A chunk's blocks; long runs of link definitions, table rows and footnote definitions, lists,
 * paragraphs, headings, block quotes and leaf directives of plain text, code, containers of code,
 * deep nests of `:::` containers, and leaf directives among short paragraphs, are read by
 * markdown-definitions.ts, markdown-tables.ts, markdown-footnotes.ts, markdown-prose.ts (lists,
 * paragraphs, headings, block quotes, leaf directives, breaks, fenced and indented code,
 * containers and tables), markdown-nests.ts and markdown-leaves.ts, or, when those cannot be
 * sure, by micromark.
 */
function parseBlocks(text: string, first: boolean, keep?: Keep): Root {
  const matter = first ? readFrontmatter(text) : null;
  if (matter !== null) return afterFrontmatter(text, matter, keep);
  const html = htmlDocument(text) ?? openHtmlDocument(text);
  if (html !== null) return rootOf([html], text);
  const fence = openFenceDocument(text);
  if (fence !== null) return rootOf([fence], text);
  // Containers of any content (markdown-inner.ts), and deep nests' contents, are read as documents.
  const inner = (piece: string): Root => parseBlocks(piece, false);
  const container = openContainerDocument(text, inner);
  if (container !== null) return rootOf([container], text);
  const parse = (markdown: string): Root => micromarkBlocks(markdown, first);
  const nests = findNests(text);
  const runs = findProseRuns(text, first, (start) => !inNest(nests, start), inner, keep);
  // A lone CR ends a line for micromark, not for the builders' line numbers (parse.ts makes each a LF).
  const loneCr = text.includes('\r') && /\r(?!\n)/.test(text);
  const apart = loneCr ? [] : apartRuns(runs, text, nests.length === 0);
  const around = apart.length > 0 ? parseAround(text, first, apart, keep) : null;
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

/** A first chunk that opens with frontmatter: its node, then the rest read as a document of its own. */
function afterFrontmatter(text: string, matter: Frontmatter, keep: Keep | undefined): Root {
  const rest = parseBlocks(text.slice(matter.next), false, keep).children;
  for (const child of rest) shift(child, matter.next, matter.lines);
  return rootOf([matter.node, ...rest], text);
}

/** The root of `children`, which make up `text`. */
function rootOf(children: RootContent[], text: string): Root {
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

/** Text that is not blank lines: anything but spaces, tabs and line endings (a no-break space is text). */
const NOT_BLANK = /[^ \t\n]/;

/** Prose runs at least this long, outside containers, are built without micromark (parseAround). */
const APART = 1024;

/**
 * The prose runs parseAround builds apart: those of APART or more, outside containers; or all of
 * them when they are all outside containers, only blank lines lie between them and the chunk has
 * no deep `:::` nest (`noNests`, markdown-nests.ts; exported for tests), where
 * micromark then reads nothing at all (a stand-in still costs a micromark parse of the chunk:
 * the cost of every short section, `**Causes:**` and its list, that a runbook is made of).
 */
export function apartRuns(runs: readonly ProseRun[], text: string, noNests: boolean): ProseRun[] {
  let from = 0;
  let covered = noNests;
  for (const run of runs) {
    if (!run.topLevel || NOT_BLANK.test(text.slice(from, run.start))) {
      covered = false;
      break;
    }
    from = run.end + 1;
  }
  if (covered && runs.length > 0 && !NOT_BLANK.test(text.slice(from))) return [...runs];
  return runs.filter((run) => run.topLevel && run.end - run.start >= APART);
}

/**
 * A chunk's blocks, its long prose runs built without micromark at all: a stand-in still costs
 * micromark every character it covers. Nothing before a prose run goes on into it and nothing in
 * it goes on past its end (markdown-prose.ts), and outside containers nothing is still open at
 * its start, so the text between runs is parsed apart, each piece from its first line, and its
 * nodes are moved into place. Each piece but the last is parsed with the first line of the run
 * after it, whose nodes are dropped: what is left open in the piece (a container in a list item)
 * ends where that line ends it, not at the piece's end (the line after its last line ending). Null
 * when the piece's nodes do not end before that line and its own start within it.
 *
 * With `keep`, each piece's nodes and each part of a run's are pruned as they come, but for the
 * text's first and last nodes, kept whole: parseChunks joins a list a cut splits in two across
 * them (joinList), and prunes them after.
 */
function parseAround(text: string, first: boolean, runs: readonly ProseRun[], keep?: Keep): Root | null {
  const children: RootContent[] = [];
  /** The nodes built last, held until more come (or the text ends): they may hold its last node. */
  let held: RootContent[] = [];
  const settle = (last: boolean): void => {
    let from = 0;
    let to = held.length;
    if (children.length === 0 && to > 0) {
      children.push(held[0]!);
      from = 1;
    }
    if (last && to > from) to--;
    if (to > from) append(children, keep!(from === 0 && to === held.length ? held : held.slice(from, to), text));
    if (to < held.length) children.push(held[held.length - 1]!);
    held = [];
  };
  const add = (nodes: RootContent[]): void => {
    if (keep === undefined) append(children, nodes);
    else if (nodes.length > 0) {
      settle(false);
      held = nodes;
    }
  };
  let from = 0;
  let line = 1;
  /** The text from `from` to `to` (where `next` starts, if it is given). */
  const piece = (to: number, next?: ProseRun): boolean => {
    if (!NOT_BLANK.test(text.slice(from, to))) return true;
    const end = next === undefined ? to : next.lines[0]!.end;
    const nodes = parseBlocks(text.slice(from, end), first && from === 0).children;
    if (next !== undefined) {
      const own = nodes.pop();
      if (own === undefined || (own.position?.start.offset ?? -1) < to - from) return false;
      const last = nodes[nodes.length - 1];
      if (last !== undefined && (last.position?.end.offset ?? Infinity) > to - from) return false;
    }
    for (const child of nodes) shift(child, from, line - 1);
    add(nodes);
    return true;
  };
  for (const run of runs) {
    if (!piece(run.start, run)) return null;
    const firstRow = run.lines[0]!.row;
    buildProse(run, text, firstRow + 1, add, keep);
    const lastRow = run.lines[run.lines.length - 1]!.row;
    // The next piece starts on the line after the run's last (a run's lines end before a line ending).
    from = Math.min(text.length, run.end + 1);
    line = lastRow + 2;
  }
  piece(text.length);
  if (keep !== undefined) settle(true);
  return rootOf(children, text);
}

/**
 * A chunk's blocks as micromark reads them, with no construct read by markdown-*.ts instead: what
 * their tests compare the trees built there with. `first`: the document's first chunk, where
 * `---` may open frontmatter.
 */
export function micromarkBlocks(text: string, first = false): Root {
  return first && !unclosedFrontmatter(text) ? firstBlockParser(text) : blockParser(text);
}

/** One chunk: its blocks, and its headings' text (markdown-heading-text.ts). */
function parseChunk(text: string, first: boolean, keep?: Keep): Root {
  // A first line of `---` that nothing closes is a thematic break (markdown-frontmatter.ts).
  first &&= !unclosedFrontmatter(text);
  const tree = parseBlocks(text, first, keep);
  return readHeadingTexts(tree, text, bodyProcessor) ? tree : (first ? processor : bodyProcessor).parse(text);
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

/**
 * `every`: the chunks' size (tests make it small, to cut at every safe place). `keep`: what of
 * the tree to keep (markdown-skeleton.ts), pruned as it is built; all of it when not given.
 */
export function parseMarkdown(source: string, every = CHUNK, keep?: Keep): Root {
  // A CRLF document is read as its LF form, where the readers of markdown-*.ts take its lines.
  try {
    return (
      parseCrlf(source, (lf) => parseChunks(lf, safeCuts(lf, every), keep)) ??
      parseChunks(source, safeCuts(source, every), keep)
    );
  } finally {
    forgetLines();
  }
}

/**
 * The document parsed in chunks cut at `cuts` (exported for tests: a cut that is not safe is
 * caught). With `keep`, a chunk's nodes are pruned once the next chunk's first node is joined to
 * their last where a cut split a list (joinList reads both whole).
 */
export function parseChunks(source: string, cuts: readonly number[], keep?: Keep): Root {
  if (cuts.length === 0) {
    const root = parseChunk(source, true, keep);
    if (keep !== undefined) root.children = keep(root.children, source);
    return root;
  }
  const root: Root = {
    type: 'root',
    children: [],
    position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
  };
  let start = 0;
  let line = 1;
  /** With keep: the last chunk's nodes that are not blank lines, not pruned yet. */
  let held: RootContent[] = [];
  for (const cut of [...cuts, source.length]) {
    let end = cut;
    let chunk = source.slice(start, end);
    let children: RootContent[] | undefined;
    // Blank lines make no node (a chunk inside a run of them, safeCuts): micromark took 10 s a megabyte.
    if (/^[ \t\n]*$/.test(chunk)) children = [];
    else if (end < source.length) {
      children = parseChunk(chunk + CHUNK_END, start === 0, keep).children;
      const last = children.pop();
      if (last?.type !== 'leafDirective' || last.position?.start.offset !== chunk.length) {
        // Never seen (safeCuts would be wrong): the rest is parsed as one chunk, as it is.
        end = source.length;
        chunk = source.slice(start);
        children = undefined;
      }
    }
    children ??= parseChunk(chunk, start === 0, keep).children;
    for (const child of children) shift(child, start, line - 1);
    // A cut between two items of a list (markdown-list-cuts.ts): the chunk's list goes on the one before.
    const before = keep === undefined ? root.children.at(-1) : held.at(-1);
    const joined = start > 0 && children.length > 0 && joinList(before, children[0]!, start, source);
    if (keep === undefined) for (let i = joined ? 1 : 0; i < children.length; i++) root.children.push(children[i]!);
    else if (children.length > (joined ? 1 : 0)) {
      append(root.children, keep(held, source));
      held = joined ? children.slice(1) : children;
    }
    line += countLines(chunk);
    start = end;
    if (end === source.length) break;
  }
  if (keep !== undefined) append(root.children, keep(held, source));
  const lastLine = source.slice(source.lastIndexOf('\n') + 1);
  root.position!.end = { line, column: lastLine.length + 1, offset: source.length };
  return root;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
