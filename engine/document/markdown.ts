/**
 * The Markdown parser: remark-parse with GFM, YAML frontmatter and directive syntax.
 *
 * micromark splices its event array whenever a container (a list, a block quote) closes, which
 * makes documents of many short lists between paragraphs quadratic: 256 KB of them took 30 s.
 * So a long document is parsed in chunks cut at places where no block construct can continue
 * (a blank line, then a line starting in column 1, outside fences, directive containers, HTML
 * blocks and the frontmatter), and the chunks' positions are shifted back into place. Nothing
 * Stepwise reads changes: prose is kept as source text, and steps never span such a place.
 */
import type { Nodes, Root, RootContent } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkFrontmatter, ['yaml'])
  .use(remarkDirective)
  .freeze();
/** For chunks after the first: a `---` there is a thematic break, never frontmatter. */
const bodyProcessor = unified().use(remarkParse).use(remarkGfm).use(remarkDirective).freeze();

/** Chunks are cut at the first safe place after this many characters. */
const CHUNK = 4096;

export function parseMarkdown(source: string): Root {
  const cuts = safeCuts(source, CHUNK);
  if (cuts.length === 0) return processor.parse(source);
  const root: Root = {
    type: 'root',
    children: [],
    position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
  };
  let start = 0;
  let line = 1;
  for (const end of [...cuts, source.length]) {
    const chunk = source.slice(start, end);
    const tree = (start === 0 ? processor : bodyProcessor).parse(chunk);
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
      const atStart = !blank && !/^[ \t]/.test(line);
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
