/**
 * `:::` directive containers holding fenced code, plain paragraphs, leaf directives and such
 * containers, built without micromark:
 * a runbook's steps in the container form (`:::sql{#q target=db}`, a fenced query, `:::`), the
 * commonest shape of a real runbook, cost micromark a container, a child document and a fence
 * each: 10,000 of them with an assert each (455 KB) took 2.5 s to check. With them, prose runs
 * (markdown-prose.ts) go on through the steps as through leaf directives.
 *
 * A container is taken when micromark certainly reads it as written
 * (micromark-extension-directive's directive-container.js): its opening line in the first column
 * (OPENING: PLAIN_CONTAINER of markdown-plain.ts, colons, a name, a label with no white space at
 * its ends, plain attributes, but with escapes and character references in the label too), outside code, HTML blocks and the frontmatter, where no line
 * since the last blank one may have opened an HTML block of types 6 or 7 or be a table's (CLEAR);
 * then blank lines, plain paragraphs (markdown-plain.ts, in the first column), plain fenced code
 * (markdown-fences.ts), plain leaf directives (PLAIN_LEAF, as markdown-leaf-lines.ts reads them)
 * and such containers of fewer colons (`::::if` around steps), nothing else; then a closing line
 * in the first column: at least as many colons, then spaces, and fewer than any container around
 * it has (micromark asks the outermost first whether a line closes it). It interrupts a paragraph
 * and closes every list, block quote and footnote above it; once closed it leaves nothing open.
 * Only outside every other container (markdown-prose.ts drops the others): there its closing line
 * would close the container around it instead. Its node is built as mdast-util-directive builds
 * it: the label a paragraph marked `directiveLabel` (its text decoded, spanning it as written:
 * micromark trims a paragraph's white space as written, before decoding), the attributes as a leaf directive's
 * (markdown-leaf-lines.ts), then the content's nodes.
 */
import type { ContainerDirective } from 'mdast-util-directive';
import type { Paragraph, Root } from 'mdast';
import { decodeString } from 'micromark-util-decode-string';
import { buildFence, type FenceRun, readFence } from './markdown-fences.js';
import { buildLeafLine, type LeafLineRun, leafAttributes } from './markdown-leaf-lines.js';
import { type ChunkLine, CLEAR, chunkLines } from './markdown-literal.js';
import { shift } from './markdown-shift.js';
import { buildParagraphs } from './markdown-paragraphs.js';
import { PLAIN_CONTAINER, PLAIN_LEAF, PLAIN_TEXT } from './markdown-plain.js';

/**
 * What a container holds, in order: a paragraph (its lines), fenced code, a leaf directive or a
 * container; or, when it holds anything else, its content read as a document (`start` to `end`:
 * its lines and the line ending before the closing line; `row`: its first line's).
 */
type Content =
  | { kind: 'paragraph'; lines: ChunkLine[] }
  | { kind: 'fence'; run: FenceRun }
  | { kind: 'leaf'; run: LeafLineRun }
  | { kind: 'container'; run: ContainerRun }
  | { kind: 'document'; start: number; end: number; row: number; parse: (inner: string) => Root };

export interface ContainerRun {
  start: number;
  end: number;
  /** The opening line and the closing one. */
  lines: [ChunkLine, ChunkLine];
  /** How many colons open it. */
  size: number;
  name: string;
  /** The label with its brackets, if it has one. */
  label?: string;
  /** The attributes with their braces, if it has them. */
  attributes?: string;
  content: Content[];
}

