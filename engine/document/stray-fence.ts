/**
 * A line of only colons (`::::`) that closes nothing: Markdown read it as a paragraph. It is
 * almost always the closing fence of a region whose opening fence was no longer than a region
 * inside it (`::::if` holding `::::each`): the inner region's `::::` closed both, and the steps
 * between it and this line silently left the outer region, its condition no longer theirs. So
 * check warns at the line, and says to lengthen the outer fence (runbooks/README.md, Conditions).
 */
import type { Nodes, Root } from 'mdast';

/** Offsets of the paragraphs that are a bare fence line, in document order (code and HTML are not looked into). */
export function findStrayFences(tree: Root, source: string): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'paragraph') {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start !== undefined && end !== undefined && /^:{3,}[ \t]*$/.test(source.slice(start, end)))
        found.push({ start, end });
      continue;
    }
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
  return found;
}
