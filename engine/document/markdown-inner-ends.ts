/**
 * Where micromark ends what a container's content holds otherwise than a document ends it, and
 * so where markdown-inner.ts's reading of a content as a document is moved to, or given up on:
 * lists a later list ends, items in a footnote definition, lists and footnotes before a quote's
 * empty last line, quotes an empty line closes, and code, HTML and `:::` containers left open.
 */
import type { Nodes, RootContent } from 'mdast';
import type { Point } from 'unist';
import { endsAtBlankLine } from './markdown-html.js';
import { HTML_OPEN, htmlBlockEnd } from './markdown-literal.js';
import { copyPoint } from './markdown-shift.js';

/**
 * Containers (micromark's document tokenizer's, not `:::`, whose fences close it): a later line of
 * the container they are in closes them past its prefix (see markdown-inner.ts).
 */
export const CONTAINERS = new Set(['list', 'listItem', 'blockquote', 'footnoteDefinition']);

/**
 * Whether a container in a content ends where micromark ends it in a container too: at the
 * content's end, or it is a list item with another after it (mdast ends such an item at its last
 * line ending, wherever the tokenizer stood, and so what it ends with: place), on the next line
 * when it ends with a container.
 */
export function endsAlike(
  node: Nodes,
  next: Nodes | undefined,
  content: string,
  offset: number,
  items: boolean,
): boolean {
  const at = (node.position?.end.offset ?? -1) - offset;
  if (at === content.length) return true;
  if (!items || node.type !== 'listItem' || next?.type !== 'listItem') return false;
  const last = node.children[node.children.length - 1];
  // One ending in a container ends so only where the next item starts on the line after it: over
  // an empty line between, micromark ends it and that container past the empty line's prefix.
  return (
    last !== undefined && (!CONTAINERS.has(last.type) || next.position!.start.line === node.position!.end.line + 1)
  );
}

/** A closing fence: up to 3 spaces, 3 or more backticks, tildes or colons (a `:::` container's), spaces. */
export const CLOSING_FENCE = /^ {0,3}(`{3,}|~{3,}|:{3,})[ \t]*$/;

/** The fence a fenced code block or `:::` container's first line opens with (`''` for none). */
export const openingFence = (line: string): string => /^(`{3,}|~{3,}|:{3,})/.exec(line)?.[1] ?? '';

/**
 * Whether the content ends in a block only its container's end closes: an HTML block that blank
 * lines go on in (a comment, `<pre>`), or code or a `:::` container that its own fence does not
 * close on the content's last line. micromark ends those where it stands when the container
 * closes, on a line after it, not where the content ends. An HTML block that a blank line ends
 * (`<div>`, `<span>` alone: markdown-html.ts, endsAtBlankLine) ends at the content's end at the
 * latest: `- <div>` then `- b`, or a blank line, ends the HTML where `<div>` does.
 */
export function endsOpen(nodes: readonly RootContent[], content: string, offset: number): boolean {
  return openChain(nodes, content, offset) !== null;
}

/**
 * Whether an HTML block of types 1 to 5 (a comment, `<pre>`, ...) holds the end it runs to: on its
 * first line after the opening, or on a line after it (micromark looks for it within each line).
 */
function htmlClosed(value: string): boolean {
  const lines = value.split('\n');
  const html = HTML_OPEN.find(([opening]) => opening.test(lines[0]!));
  if (html === undefined) return false;
  return htmlBlockEnd(lines[0]!) === null || lines.slice(1).some((line) => html[1].test(line));
}

/** The start of a line of indented code: 4 columns of spaces, or a tab within them. */
export const INDENTED_CODE = /^(?: {4}| {0,3}\t)/;

/**
 * The nodes last in the content, from the outermost down to the block left open at its end (see
 * endsOpen), or null when it leaves none open.
 */
export function openChain(nodes: readonly RootContent[], content: string, offset: number): Nodes[] | null {
  const chain: Nodes[] = [];
  let last: Nodes | undefined = nodes[nodes.length - 1];
  while (last !== undefined) {
    chain.push(last);
    if (last.type === 'html')
      return endsAtBlankLine(content.slice(last.position!.start.offset! - offset)) || htmlClosed(last.value)
        ? null
        : chain;
    if (last.type === 'code' || last.type === 'containerDirective') {
      const from = content.slice(last.position!.start.offset! - offset);
      const fence = CLOSING_FENCE.exec(content.slice(content.lastIndexOf('\n') + 1));
      const opening = openingFence(from.trimStart());
      // A closing fence is of the opening's character, and at least as long.
      const open =
        fence === null ||
        last.position!.start.line === last.position!.end.line ||
        fence[1]![0] !== opening[0] ||
        fence[1]!.length < opening.length;
      return open ? chain : null;
    }
    last = 'children' in last ? (last.children[last.children.length - 1] as Nodes | undefined) : undefined;
  }
  return null;
}

