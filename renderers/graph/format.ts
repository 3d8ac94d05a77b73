/** A graph format: one module per format under renderers/graph/, found through index.ts. */
import type { StepGraph } from '../../engine/graph/model.js';

export interface GraphFormat {
  name: string;
  render(graph: StepGraph, title: string): string;
}

/** Short, one-line text for a node: its label, else its kind. */
export function caption(node: StepGraph['nodes'][number], max = 48): string {
  const text = (node.label ?? node.summary).replace(/\s+/g, ' ').trim();
  if (text === '') return node.kind;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
