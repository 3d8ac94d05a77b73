import { caption, type GraphFormat } from './format.js';

/** One line per step in run order, with what it waits for. */
export const text = {
  name: 'text',
  render(graph, title) {
    const before = new Map<string, string[]>();
    for (const edge of graph.edges) {
      if (edge.why === 'order') continue;
      before.set(edge.to, [...(before.get(edge.to) ?? []), edge.from]);
    }
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const order = graph.order.length > 0 ? graph.order : graph.nodes.map((n) => n.id);
    const width = Math.max(4, ...graph.nodes.map((n) => n.id.length));
    const lines = [`${title}: ${graph.nodes.length} steps, ${graph.edges.length} edges`];
    order.forEach((id, i) => {
      const node = byId.get(id)!;
      const marks = [node.effect ? '!' : ' ', node.when || node.conditions.length ? '?' : ' '].join('');
      const deps = before.get(id);
      const target = node.target ? ` @${node.target}` : '';
      // A loop's step runs once per item.
      const loop = node.loop ? `  ↻ each ${node.loop.as} in ${node.loop.items}` : '';
      lines.push(
        `${String(i + 1).padStart(4)} ${marks} ${id.padEnd(width)}  ${node.kind}${target}  ${caption(node)}${deps ? `  ← ${deps.join(', ')}` : ''}${loop}`,
      );
    });
    lines.push('', '! side effect (ordering barrier)   ? conditional   ← uses results of');
    return `${lines.join('\n')}\n`;
  },
} satisfies GraphFormat;