/**
 * In a footnote definition, mdast ends a list item that has another after it where the next one's
 * text starts (past its marker: micromark marks the definition's indent otherwise than the other
 * containers' prefixes, where mdast's walk back over an item's last line endings stops): each such
 * item, moved there, and its new end point. Only where nothing last in the item is a container and
 * the next item's text is on its marker's line. The empty lines between two items are the first
 * one's there: they spread it, not the list (mdast-util-from-markdown, prepareList), so no list in
 * a footnote definition is spread by them.
 */
export function itemsMeet(nodes: readonly RootContent[]): Set<unknown> {
  const met = new Set<unknown>();
  const stack: Nodes[] = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'list') {
      for (let i = 0; i + 1 < node.children.length; i++) {
        const item = node.children[i]!;
        const next = node.children[i + 1]!;
        const last = item.children[item.children.length - 1];
        const text = next.children[0];
        if (last === undefined || CONTAINERS.has(last.type) || text === undefined) continue;
        if (text.position!.start.line !== next.position!.start.line) continue;
        // (An item the code left open in runs on to the next one's line: the blank lines are the code's.)
        if (next.position!.start.line > item.position!.end.line + 1) item.spread = true;
        item.position!.end = copyPoint(text.position!.start);
        met.add(item);
        met.add(item.position!.end);
      }
      node.spread = false;
    }
    if ('children' in node) for (const child of node.children) stack.push(child as Nodes);
  }
  return met;
}

/** The containers containersMeet moved: they end where the next one starts in any container around them too. */
const moved = new WeakSet<object>();

/** Whether containersMeet moved the node's end to where the next one starts (a quote in a quote: `> > [^a]: b`). */
export const movedToNext = (node: object): boolean => moved.has(node);

/**
 * A deep copy of parsed nodes (plain objects, arrays and primitives, as mdast is), the nodes
 * containersMeet moved marked so in the copy too. Recursive: for small trees only (markdown-inner.ts
 * copies contents of a few hundred characters). Positions and children are copied as what they
 * are (2.5 times as fast as a walk of every key's value alone, 13 times structuredClone).
 */
export function copyNodes<T extends Nodes>(nodes: readonly T[]): T[] {
  return nodes.map(copyNode);
}

function copyNode<T extends Nodes>(node: T): T {
  const copy: Record<string, unknown> = {};
  for (const key in node) {
    const value = (node as unknown as Record<string, unknown>)[key];
    if (key === 'position') {
      const { start, end } = value as { start: Point; end: Point };
      copy[key] = { start: copyPoint(start), end: copyPoint(end) };
    } else if (key === 'children') copy[key] = (value as Nodes[]).map(copyNode);
    else copy[key] = copyValue(value);
  }
  if (moved.has(node)) moved.add(copy);
  return copy as T;
}

function copyValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyValue);
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = copyValue((value as Record<string, unknown>)[key]);
  return copy;
}

/**
 * The lists and footnote definitions at the content's top level that one of their kind on the
 * next line ends (a list a list, a footnote definition the next definition), moved to end where
 * that one starts (as micromark ends them in a block quote: `> [^a]: b` then `> [^c]: d` ends
 * the first at 2:3; a definition indented 1 to 3 spaces at its line's start, 2:3 too), with
 * their new end points: what is left as it is of the check and the move
 * of `place`. Only where nothing in the list's last item, or in the definition, is a container,
 * whose end would move too.
 */