/** PLAIN_CONTAINER's label (markdown-plain.ts): no `\\` or `&` in it. */
const PARAGRAPH_LABEL = /\[(?:[^[\]\\&`\s\0](?:[^[\]\\&`\t\r\0]*[^[\]\\&`\s\0])?)?\]/.source;
/**
 * A label micromark reads as a paragraph of text decoded: PARAGRAPH_LABEL's characters and `\`
 * and `&` (escapes and character references decoded), with no white space at either end, no
 * backslash last (`\]` ends no label), or nothing.
 */
const DECODED_LABEL = /\[(?:[^[\]\\`\s\0]|[^[\]`\s\0][^[\]`\t\r\0]*[^[\]\\`\s\0])?\]/.source;
/** PLAIN_CONTAINER with DECODED_LABEL for its label (same groups). */
const OPENING = new RegExp(PLAIN_CONTAINER.source.replace(PARAGRAPH_LABEL, DECODED_LABEL));
if (OPENING.source === PLAIN_CONTAINER.source) throw new Error('markdown-containers.ts: PLAIN_CONTAINER changed');

/** A paragraph line: plain text from the first column. */
const PLAIN_LINE = new RegExp(`^${PLAIN_TEXT}$`, 'u');
/** A line that may close a container: colons, then spaces. */
const CLOSING = /^(:{3,}) *$/;
/** A line micromark may close a container at: up to 3 spaces, colons, white space. */
const MAY_CLOSE = /^ {0,3}(:{3,})[ \t]*$/;

/**
 * The plain containers of `text` (see above), each a run of its own; `first`: the document's first
 * chunk; `parse`: the chunk's reader, given a container's content that is not plain as a document.
 */
export function findContainerRuns(text: string, first = false, parse?: (inner: string) => Root): ContainerRun[] {
  if (!text.startsWith(':::') && !text.includes('\n:::')) return [];
  const chunk = chunkLines(text, first);
  const { lines, literal, flags } = chunk;
  const runs: ContainerRun[] = [];
  for (let row = 0; row < lines.length; row++) {
    if (literal[row] || lines[row]!.charCodeAt(0) !== 58 /* : */ || (flags[row]! & CLEAR) === 0) continue;
    const run =
      readContainer(text, first, row) ?? (parse === undefined ? null : documentContainer(text, first, row, parse));
    if (run === null) continue;
    runs.push(run);
    row = run.lines[1].row;
  }
  return runs;
}

/**
 * The container opening at `row`, read to its closing line, or null when it is not taken (see
 * above). `limit`: the fewest colons of the containers around it (a line of as many closes one of
 * them first: micromark asks each container, outermost first, whether a line closes it).
 */
function readContainer(
  text: string,
  first: boolean,
  row: number,
  limit = Number.POSITIVE_INFINITY,
): ContainerRun | null {
  const chunk = chunkLines(text, first);
  const { lines, at, literal, blank } = chunk;
  const open = OPENING.exec(lines[row]!);
  if (open === null) return null;
  const size = open[1]!.length;
  if (size >= limit) return null; // (its closing line would close the one around it first)
  const content: Content[] = [];
  let paragraph: ChunkLine[] | null = null;
  for (let i = row + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (literal[i]) return null; // (a fence left open in it, an HTML block)
    const c = line.charCodeAt(0);
    if (c === 58 /* : */) {
      // A leaf directive or a container inside (each interrupts a paragraph), or the closing line.
      paragraph = null;
      if (line.charCodeAt(2) !== 58) {
        const leaf = leafLine(line, at[i]!);
        if (leaf === null) return null;
        content.push({ kind: 'leaf', run: leaf });
        continue;
      }
      const close = CLOSING.exec(line);
      if (close === null) {
        const inner = readContainer(text, first, i, size);
        if (inner === null) return null;
        content.push({ kind: 'container', run: inner });
        i = inner.lines[1].row;
        continue;
      }
      if (close[1]!.length < size || close[1]!.length >= limit) return null;
      return containerRun(open, at[row]!, at[i]!, content);
    }
    if (blank[i]) {
      paragraph = null;
      continue;
    }
    if (!PLAIN_LINE.test(line)) {
      // A fence (it interrupts a paragraph), or a line not taken.
      const fence = readFence(chunk, i);
      if (fence === null) return null;
      content.push({ kind: 'fence', run: fence });
      paragraph = null;
      i = fence.lines[1].row;
      continue;
    }
    if (paragraph === null) {
      paragraph = [];
      content.push({ kind: 'paragraph', lines: paragraph });
    }
    paragraph.push(at[i]!);
  }
  return null; // left open
}

/**
 * The container opening at `row` with any content, read as a document (markdown-inner.ts's way
 * for a quote's or an item's), or null. micromark reads a container's content as a document of
 * its own (micromark-extension-directive: a chunkDocument), with nothing taken off its lines in
 * the first column, to the first line that closes it: up to 3 spaces, at least as many colons,
 * white space, asked before the content sees the line (inside a fence it holds too). A block left
 * open in it ends where that line starts, as at the end of a document that ends in a line ending:
 * the content is given with the one before the closing line. Taken only when that line is one the
 * plain reader takes (the first column, spaces after) outside what markdown-literal.ts sees as
 * code or HTML (or its lines would be literal past the container), and the content does not
 * start with a byte order mark (which a document's start drops). `row`'s line is a container's
 * opening in the first column, clear of HTML and tables (findContainerRuns).
 */
function documentContainer(
  text: string,
  first: boolean,
  row: number,
  parse: (inner: string) => Root,
): ContainerRun | null {
  const { lines, at, literal } = chunkLines(text, first);
  const open = OPENING.exec(lines[row]!);
  if (open === null) return null;
  const size = open[1]!.length;
  for (let i = row + 1; i < lines.length; i++) {
    const close = MAY_CLOSE.exec(lines[i]!);
    if (close === null || close[1]!.length < size) continue;
    if (literal[i] || !CLOSING.test(lines[i]!)) return null;
    const start = at[row + 1]!.start;
    const end = at[i]!.start;
    if (text.charCodeAt(start) === 0xfeff) return null;
    return containerRun(
      open,
      at[row]!,
      at[i]!,
      end > start ? [{ kind: 'document', start, end, row: row + 1, parse }] : [],
    );
  }
  return null; // left open
}

/**
 * A text that is one container nothing closes, from its first line (OPENING's, in the first column)
 * to the text's end, its content (the lines after the first) read as a document, as micromark reads
 * it; null for any other text. What a list item's content leaving a container open reads as, with
 * the blank lines after it (markdown-inner.ts, InnerAfter): `- :::note` a line, 1 MB of them, each
 * a micromark parse otherwise.
 */
export function openContainerDocument(text: string, parse: (inner: string) => Root): ContainerDirective | null {
  if (text.charCodeAt(0) !== 58 /* : */) return null;
  const newline = text.indexOf('\n');
  const open = OPENING.exec(newline === -1 ? text : text.slice(0, newline));
  if (open === null) return null;
  const size = open[1]!.length;
  let rows = 0;
  for (let at = newline; at !== -1; rows++) {
    const next = text.indexOf('\n', at + 1);
    const close = MAY_CLOSE.exec(text.slice(at + 1, next === -1 ? text.length : next));
    if (close !== null && close[1]!.length >= size) return null;
    at = next;
  }
  const start = newline + 1;
  if (newline !== -1 && text.charCodeAt(start) === 0xfeff) return null;
  const opening: ChunkLine = { start: 0, end: newline === -1 ? text.length : newline, row: 0 };
  const closing: ChunkLine = { start: text.lastIndexOf('\n') + 1, end: text.length, row: rows };
  const content: Content[] =
    newline !== -1 && text.length > start ? [{ kind: 'document', start, end: text.length, row: 1, parse }] : [];
  return buildContainer(containerRun(open, opening, closing, content), text, 1);
}

/** The run of a container opening on `opening` (OPENING's match `open`) and closing on `closing`. */
function containerRun(open: RegExpExecArray, opening: ChunkLine, closing: ChunkLine, content: Content[]): ContainerRun {
  const run: ContainerRun = {
    start: opening.start,
    end: closing.end,
    lines: [opening, closing],
    size: open[1]!.length,
    name: open[2]!,
    content,
  };
  if (open[3] !== undefined) run.label = open[3];
  if (open[4] !== undefined) run.attributes = open[4];
  return run;
}

/** A plain leaf directive alone on its line (PLAIN_LEAF), as markdown-leaf-lines.ts reads one, or null. */
function leafLine(line: string, at: ChunkLine): LeafLineRun | null {
  const leaf = PLAIN_LEAF.exec(line);
  if (leaf === null) return null;
  const run: LeafLineRun = { start: at.start, end: at.end, lines: [at], name: leaf[1]! };
  if (leaf[2] !== undefined) run.label = leaf[2];
  if (leaf[3] !== undefined) run.attributes = leaf[3];
  return run;
}

/** The container, as micromark and mdast build it; `line`: the line it opens on. */
export function buildContainer(run: ContainerRun, text: string, line: number): ContainerDirective {
  const [opening, closing] = run.lines;
  const node: ContainerDirective = {
    type: 'containerDirective',
    name: run.name,
    attributes: run.attributes === undefined ? {} : leafAttributes(run.attributes),
    children: [],
    position: {
      start: { line, column: 1, offset: run.start },
      end: { line: line + closing.row - opening.row, column: closing.end - closing.start + 1, offset: closing.end },
    },
  };
  if (run.label !== undefined) node.children.push(label(run, line));
  for (const part of run.content) {
    if (part.kind === 'document') {
      const first = line + part.row - opening.row;
      for (const child of part.parse(text.slice(part.start, part.end)).children) {
        shift(child, part.start, first - 1);
        node.children.push(child as ContainerDirective['children'][number]);
      }
      continue;
    }
    const at = line + (part.kind === 'paragraph' ? part.lines[0]! : part.run.lines[0]).row - opening.row;
    if (part.kind === 'fence') node.children.push(buildFence(part.run, text, at));
    else if (part.kind === 'leaf') node.children.push(buildLeafLine(part.run, at));
    else if (part.kind === 'container') node.children.push(buildContainer(part.run, text, at));
    else {
      const block = {
        lines: part.lines,
        depth: 0 as const,
        textEnd: part.lines[part.lines.length - 1]!.end,
        decoded: false,
      };
      const [paragraph] = buildParagraphs({ start: 0, end: 0, lines: part.lines, paragraphs: [block] }, text, at);
      node.children.push(paragraph!);
    }
  }
  return node;
}

/** The label's paragraph, marked as the label: its text decoded, spanning it as written; none for `[]`. */
function label(run: ContainerRun, line: number): Paragraph {
  const column = run.size + run.name.length + 1;
  const offset = run.start + column - 1;
  const raw = run.label!.slice(1, -1);
  const paragraph: Paragraph = {
    type: 'paragraph',
    data: { directiveLabel: true },
    children: [],
    position: {
      start: { line, column, offset },
      end: { line, column: column + raw.length + 2, offset: offset + raw.length + 2 },
    },
  };
  if (raw !== '')
    paragraph.children.push({
      type: 'text',
      value: raw.includes('\\') || raw.includes('&') ? decodeString(raw) : raw,
      position: {
        start: { line, column: column + 1, offset: offset + 1 },
        end: { line, column: column + 1 + raw.length, offset: offset + 1 + raw.length },
      },
    });
  return paragraph;
}
