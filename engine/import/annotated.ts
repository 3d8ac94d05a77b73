/** Whether a runbook already has steps: directives named like a step kind (a `:::note` admonition aside). */
import type { Nodes, Root } from 'mdast';
import { stepSpecs } from '../steps/registry.js';

export function annotated(tree: Root): boolean {
  const kinds = new Set([...Object.keys(stepSpecs), 'if']);
  kinds.delete('note');
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if ((node.type === 'leafDirective' || node.type === 'containerDirective') && kinds.has(node.name)) return true;
    if ('children' in node) for (const child of node.children as Nodes[]) stack.push(child);
  }
  return false;
}
