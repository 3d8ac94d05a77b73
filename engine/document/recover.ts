/**
 * Recovery from lines meant as directives that did not parse (`::http{path=/x?a=1}`: an `=` in an
 * unquoted value, an unclosed `{`, `[` or quote). Markdown reads such a line as the start of a
 * paragraph, and a paragraph runs on over the lines after it, so the steps written there would be
 * lost with it. Each such line is found and blanked out (spaces, so every offset stays where it
 * is) in the text given to the Markdown parser, which then resumes at the next line. The caller
 * reports each line once and keeps the original text as prose.
 */
import type { Nodes, Root } from 'mdast';

export interface MalformedLine {
  /** Offset of the first colon. */
  start: number;
  /** End of the line, before `\r\n` or `\n`. */
  end: number;
  /** The directive name as written. */
  name: string;
  /** How many colons open it: 2 for a leaf, 3 or more for a container. */
  colons: number;
}

const HEAD = /^(:{2,})([^\s\p{P}\p{S}][\w-]*)/u;

/**
 * Lines inside paragraphs that start like a directive whose name `isStepName` accepts. Such a
 * line can be the paragraph's first line or any later one (a paragraph swallows what follows it).
 */
export function findMalformedLines(tree: Root, text: string, isStepName: (name: string) => boolean): MalformedLine[] {
  const found: MalformedLine[] = [];
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'paragraph') {
      if (node.data && 'directiveLabel' in node.data && node.data.directiveLabel) continue;
      const from = node.position?.start.offset;
      const to = node.position?.end.offset;
      if (from === undefined || to === undefined) continue;
      let lineStart = from;
      let contentStart = from;
      while (lineStart < to) {
        const newline = text.indexOf('\n', lineStart);
        const lineEnd = newline === -1 ? text.length : newline;
        const end = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
        // HEAD starts with two colons: no copy of every other line to find it does not match.
        const m =
          text.charCodeAt(contentStart) === 58 && text.charCodeAt(contentStart + 1) === 58
            ? HEAD.exec(text.slice(contentStart, end))
            : null;
        if (m && isStepName(m[2]!)) found.push({ start: contentStart, end, name: m[2]!, colons: m[1]!.length });
        if (newline === -1) break;
        lineStart = newline + 1;
        contentStart = lineStart;
        while (
          contentStart < to &&
          (text[contentStart] === ' ' || text[contentStart] === '\t' || text[contentStart] === '>')
        )
          contentStart++;
      }
      continue;
    }
    if ('children' in node) for (const child of node.children) stack.push(child as Nodes);
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * The text with each malformed line blanked out; for a container (`:::name`), its closing fence
 * too, so that it does not close an enclosing container or stand as a stray `:::`.
 */
export function blankLines(text: string, lines: readonly MalformedLine[]): string {
  const ranges: [number, number][] = [];
  for (const line of lines) {
    ranges.push([line.start, line.end]);
    if (line.colons >= 3) {
      const closer = closingFence(text, line.end, line.colons);
      if (closer) ranges.push(closer);
    }
  }
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let cursor = 0;
  for (const [from, to] of ranges) {
    if (from < cursor) continue;
    out += text.slice(cursor, from) + ' '.repeat(to - from);
    cursor = to;
  }
  return out + text.slice(cursor);
}

const FENCE = /^(`{3,}|~{3,})/;

/** The `:::` line closing a container opened just before `from` with `colons` colons, if there is one of its own. */
function closingFence(text: string, from: number, colons: number): [number, number] | null {
  let pos = text.indexOf('\n', from);
  let fence: string | null = null;
  let depth = 0;
  while (pos !== -1 && pos < text.length) {
    const lineStart = pos + 1;
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const end = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    let start = lineStart;
    while (start < end && (text[start] === ' ' || text[start] === '\t' || text[start] === '>')) start++;
    const line = text.slice(start, end);
    pos = newline;
    if (fence !== null) {
      const m = FENCE.exec(line);
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.slice(m[0].length).trim() === '')
        fence = null;
      continue;
    }
    const f = FENCE.exec(line);
    if (f) {
      fence = f[1]!;
      continue;
    }
    const close = /^(:{3,})[ \t]*$/.exec(line);
    if (close) {
      const n = close[1]!.length;
      if (depth > 0) depth--;
      else if (n === colons) return [start, end];
      else if (n > colons) return null; // it closes an enclosing container: this one was never closed
      continue;
    }
    if (/^:{3,}[^\s:]/.test(line)) depth++;
  }
  return null;
}
