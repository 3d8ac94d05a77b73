/**
 * The Markdown parser: remark-parse with GFM, YAML frontmatter and directive syntax.
 *
 * micromark splices its event array whenever a container (a list, a block quote) closes, which
 * makes documents of many short lists between paragraphs quadratic: 256 KB of them took 30 s.
 * So a long document is parsed in chunks cut at places where no block construct can continue
 * (a blank line, then a line starting in column 1, outside fences, directive containers, HTML
 * blocks and the frontmatter), and the chunks' positions are shifted back into place. Nothing
 * Stepwise reads changes: prose is kept as source text, and steps never span such a place.
 *
 * Stepwise reads the blocks (headings, directives, code, paragraphs' extent) and, of the inline
 * content, only the headings' text. So each chunk is parsed for its blocks only, with micromark's
 * inline constructs turned off (emphasis, links, code spans, HTML, autolinks, text directives,
 * strikethrough, footnote calls): inline parsing was most of the time, and all of the
 * pathological cases (runs of `a_ `, `[a`, unclosed links) that took minutes on 1 MB. Then
 * each heading's text is parsed alone, in full, with the link definitions of its chunk (where
 * the whole-chunk parse found them); a heading over several lines, or calling a footnote, has its
 * chunk parsed in full as before.
 *
 * Long runs of link definitions, table rows, footnote definitions and deeply quoted lines, lists,
 * and deep nests of `:::` containers, are read without micromark's constructs for them, which
 * took 2.6 to 13 times as long as prose, and minutes a megabyte for the nests; so are paragraphs
 * of plain text, most of what was left of prose's time (markdown-*.ts).
 */
import type { Definition, Heading, Nodes, Root, RootContent } from 'mdast';
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
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { findDefinitionRuns, restoreDefinitions } from './markdown-definitions.js';
import { findFootnoteRuns, restoreFootnotes } from './markdown-footnotes.js';
import { findNests, inNest, nestsAsFences, restoreNests } from './markdown-nests.js';
import { buildProse, findProseRuns, type ProseRun, restoreProse } from './markdown-prose.js';
import { findQuoteRuns, restoreQuotes } from './markdown-quotes.js';
import { runsAsFences } from './markdown-stand-ins.js';
import { findRowRuns, restoreRows } from './markdown-tables.js';
import { textOf } from './text-of.js';

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
const blockExtensions = [gfmFootnote(), gfmTable(), gfmTaskListItem(), blockDirective, { disable: { null: INLINE } }];
const blockMdast = [
  gfmFootnoteFromMarkdown(),
  gfmTableFromMarkdown(),
  gfmTaskListItemFromMarkdown(),
  directiveFromMarkdown(),
];
const firstBlockExtensions = [...blockExtensions.slice(0, 3), frontmatter(['yaml']), ...blockExtensions.slice(3)];
const firstBlockMdast = [...blockMdast.slice(0, 3), frontmatterFromMarkdown(['yaml']), ...blockMdast.slice(3)];

/** Headings longer than this keep their text as written (their inline syntax is not parsed). */
const LONGEST_HEADING = 4096;

/**
 * A chunk's blocks; long runs of link definitions, table rows, footnote definitions and deeply
 * quoted lines, lists and paragraphs of plain text, and deep nests of `:::` containers, are read
 * by markdown-definitions.ts, markdown-tables.ts, markdown-footnotes.ts, markdown-quotes.ts,
 * markdown-prose.ts (lists and paragraphs) and markdown-nests.ts, or, when those cannot be sure,
 * by micromark.
 */
