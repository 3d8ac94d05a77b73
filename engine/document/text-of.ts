/**
 * The plain text of an mdast node, as mdast-util-to-string gives it (values, image alts, HTML
 * included), without its recursion: a heading of deeply nested emphasis or links cannot overflow
 * the stack.
 */
import type { Nodes } from 'mdast';

export function textOf(node: Nodes): string {
  // Most headings hold one text node (markdown.ts makes each plain one so): its value is the text.
  if ('children' in node && node.children.length === 1 && node.children[0]!.type === 'text')
    return node.children[0]!.value;
  const parts: string[] = [];
  const stack: Nodes[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if ('value' in current) parts.push(current.value);
    else if ('alt' in current && current.alt) parts.push(current.alt);
    else if ('children' in current)
      for (let i = current.children.length - 1; i >= 0; i--) stack.push(current.children[i] as Nodes);
  }
  return parts.join('');
}
