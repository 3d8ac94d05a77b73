/**
 * The check the readers of engine/document/markdown-*.ts are held to: parseMarkdown gives
 * micromark's tree of the whole document (blocks only), in chunks of any size.
 */
import type { Root } from 'mdast';
import { expect } from 'vitest';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from './generate.js';

/**
 * The tree as plain data, headings' content left out: parseMarkdown reads their inline syntax
 * (markdown-heading-text.ts, tested there), micromark's block parse keeps it as written.
 */
export function strip(tree: Root): unknown {
  const data = JSON.parse(JSON.stringify(tree));
  const stack = [data];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node.type === 'heading') node.children = [];
    else for (const child of node.children ?? []) stack.push(child);
  }
  return data;
}

/** Nodes only a full parse makes: a chunk with a heading over several lines is parsed in full (markdown.ts). */
const INLINE =
  /"type":"(?:linkReference|link|emphasis|strong|inlineCode|imageReference|image|footnoteReference|delete)"/;

/** An HTML node inside a paragraph: inline HTML, which only a full parse makes. */
function inlineHtml(tree: Root): boolean {
  const stack: { type: string; children?: unknown[] }[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const children = (node.children ?? []) as { type: string; children?: unknown[] }[];
    if (node.type === 'paragraph' && children.some((child) => child.type === 'html')) return true;
    for (const child of children) stack.push(child);
  }
  return false;
}

/**
 * parseMarkdown gives micromark's tree of the whole text, whatever the chunks' size; false when a
 * chunk was parsed in full (its paragraphs' inline syntax read, which the blocks-only tree keeps).
 */
export function expectSame(text: string): boolean {
  const whole = strip(micromarkBlocks(text, true));
  for (const every of [1, 24, 4096]) {
    const parsed = parseMarkdown(text, every);
    const tree = strip(parsed);
    if (INLINE.test(JSON.stringify(tree)) || inlineHtml(parsed)) return false;
    expect(tree, `${JSON.stringify(text)} in ${every}`).toEqual(whole);
  }
  return true;
}

/**
 * expectSame on `count` documents of `min` to `min + spread - 1` lines picked from `lines` (with a
 * line ending at the end or not), from a seed (SEED in the environment takes its place).
 */
export function expectSameOfLines(lines: readonly string[], seed: number, min = 2, spread = 10, count = 400): void {
  const random = seededRandom(Number(process.env.SEED ?? seed));
  for (let k = 0; k < count; k++) {
    const text = Array.from({ length: min + random(spread) }, () => lines[random(lines.length)]!).join('\n');
    expectSame(text + (random(2) ? '\n' : ''));
  }
}

/**
 * Lines of any block a container may hold (the generated tests of markdown-inner.test.ts and
 * markdown-item-runs.test.ts put them in block quotes, list items and footnote definitions).
 */
export const CONTENT_LINES: readonly string[] = [
  '',
  ' ',
  'a',
  'b c',
  'a  ',
  '# h',
  'h\n---',
  '```',
  '~~~ js',
  '    code',
  '- a',
  '* b',
  '1. c',
  '  - d',
  '> q',
  '> > r',
  '| a | b |',
  '| - | - |',
  '[x]: /u',
  '[^f]: note',
  '    more',
  '<div>',
  '<!-- c -->',
  '::leaf',
  ':::note',
  ':::',
  '***',
  '\\# e &amp;',
];

/** Blocks the generated tests put between containers. */
export const OTHER_BLOCKS: readonly string[] = [
  '',
  'text',
  '# h',
  '- l',
  '1. n',
  '::x',
  '```',
  '    x',
  '[^f]: a',
  ':::note',
  ':::',
  '> p',
  '***',
];