function parseBlocks(text: string, first: boolean): Root {
  const parse = (markdown: string): Root => micromarkBlocks(markdown, first);
  const nests = findNests(text);
  const prose = findProseRuns(text, first, (start) => !inNest(nests, start));
  const apart = prose.filter((run) => run.topLevel && run.end - run.start >= APART);
  if (apart.length > 0) return parseAround(text, first, apart);
  const definitions = findDefinitionRuns(text).filter((run) => !inNest(nests, run.start));
  const rows = findRowRuns(text).filter((run) => !inNest(nests, run.start));
  const footnotes = findFootnoteRuns(text).filter((run) => !inNest(nests, run.start));
  const quotes = findQuoteRuns(text).filter((run) => !inNest(nests, run.start));
  const found = [rows, definitions, footnotes, quotes, prose];
  if (nests.length === 0 && found.every((runs) => runs.length === 0)) return parse(text);
  let fenced = nestsAsFences(text, nests);
  for (const runs of found) fenced = runsAsFences(fenced, runs);
  const tree = parse(fenced);
  const alone = (piece: string): Root => parseBlocks(piece, false);
  return restoreDefinitions(tree, definitions, text) &&
    restoreRows(tree, rows, text) &&
    restoreFootnotes(tree, footnotes, text) &&
    restoreQuotes(tree, quotes, text) &&
    restoreProse(tree, prose, text) &&
    restoreNests(tree, nests, text, alone)
    ? tree
    : parse(text);
}

/** Prose runs at least this long, outside containers, are built without micromark (parseAround). */
const APART = 1024;

/**
 * A chunk's blocks, its long prose runs built without micromark at all: a stand-in still costs
 * micromark every character it covers. Nothing before a prose run goes on into it and nothing in
 * it goes on past its end (markdown-prose.ts), and outside containers nothing is still open at
 * its start, so the text between runs is parsed apart, each piece from its first line, and its
 * nodes are moved into place.
 */
function parseAround(text: string, first: boolean, runs: readonly ProseRun[]): Root {
  const children: RootContent[] = [];
  let from = 0;
  let line = 1;
  const piece = (to: number): void => {
    if (!/\S/.test(text.slice(from, to))) return;
    for (const child of parseBlocks(text.slice(from, to), first && from === 0).children) {
      shift(child, from, line - 1);
      children.push(child);
    }
  };
  for (const run of runs) {
    piece(run.start);
    const firstRow = run.lines[0]!.row;
    children.push(...buildProse(run, text, firstRow + 1));
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

/** One chunk: its blocks, and its headings' text from a full parse of each. */
function parseChunk(text: string, first: boolean): Root {
  const tree = parseBlocks(text, first);
  const headings: Heading[] = [];
  const definitions: Definition[] = [];
  let footnotes = false;
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'heading') headings.push(node);
    else if (node.type === 'definition') definitions.push(node);
    else if (node.type === 'footnoteDefinition') footnotes = true;
    if (node.type !== 'heading' && 'children' in node) for (const child of node.children) stack.push(child as Nodes);
  }
  if (headings.length === 0) return tree;
  let defs: string | undefined;
  for (const heading of headings) {
    if (heading.children.length === 0) continue;
    const from = heading.children[0]!.position?.start.offset;
    const to = heading.children[heading.children.length - 1]!.position?.end.offset;
    if (from === undefined || to === undefined) return (first ? processor : bodyProcessor).parse(text);
    const raw = text.slice(from, to);
    if (raw.includes('\n') || (footnotes && raw.includes('[^'))) return (first ? processor : bodyProcessor).parse(text); // as it always was: the whole chunk in full
    if (raw.length > LONGEST_HEADING) {
      // No heading is this long; parsing its inline content could take minutes (runs of `*a _`).
      heading.children = [{ type: 'text', value: raw, position: heading.children[0]!.position }];
      continue;
    }
    defs ??= definitions.map((d) => text.slice(d.position!.start.offset, d.position!.end.offset)).join('\n');
    const alone = bodyProcessor.parse(raw.includes('[') && defs !== '' ? `# ${raw}\n\n${defs}\n` : `# ${raw}\n`);
    const parsed = alone.children[0];
    const value = parsed?.type === 'heading' ? textOf(parsed) : raw;
    heading.children = [{ type: 'text', value, position: heading.children[0]!.position }];
  }
  return tree;
}

/** Chunks are cut at the first safe place after this many characters. */
const CHUNK = 4096;

