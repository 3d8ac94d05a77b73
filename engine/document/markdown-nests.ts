/**
 * Deep nests of `:::` directive containers, built without micromark nesting them.
 *
 * micromark gives each container a child tokenizer and copies the events of everything inside it
 * into its parent's, once per level: a nest of 255 `:::if` containers cost ~0.7 s, and 1 MB of
 * them minutes (issue #13 item 5). A nest that micromark reads in a known way is built here: at
 * the top level, after a blank line (or the text's start), NEST or more lines opening a container
 * with exactly three colons, then content with no fence, colon fence or HTML in it, then a line
 * `:::`. micromark closes the outermost container at that line (the other `:::` lines after it
 * are a paragraph), the inner ones end at its start. The nest is handed to micromark as a fenced
 * code block of the same extent (every offset kept); each opening line is parsed alone (its name,
 * attributes and label), the content alone, and the nodes are put together in place of the code
 * block. When the code block does not come back at the top level with the nest's extent, nothing
 * is replaced and the caller parses the text as it is.
 */
import type { ContainerDirective } from 'mdast-util-directive';
import type { Root, RootContent } from 'mdast';
import { append } from '../append.js';
import { shift } from './markdown-shift.js';

/** Nests shallower than this are parsed as they are: no real runbook nests this deep. */
const NEST = 16;

const OPENER = /^:::[A-Za-z][^\r\n]*$/;
/** Lines that could close or open a container, open code or HTML: not in a nest's content. */
const UNSAFE_CONTENT = /^[ \t]*(?::{3}|`{3}|~{3}|<)|\r/;

export interface Nest {
  start: number;
  /** Offset after the closing `:::`. */
  end: number;
  openers: { start: number; end: number }[];
  content: { start: number; end: number };
}

/** The nests in `text`, each after a blank line (or at the start). */
export function findNests(text: string): Nest[] {
  if (!text.includes(':::')) return [];
  const nests: Nest[] = [];
  let afterBlank = true;
  let pos = 0;
  while (pos < text.length) {
    const lineEnd = endOf(text, pos);
    if (afterBlank && text.startsWith(':::', pos)) {
      const nest = nestAt(text, pos);
      if (nest) {
        nests.push(nest);
        pos = nest.end + 1;
        afterBlank = false;
        continue;
      }
    }
    afterBlank = /^[ \t]*$/.test(text.slice(pos, lineEnd));
    pos = lineEnd + 1;
  }
  return nests;
}

function endOf(text: string, pos: number): number {
  const newline = text.indexOf('\n', pos);
  return newline === -1 ? text.length : newline;
}

function nestAt(text: string, start: number): Nest | null {
  const openers: { start: number; end: number }[] = [];
  let pos = start;
  while (pos < text.length) {
    const end = endOf(text, pos);
    if (!OPENER.test(text.slice(pos, end))) break;
    openers.push({ start: pos, end });
    pos = end + 1;
  }
  if (openers.length < NEST) return null;
  const contentStart = pos;
  while (pos < text.length) {
    const end = endOf(text, pos);
    const line = text.slice(pos, end);
    if (line === ':::') return { start, end, openers, content: { start: contentStart, end: pos } };
    if (UNSAFE_CONTENT.test(line)) return null;
    pos = end + 1;
  }
  return null;
}

/** Whether `offset` is inside one of the nests (where nothing else is to be turned into code). */
export function inNest(nests: readonly Nest[], offset: number): boolean {
  return nests.some((nest) => nest.start <= offset && offset < nest.end);
}

/** `text` with each nest turned into a fenced code block of the same extent. */
export function nestsAsFences(text: string, nests: readonly Nest[]): string {
  let out = '';
  let from = 0;
  for (const nest of nests) {
    const first = nest.openers[0]!;
    out += `${text.slice(from, first.start)}~~~${'x'.repeat(first.end - first.start - 3)}`;
    out += `${text.slice(first.end, nest.end - 3)}~~~`;
    from = nest.end;
  }
  return out + text.slice(from);
}

/**
 * Replaces, in `tree` (parsed from nestsAsFences' text), each nest's code block by the nest.
 * `parse` parses a piece alone. False, with the tree untouched, when a nest did not come back as
 * a code block of its extent at the top level, or a piece did not parse as expected.
 */
export function restoreNests(
  tree: Root,
  nests: readonly Nest[],
  text: string,
  parse: (markdown: string) => Root,
): boolean {
  if (nests.length === 0) return true;
  const byStart = new Map(nests.map((nest) => [nest.start, nest]));
  const built = new Map<number, RootContent>();
  for (const [index, child] of tree.children.entries()) {
    const nest = child.type === 'code' ? byStart.get(child.position?.start.offset ?? -1) : undefined;
    if (nest === undefined) continue;
    if (child.position?.end.offset !== nest.end) return false;
    const node = buildNest(nest, text, child.position.start.line, parse);
    if (node === null) return false;
    built.set(index, node);
  }
  if (built.size !== nests.length) return false;
  for (const [index, node] of built) tree.children[index] = node;
  return true;
}

function buildNest(nest: Nest, text: string, firstLine: number, parse: (markdown: string) => Root): RootContent | null {
  const closerLine = firstLine + countLines(text, nest.start, nest.end - 3);
  const closerStart = nest.end - 3;
  const content = parse(text.slice(nest.content.start, nest.content.end));
  const contentLine = firstLine + nest.openers.length;
  const inner = content.children;
  for (const node of inner) shift(node, nest.content.start, contentLine - 1);
  const cache = new Map<string, ContainerDirective | null>();
  let children: RootContent[] = inner;
  for (let i = nest.openers.length - 1; i >= 0; i--) {
    const opener = nest.openers[i]!;
    const line = text.slice(opener.start, opener.end);
    if (!cache.has(line)) {
      const alone = parse(`${line}\n:::\n`).children;
      const one = alone.length === 1 && alone[0]!.type === 'containerDirective' ? alone[0] : null;
      cache.set(line, one?.position?.end.offset === line.length + 4 ? one : null);
    }
    const template = cache.get(line);
    if (!template) return null;
    const node = structuredClone(template);
    for (const child of node.children) shift(child, opener.start, firstLine + i - 1);
    append(node.children, children as ContainerDirective['children']);
    node.position = {
      start: { line: firstLine + i, column: 1, offset: opener.start },
      end:
        i === 0
          ? { line: closerLine, column: 4, offset: nest.end }
          : { line: closerLine, column: 1, offset: closerStart },
    };
    children = [node];
  }
  return children[0]!;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
