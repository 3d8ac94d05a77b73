import { caption, type GraphFormat } from './format.js';

/** A Mermaid flowchart (renders on GitHub inside a ```mermaid fence). */
export const mermaid = {
  name: 'mermaid',
  render(graph) {
    const key = new Map(graph.nodes.map((n, i) => [n.id, `s${i}`]));
    const lines = ['flowchart TD'];
    for (const node of graph.nodes) {
      const text = `${node.id}<br/>${node.kind}: ${caption(node, 40)}`.replace(/"/g, '#quot;');
      lines.push(
        node.effect
          ? `  ${key.get(node.id)}[["${text}"]]`
          : node.when || node.conditions.length
            ? `  ${key.get(node.id)}{{"${text}"}}`
            : `  ${key.get(node.id)}["${text}"]`,
      );
    }
    for (const edge of graph.edges) {
      const arrow = edge.why === 'order' ? '-.->' : '-->';
      lines.push(`  ${key.get(edge.from)} ${arrow}${edge.why === 'order' ? '' : `|${edge.why}|`} ${key.get(edge.to)}`);
    }
    return `${lines.join('\n')}\n`;
  },
} satisfies GraphFormat;