export function parseMarkdown(source: string): Root {
  const cuts = safeCuts(source, CHUNK);
  if (cuts.length === 0) return parseChunk(source, true);
  const root: Root = {
    type: 'root',
    children: [],
    position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
  };
  let start = 0;
  let line = 1;
  for (const end of [...cuts, source.length]) {
    const chunk = source.slice(start, end);
    const tree = parseChunk(chunk, start === 0);
    for (const child of tree.children) {
      shift(child, start, line - 1);
      root.children.push(child);
    }
    line += countLines(chunk);
    start = end;
  }
  const lastLine = source.slice(source.lastIndexOf('\n') + 1);
  root.position!.end = { line, column: lastLine.length + 1, offset: source.length };
  return root;
}

function shift(node: Nodes | RootContent, offset: number, lines: number): void {
  const stack: (Nodes | RootContent)[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const position = current.position;
    if (position) {
      position.start = {
        line: position.start.line + lines,
        column: position.start.column,
        offset: (position.start.offset ?? 0) + offset,
      };
      position.end = {
        line: position.end.line + lines,
        column: position.end.column,
        offset: (position.end.offset ?? 0) + offset,
      };
    }
    if ('children' in current) for (const child of current.children) stack.push(child);
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const COLON_FENCE = /^(:{3,})(.*)$/;
const HTML_OPEN: [RegExp, string][] = [
  [/^ {0,3}<(script|pre|style|textarea)(\s|>|$)/i, '</'],
  [/^ {0,3}<!--/, '-->'],
  [/^ {0,3}<\?/, '?>'],
  [/^ {0,3}<![A-Za-z]/, '>'],
  [/^ {0,3}<!\[CDATA\[/, ']]>'],
];

/** A list item's first line: after a blank line it may go on with the list above it. */
const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;

/** Offsets of line starts where the document can be cut without changing any block. */
export function safeCuts(source: string, every: number): number[] {
  if (source.length <= every) return [];
  const cuts: number[] = [];
  let fence: string | null = null;
  const containers: number[] = [];
  let htmlEnd: string | null = null;
  let previousBlank = false;
  let lastCut = 0;
  let pos = 0;
  if (/^---\r?\n/.test(source)) {
    const close = /\n---[ \t]*\r?\n/.exec(source);
    if (!close) return [];
    pos = close.index + close[0].length;
  }
  while (pos < source.length) {
    const newline = source.indexOf('\n', pos);
    const end = newline === -1 ? source.length : newline;
    const line = source.slice(pos, end).replace(/\r$/, '');
    const blank = line.trim() === '';
    if (fence !== null) {
      const m = FENCE.exec(line);
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.slice(m[0].length).trim() === '')
        fence = null;
    } else if (htmlEnd !== null) {
      if (line.includes(htmlEnd)) htmlEnd = null;
    } else {
      // Not before a list item: after blank lines, one goes on with a list above (a loose list).
      const atStart = !blank && !/^[ \t]/.test(line) && !LIST_ITEM.test(line);
      if (atStart && previousBlank && containers.length === 0 && pos - lastCut >= every) {
        cuts.push(pos);
        lastCut = pos;
      }
      const f = FENCE.exec(line);
      const c = COLON_FENCE.exec(line);
      if (f) {
        if (!(f[1]![0] === '`' && line.slice(f[0].length).includes('`'))) fence = f[1]!;
      } else if (c) {
        if (c[2]!.trim() === '') {
          if (containers.length > 0 && c[1]!.length >= containers[containers.length - 1]!) containers.pop();
        } else if (/^[A-Za-z]/.test(c[2]!)) containers.push(c[1]!.length);
      } else {
        for (const [open, close] of HTML_OPEN) {
          if (open.test(line) && !line.slice(line.search(/</) + 2).includes(close)) {
            htmlEnd = close;
            break;
          }
        }
      }
    }
    previousBlank = blank;
    pos = end + 1;
  }
  return cuts;
}
