/** Code spans and links in a paragraph or table, read from the source text (the block parse leaves inline content unparsed). */
import type { Nodes } from 'mdast';
import { lineOf } from './text.js';

export type InlineSpan =
  | { kind: 'code'; text: string; line: number }
  | { kind: 'link'; text: string; url: string; line: number };

/** Code spans and links in a paragraph or table, from the source text (CommonMark's backtick rule). */
export function inlineSpans(source: string, node: Nodes): InlineSpan[] {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return [];
  const text = source.slice(start, end);
  const firstLine = node.position!.start.line;
  const lineAt = (i: number): number => firstLine + lineOf(text, i);
  const spans: InlineSpan[] = [];
  const code: [number, number][] = [];
  for (const m of text.matchAll(/(?<!`)(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g)) {
    if (m.index > 0 && text[m.index - 1] === '\\') continue;
    let value = m[2]!.replace(/\r?\n/g, ' ');
    if (/^ .* $/.test(value) && value.trim() !== '') value = value.slice(1, -1);
    spans.push({ kind: 'code', text: value, line: lineAt(m.index) });
    code.push([m.index, m.index + m[0].length]);
  }
  for (const m of text.matchAll(/\[([^\]\n]*)\]\((https?:\/\/[^)\s]+)\)/g)) {
    if (code.some(([a, b]) => m.index >= a && m.index < b)) continue;
    spans.push({ kind: 'link', text: m[1]!, url: m[2]!, line: lineAt(m.index) });
  }
  return spans.sort((a, b) => a.line - b.line);
}
