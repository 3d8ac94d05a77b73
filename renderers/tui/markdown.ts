/**
 * A runbook's prose, rendered for the terminal: headings, emphasis, lists, inline and block code,
 * tables, quotes and links. It is parsed as plain Markdown (CommonMark + GFM) without the
 * directive syntax, so `localhost:9090` or `image:latest` read exactly as written. Every text is
 * made inert (escape.ts) before it is laid out.
 */
import type { Nodes, Parent, PhrasingContent, RootContent, Table } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { formatTable } from '../table.js';
import { visible, visibleLine } from './escape.js';
import { cutLine, line, seg, wrapSegments, type Segment, type Style, type StyledLine } from './lines.js';

const parser = unified().use(remarkParse).use(remarkGfm);

export function renderMarkdown(markdown: string, width: number): StyledLine[] {
  let tree: Parent;
  try {
    tree = parser.parse(markdown) as Parent;
  } catch {
    return visible(markdown)
      .split('\n')
      .map((l) => cutLine(line(l), width));
  }
  const out: StyledLine[] = [];
  blocks(tree.children as RootContent[], width, '', out);
  while (out.length > 0 && out[out.length - 1]!.length === 0) out.pop();
  return out;
}

function blocks(nodes: RootContent[], width: number, prefix: string, out: StyledLine[]): void {
  for (const node of nodes) {
    block(node, width, prefix, out);
  }
}

function gap(out: StyledLine[]): void {
  if (out.length > 0 && out[out.length - 1]!.length !== 0) out.push([]);
}

function block(node: RootContent, width: number, prefix: string, out: StyledLine[]): void {
  switch (node.type) {
    case 'heading': {
      gap(out);
      const style: Style = node.depth <= 2 ? { bold: true, underline: true } : { bold: true };
      out.push(...wrapSegments([seg(prefix), ...inline(node.children, style)], width));
      out.push([]);
      break;
    }
    case 'paragraph':
      out.push(...wrapSegments([seg(prefix), ...inline(node.children, {})], width, prefix));
      out.push([]);
      break;
    case 'code': {
      const style: Style = { color: 'cyan' };
      for (const l of visible(node.value).split('\n')) out.push(cutLine([seg(`${prefix}  `), seg(l, style)], width));
      out.push([]);
      break;
    }
    case 'list': {
      let n = typeof node.start === 'number' ? node.start : 1;
      for (const item of node.children) {
        const check = item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : '';
        const bullet = node.ordered ? `${n++}. ` : '• ';
        const inner: StyledLine[] = [];
        blocks(item.children as RootContent[], width - prefix.length - bullet.length, '', inner);
        while (inner.length > 0 && inner[inner.length - 1]!.length === 0) inner.pop();
        inner.forEach((l, i) => {
          const lead = i === 0 ? `${prefix}${bullet}${check}` : `${prefix}${' '.repeat(bullet.length)}`;
          out.push(cutLine([seg(lead), ...l.filter((s) => s.text !== '' || l.length === 1)], width));
        });
      }
      out.push([]);
      break;
    }
    case 'blockquote': {
      const inner: StyledLine[] = [];
      blocks(node.children as RootContent[], width - 2, '', inner);
      while (inner.length > 0 && inner[inner.length - 1]!.length === 0) inner.pop();
      for (const l of inner) out.push(cutLine([seg(`${prefix}│ `, { dim: true }), ...l], width));
      out.push([]);
      break;
    }
    case 'table':
      out.push(...table(node, width, prefix));
      out.push([]);
      break;
    case 'thematicBreak':
      out.push(line(`${prefix}${'─'.repeat(Math.max(0, Math.min(width - prefix.length, 40)))}`, { dim: true }));
      break;
    case 'html':
      for (const l of visible(node.value).split('\n')) out.push(cutLine(line(prefix + l, { dim: true }), width));
      break;
    default:
      if ('children' in node)
        out.push(...wrapSegments([seg(prefix), ...inline((node as Parent).children as PhrasingContent[], {})], width));
      else if ('value' in node) out.push(cutLine(line(prefix + visibleLine(String(node.value))), width));
  }
}

function table(node: Table, width: number, prefix: string): StyledLine[] {
  const rows = node.children.map((row) =>
    row.children.map((cell) =>
      inline(cell.children, {})
        .map((s) => s.text)
        .join(''),
    ),
  );
  const [header, ...body] = rows;
  if (!header) return [];
  const right = new Set((node.align ?? []).map((a, i) => (a === 'right' ? i : -1)).filter((i) => i >= 0));
  const text = formatTable(
    header,
    body.map((r) => header.map((_, i) => r[i] ?? '')),
    { rule: true, right },
  );
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l, i) => cutLine(line(prefix + l, i === 0 ? { bold: true } : i === 1 ? { dim: true } : undefined), width));
}

function inline(nodes: PhrasingContent[] | Nodes[], style: Style): Segment[] {
  const out: Segment[] = [];
  for (const node of nodes as Nodes[]) {
    switch (node.type) {
      case 'text':
        out.push(seg(visibleLine(node.value.replace(/\n/g, ' ')), style));
        break;
      case 'inlineCode':
        out.push(seg(visibleLine(node.value), { ...style, color: 'cyan' }));
        break;
      case 'strong':
        out.push(...inline(node.children, { ...style, bold: true }));
        break;
      case 'emphasis':
        out.push(...inline(node.children, { ...style, italic: true }));
        break;
      case 'delete':
        out.push(...inline(node.children, { ...style, dim: true }));
        break;
      case 'link':
        out.push(...inline(node.children, { ...style, underline: true }));
        if (node.url && !node.url.startsWith('#'))
          out.push(seg(` (${visibleLine(node.url)})`, { ...style, dim: true }));
        break;
      case 'image':
        out.push(seg(`[image: ${visibleLine(node.alt ?? node.url)}]`, { ...style, dim: true }));
        break;
      case 'break':
        out.push(seg(' ', style));
        break;
      case 'html':
        out.push(seg(visibleLine(node.value), { ...style, dim: true }));
        break;
      default:
        if ('children' in node) out.push(...inline((node as Parent).children as Nodes[], style));
        else if ('value' in node) out.push(seg(visibleLine(String((node as { value: unknown }).value)), style));
    }
  }
  return out;
}
