/**
 * Long lists cut between their items and joined again (engine/document/markdown-list-cuts.ts,
 * safeCuts in markdown-safe-cuts.ts): the tree of the text parsed in small chunks is micromark's of the
 * whole text, on lists whose items micromark reads (block quotes, footnote definitions, tables,
 * fences, lazy lines, nested lists), tight and loose, bullet and ordered, next to other blocks.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { safeCuts } from '../../engine/document/markdown-safe-cuts.js';
import { topItemKey } from '../../engine/document/markdown-list-cuts.js';
import { seededRandom } from '../helpers/generate.js';

const plain = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
/** Headings' text is read with inline syntax on (markdown.ts): none here has any. */
const same = (text: string, every: number): void => {
  expect(plain(parseMarkdown(text, every)), JSON.stringify(text)).toEqual(plain(micromarkBlocks(text, true)));
};

describe('lists cut between their items', () => {
  it('an item line is known by its marker', () => {
    expect(['- a', '* a', '+ a', '1. a', '2) a', '- [ ] a', '-\ta'].map(topItemKey)).toEqual([
      '-',
      '*',
      '+',
      '1.',
      '1)',
      '-',
      '-',
    ]);
    expect(['-', '- ', '* * *', '- - -', ' - a', 'a', '1.a', '1234567890. a'].map(topItemKey)).toEqual(
      Array(8).fill(null),
    );
  });

  it('a list of items each leaving a container open is cut, and comes back one list', () => {
    const text = '- :::note\n  x\n'.repeat(200);
    expect(safeCuts(text, 64).length).toBeGreaterThan(10);
    same(text, 64);
  });

  it('a list of block quotes is cut, and comes back one list', () => {
    const text = '- > a\n'.repeat(200);
    expect(safeCuts(text, 64).length).toBeGreaterThan(10);
    same(text, 64);
  });

  it.each([
    ['ordered items', '1. > a\n'.repeat(60)],
    ['loose items', '- > a\n\n'.repeat(60)],
    ['items of another marker after', `${'- > a\n'.repeat(30)}${'* > b\n'.repeat(30)}`],
    ['ordered items of another delimiter after', `${'1. > a\n'.repeat(30)}${'1) > b\n'.repeat(30)}`],
    ['items holding footnote definitions', '- [^a]: b\n'.repeat(60)],
    ['items holding tables (not cut)', '- | a |\n  | - |\n'.repeat(40)],
    ['items holding fences (not cut)', '- ```\n  x\n  ```\n'.repeat(40)],
    ['items with lazy lines', '- > a\nlazy\n'.repeat(60)],
    ['nested items', '- > a\n  - > b\n'.repeat(40)],
    ['a paragraph between', `${'- > a\n'.repeat(20)}para\n${'- > a\n'.repeat(20)}`],
    ['in a container (not cut)', `:::note\n${'- > a\n'.repeat(40)}:::\n`],
    ['in a fence (not cut)', `\`\`\`\n${'- > a\n'.repeat(40)}\`\`\`\n`],
    ['item lines that are text after indented code', `                * b c\n${'3) >\n2) b c\n'.repeat(20)}`],
    ['item lines that are text after a paragraph', `text\n${'3) > a\n2) b\n'.repeat(20)}`],
    ['after top-level indented code', `${'100000. a\n'.repeat(10)}\n    code\n${'2. > b\n'.repeat(20)}`],
    ['a thematic break between', `${'- > a\n'.repeat(20)}* * *\n${'* > a\n'.repeat(20)}`],
    // The next item's line closes what the item before left open at its start (joinList, reopen).
    ['items each leaving a container open', '- :::note\n'.repeat(60)],
    ['items each leaving a container open over two lines', '1. :::note\n   x\n'.repeat(40)],
    ['items each leaving a fence open', '- ```\n  x\n'.repeat(40)],
    ['items leaving a container open, a fence closed in it', '- :::a\n  ```\n  x\n  ```\n'.repeat(30)],
    ['items leaving a fence open, its last line a shorter fence', '- ````\n  x\n  ```\n'.repeat(30)],
    ['items leaving the outer of two containers open', '- :::a\n  :::b\n  x\n  :::\n'.repeat(30)],
    ['items leaving a container open, then a task item', '- :::a\n- [ ] b\n'.repeat(30)],
    ['items leaving an HTML block open (not cut)', '- <div>\n  x\n'.repeat(40)],
    // What holds the block left open in the item ends where it does (a block quote, a list).
    ['items holding a list holding a quote leaving a fence open', '* - > ~~~\n'.repeat(40)],
    ['items holding a quote leaving a container open', '1. > :::note\n   > x\n'.repeat(30)],
  ])('%s', (_name, text) => {
    for (const every of [16, 64, 4096]) same(text, every);
  });

  it('generated lists of items micromark reads, next to other blocks', () => {
    const items = [
      '- > a',
      '- > a\n  > b',
      '* > a',
      '+ [^f]: n',
      '1. > a',
      '2. > b',
      '1) > c',
      '- a',
      '- a\nlazy',
      '- a\n\n  b',
      '  - > nested',
      '- | t |\n  | - |',
      '- ```\n  x\n  ```',
      '- <div>',
      '- # h',
      '-',
      '- [ ] > q',
      '3) >',
      '2) b c',
      '    code',
      '                * b c',
      '100000. a',
      // Indented 1 to 3 spaces: cut between items one line each.
      '   - * a',
      '   - > a',
      ' - a',
      '  1. > b',
      '  2. c',
      '   -',
    ];
    const others = ['', '', 'para', '# h', '> q', '***', '* * *', '::leaf', ':::note', ':::', '    code', '[d]: /u'];
    const random = seededRandom(101);
    const pick = <T>(list: readonly T[]): T => list[random(list.length)]!;
    let cut = 0;
    for (let k = 0; k < 700; k++) {
      const lines: string[] = [];
      for (let j = 4 + random(30); j > 0; j--) lines.push(random(5) === 0 ? pick(others) : pick(items));
      const text = lines.join('\n') + (random(2) ? '\n' : '');
      const every = pick([8, 32, 128]);
      if (safeCuts(text, every).length > 0) cut++;
      same(text, every);
    }
    expect(cut).toBeGreaterThan(80);
  }, 120_000);
});