export function containersMeet(nodes: readonly RootContent[], met: Set<unknown>): Set<unknown> {
  for (let i = 0; i + 1 < nodes.length; i++) {
    const node = nodes[i]!;
    const next = nodes[i + 1]!;
    if ((node.type !== 'list' && node.type !== 'footnoteDefinition') || next.type !== node.type) continue;
    const start = next.position!.start;
    // A definition indented 1 to 3 spaces ends the one before at its line's start all the same.
    const indent = node.type === 'footnoteDefinition' && start.column <= 4 ? start.column - 1 : 0;
    if (start.line !== node.position!.end.line + 1 || start.column !== 1 + indent) continue;
    // A list ends with its last item, which ends at its last line's end, in a block quote as in a
    // document; a definition holds its blocks itself.
    const last = node.type === 'list' ? node.children[node.children.length - 1]! : node;
    if (last.children.some((child) => CONTAINERS.has(child.type))) continue;
    node.position!.end = { line: start.line, column: 1, offset: start.offset! - indent };
    moved.add(node);
    met.add(node);
    if (last !== node) met.add(last);
    met.add(node.position!.end);
  }
  return met;
}

/**
 * A list or footnote definition last in a block quote's content that ends in one empty line (`> - a`
 * then `>`), moved to end where the content does, past that line's prefix and spaces, as micromark
 * ends it (a document ends it at its text), with its new end point. Only where nothing last in it
 * is a container, whose end would move too; not after two empty lines, which spread such a list.
 * `lastRow`: the content's last line in what was parsed, from 1.
 */
export function emptyLast(
  nodes: readonly RootContent[],
  content: string,
  offset: number,
  lastRow: number,
): Set<unknown> {
  const met = new Set<unknown>();
  const last = nodes[nodes.length - 1];
  const lineStart = content.lastIndexOf('\n') + 1;
  if (last === undefined || lineStart === 0 || content.slice(lineStart).trim() !== '') return met;
  if (content.slice(content.lastIndexOf('\n', lineStart - 2) + 1, lineStart - 1).trim() === '') return met;
  const inner =
    last.type === 'list'
      ? last.children[last.children.length - 1]?.children
      : last.type === 'footnoteDefinition'
        ? last.children
        : undefined;
  if (inner === undefined || inner.some((child) => CONTAINERS.has(child.type))) return met;
  if ((last.position!.end.offset ?? -1) - offset >= content.length) return met;
  last.position!.end = {
    line: lastRow,
    column: content.length - lineStart + 1,
    offset: offset + content.length,
  };
  met.add(last);
  met.add(last.position!.end);
  if (last.type === 'list') met.add(last.children[last.children.length - 1]);
  return met;
}

/**
 * Whether a `:::` container in a block quote's content holds a container (a list, an item, a
 * quote, a footnote definition) that ends before it does: micromark's reading of the directive's
 * content ends those where the line that closes them starts, before its `>` (`> :::x`, `> - > a`,
 * `> - > b`: the first item's quote at 3:1, the item where the next one's quote starts), which is
 * not read here.
 */
export function closedInDirective(nodes: readonly RootContent[]): boolean {
  const stack: [Nodes, number][] = nodes.map((node) => [node, Number.NEGATIVE_INFINITY]); // in no directive yet
  while (stack.length > 0) {
    const [node, directiveEnd] = stack.pop()!;
    const end = node.position?.end.offset ?? 0;
    if (CONTAINERS.has(node.type) && end < directiveEnd) return true;
    const within = node.type === 'containerDirective' ? end : directiveEnd;
    if ('children' in node) for (const child of node.children) stack.push([child as Nodes, within]);
  }
  return false;
}

/**
 * Block quotes in the content that an empty line of it (not its last) closes, with the containers in them that
 * end where they do: micromark ends those where a document does, at their last line's end (an
 * empty line closes a block quote on its own line, before any prefix of the next is read), unlike
 * what the other containers end at or what a line starting a list or a quote closes.
 */
export function quotesClosed(nodes: readonly RootContent[], content: string, offset: number): Set<unknown> {
  const closed = new Set<unknown>();
  const stack: Nodes[] = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'blockquote') {
      const end = node.position!.end.offset! - offset;
      const next = content.indexOf('\n', end + 1);
      // Not the content's last line: at the text's end, micromark ends the quote there, past the prefix.
      if (content[end] === '\n' && next !== -1 && content.slice(end + 1, next).trim() === '') {
        const inside: Nodes[] = [node];
        while (inside.length > 0) {
          const child = inside.pop()!;
          if (child.position?.end.offset !== node.position!.end.offset) continue;
          closed.add(child);
          if ('children' in child) inside.push(...(child.children as Nodes[]));
        }
        continue;
      }
    }
    if ('children' in node) for (const child of node.children) stack.push(child as Nodes);
  }
  return closed;
}
