/**
 * Long runs of table rows read without micromark's table construct
 * (engine/document/markdown-tables.ts): the tree is the one micromark makes of the text as it is,
 * or the text is left to micromark. Compared on rows of every cell shape, tables in containers,
 * code and lists, lines that would go on as rows, then on generated mixes of them.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { findRowRuns, restoreRows } from '../../engine/document/markdown-tables.js';
import { parseMarkdown } from '../../engine/document/markdown.js';
import { runsAsFences } from '../../engine/document/markdown-stand-ins.js';
import { micromarkBlocks } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';

/** Blocks only, as markdown.ts parses them (inline constructs off). */
const parse = (text: string): Root => micromarkBlocks(text);

function fast(text: string): { tree: Root; used: boolean } {
  const runs = findRowRuns(text);
  if (runs.length === 0) return { tree: parse(text), used: false };
  const tree = parse(runsAsFences(text, runs));
  return restoreRows(tree, runs, text) ? { tree, used: true } : { tree: parse(text), used: false };
}

const HEAD = '| a | b | c |\n|:-|-:|:-:|\n';
const rows = (n: number, row = (i: number) => `| x${i} | y | z |`): string =>
  Array.from({ length: n }, (_, i) => row(i)).join('\n');

describe('table row runs', () => {
  it.each([
    ['alone', `${HEAD}${rows(20)}\n`, true],
    ['at the end without a line ending', `${HEAD}${rows(20)}`, true],
    [
      'cells empty, wide, spaced, tabbed, more or fewer than the head',
      `${HEAD}${rows(20, (i) => ['||x|', '|  |\t y \t|', '| a  b |c|d|e|f|', '|x|', '| é ` * _ [ ] < |'][i % 5]!)} \t\n`,
      true,
    ],
    ['trailing white space', `${HEAD}${rows(20, () => '| x | y |   ')}\n`, true],
    ['after body rows micromark read', `${HEAD}| \\| | x |\n${rows(20)}\n\nafter\n`, true],
    ['then a line that goes on as a row', `${HEAD}${rows(20)}\nmore\n`, false],
    ['then a heading', `${HEAD}${rows(20)}\n# h\n`, false],
    ['with an escape', `${HEAD}${rows(20, (i) => (i === 9 ? '| a \\| b |' : '| x |'))}\n`, false],
    ['with a character reference', `${HEAD}${rows(20, (i) => (i === 9 ? '| &amp; |' : '| x |'))}\n`, false],
    ['with CRLF', `${HEAD}${rows(20)}`.replace(/\n/g, '\r\n'), false],
    ['no table above (no delimiter row)', `| a |\n${rows(20)}\n`, false],
    ['after a blank line', `${HEAD}\n${rows(20)}\n`, false],
    ['inside a fenced code block', `\`\`\`\n${HEAD}${rows(20)}\n\`\`\`\n`, false],
    ['inside a directive container', `:::note\n${HEAD}${rows(20)}\n:::\n`, false],
    ['inside a directive container, then a blank line', `:::note\n${HEAD}${rows(20)}\n\n:::\n`, true],
    ['in a block quote (lazy lines are not rows)', `> ${HEAD.replace('\n', '\n> ')}${rows(20)}\n`, false],
    ['two tables', `${HEAD}${rows(20)}\n\n${HEAD}${rows(30)}\n`, true],
    ['too short', `${HEAD}${rows(5)}\n`, false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
  });

  it('generated mixes of tables, runs and the lines around them read as micromark reads them', () => {
    const others = ['', 'text', '| a | b |', '|-|-|', '| - |', ':-', 'a | b', '# h', '> q', '- l', '```', '~~~'];
    others.push(':::note', ':::', '<!--', '-->', '    ind', '|', '||', '| \\| |', '===', '---');
    const bodies = ['| x | y |', '|x||', '|a|b|c|', '| é |   ', '| `a` |', '| `a|b` |'];
    const random = seededRandom(11);
    let used = 0;
    for (let k = 0; k < 600; k++) {
      const lines: string[] = [];
      for (let j = 1 + random(6); j > 0; j--)
        lines.push(
          random(3) === 0
            ? `${random(4) ? HEAD : ''}${rows(16 + random(3), () => bodies[random(bodies.length)]!)}${random(2) ? '\n' : ''}`
            : others[random(others.length)]!,
        );
      const text = lines.join('\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) used++;
    }
    expect(used).toBeGreaterThan(40);
  });

  it('parseMarkdown: a table with definitions above it, both read fast, as micromark reads them', () => {
    const text = `${Array.from({ length: 20 }, (_, i) => `[l${i}]: u`).join('\n')}\n\n${HEAD}${rows(40)}\n`;
    const tree = parseMarkdown(text);
    expect(tree.children.map((c) => c.type)).toEqual([...Array(20).fill('definition'), 'table']);
    const table = tree.children[20]!;
    expect(table).toEqual(parse(text).children[20]);
  });
});
