/**
 * Prose (engine/document/markdown-prose.ts): plain lists and paragraphs that only blank lines
 * part stand in together as one fence; the tree is the one micromark makes of the text as it is,
 * on hand-picked neighbours and on generated documents, and through the whole parse.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { findProseRuns, restoreProse } from '../../engine/document/markdown-prose.js';
import { runsAsFences } from '../../engine/document/markdown-stand-ins.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';

const parse = (text: string, first = false): Root => micromarkBlocks(text, first);

function fast(text: string, first = false): { tree: Root; runs: number } {
  const runs = findProseRuns(text, first, () => true);
  if (runs.length === 0) return { tree: parse(text, first), runs: 0 };
  const tree = parse(runsAsFences(text, runs), first);
  return restoreProse(tree, runs, text) ? { tree, runs: runs.length } : { tree: parse(text, first), runs: 0 };
}

describe('lists and paragraphs stand in together', () => {
  it.each([
    ['paragraph, list, paragraph', 'Some prose.\n\n- a list item\n- another\n\nMore prose.\n', 1],
    ['several blank lines between', 'Some prose.\n\n\n\n- a\n- b\n\n\nMore prose.\n', 1],
    ['a heading between (two runs)', 'Some prose.\n\n# H\n\nMore prose.\n', 2],
    ['a heading right after a paragraph (two runs)', 'Some prose.\n# H\nMore prose.\n', 2],
    ['a code block between (two runs)', 'Some prose.\n\n```\ncode\n```\n\nMore prose.\n', 2],
    ['a blank line with spaces between', 'Some prose.\n   \n- a\n- b\n', 1],
    ['a loose list then a paragraph', '- a\n\n- b\n\nSome prose.\n', 1],
    ['a list followed by an indented paragraph (not taken)', 'Some prose.\n\n- a\n- b\n\n  more of b\n', 1],
  ])('%s', (_name, text, runs) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.runs).toBe(runs);
  });

  it('generated documents read as micromark reads them', () => {
    const others = [
      '# h',
      '> q',
      '```\ncode\n\nSome prose.\n```',
      '<div>',
      ':::note',
      ':::',
      '    code',
      '***',
      '1. n',
      '[d]: /u',
    ];
    const plain = ['Some prose.', 'x y z', '`code` first', '2024 year', 'ab', 'a\\*b'];
    const random = seededRandom(41);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    let taken = 0;
    for (let k = 0; k < 400; k++) {
      const parts: string[] = [];
      for (let j = 2 + random(8); j > 0; j--) {
        const kind = random(3);
        if (kind === 0) parts.push(pick(others));
        else if (kind === 1) parts.push(Array.from({ length: 1 + random(3) }, () => pick(plain)).join('\n'));
        else
          parts.push(
            Array.from(
              { length: 1 + random(4) },
              (_, i) => `${' '.repeat(i > 0 && random(4) === 0 ? 2 : 0)}${pick(['-', '*'])} ${pick(plain)}`,
            ).join(random(5) === 0 ? '\n\n' : '\n'),
          );
      }
      const text = parts.join(pick(['\n\n', '\n\n', '\n', '\n\n\n'])) + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      taken += result.runs;
    }
    expect(taken).toBeGreaterThan(200);
  }, 60_000);

  it('64 KB of prose parses as micromark parses it whole', () => {
    const unit =
      'Some prose with `code`, a [link](http://x), localhost:8080 and image:latest.\n\n- a list item\n- another\n\n';
    const text = unit.repeat(Math.ceil((64 * 1024) / unit.length));
    const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
    expect(strip(parseMarkdown(text))).toEqual(strip(micromarkBlocks(text, true)));
  });
});
