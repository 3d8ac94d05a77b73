/**
 * Moving a tree parsed apart (a chunk, a piece between prose runs, a container's content) to
 * where it stands in the document: one function for every reader that parses text apart.
 */
import type { Nodes, RootContent } from 'mdast';

/**
 * Moves a node and everything in it by `offset` characters and `lines` lines, in place: no point
 * object is in two nodes (mdast-util-from-markdown makes a new one for each, and so does every
 * builder of markdown-*.ts: test/check/markdown-chunks.test.ts checks), so none is moved twice.
 * A new point for each (as before) was a third of a megabyte's garbage.
 */
export function shift(node: Nodes | RootContent, offset: number, lines: number): void {
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

type Point = { line: number; column: number; offset?: number | undefined };

/**
 * A new point where `point` is (no point object is in two nodes: see shift). Written out, not
 * spread: V8 copies `{ ...point }` by a slower path, and a megabyte of one-line blocks makes
 * 700,000 of them.
 */
export const copyPoint = <P extends Point>(point: P): P =>
  ({ line: point.line, column: point.column, offset: point.offset }) as P;
