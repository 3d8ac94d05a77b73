/**
 * Whether a runbook already has steps: directives named like a step kind (a `:::note` admonition
 * aside). The kinds are listed here rather than read from engine/steps/registry.ts, whose specs
 * bring the expression parser (acorn) with them, which an import whose check is cached never
 * needs; test/import/annotated.test.ts keeps this list equal to the registry's.
 */
import type { Nodes, Root } from 'mdast';

/** Every step kind of engine/steps/registry.ts but `note`, and `if`. */
export const STEP_DIRECTIVES: ReadonlySet<string> = new Set([
  'sql',
  'http',
  'shell',
  'confirm',
  'input',
  'assert',
  'wait',
  'set',
  'include',
  'if',
]);

export function annotated(tree: Root): boolean {
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if ((node.type === 'leafDirective' || node.type === 'containerDirective') && STEP_DIRECTIVES.has(node.name))
      return true;
    if ('children' in node) for (const child of node.children as Nodes[]) stack.push(child);
  }
  return false;
}
