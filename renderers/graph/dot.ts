import { caption, type GraphFormat } from './format.js';

const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** Graphviz DOT (`stepwise graph x.md --format dot | dot -Tsvg`). */
export const dot = {
  name: 'dot',
  render(graph, title) {
    const lines = [`digraph ${quote(title)} {`, '  rankdir=TB;', '  node [shape=box, fontname="Helvetica"];'];
    for (const node of graph.nodes) {
      const attrs = [`label=${quote(`${node.id}\n${node.kind}: ${caption(node, 40)}`)}`];
      if (node.effect) attrs.push('style=bold', 'color=red');
      if (node.when || node.conditions.length) attrs.push('shape=diamond');
      lines.push(`  ${quote(node.id)} [${attrs.join(', ')}];`);
    }
    for (const edge of graph.edges) {
      const attrs = edge.why === 'order' ? 'style=dashed, color=gray' : `label=${quote(edge.why)}`;
      lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [${attrs}];`);
    }
    lines.push('}');
    return `${lines.join('\n')}\n`;
  },
} satisfies GraphFormat;
