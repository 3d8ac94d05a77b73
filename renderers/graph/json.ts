import type { GraphFormat } from './format.js';

/** `{ "nodes": [{ "id", "kind", "line", ... }], "edges": [{ "from", "to", "why" }] }` */
export const json = {
  name: 'json',
  render(graph, title) {
    return `${JSON.stringify({ title, nodes: graph.nodes, edges: graph.edges, order: graph.order }, null, 2)}\n`;
  },
} satisfies GraphFormat;
