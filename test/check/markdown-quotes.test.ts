/**
 * Runs of deeply quoted lines built without micromark's block quote construct
 * (engine/document/markdown-quotes.ts): the tree is the one micromark makes of the text as it is,
 * or the text is left to micromark. Compared on depths, lines around the run, lazy and shallower
 * lines, code and containers, then on generated mixes.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { findQuoteRuns, restoreQuotes } from '../../engine/document/markdown-quotes.js';
import { runsAsFences } from '../../engine/document/markdown-stand-ins.js';
import { micromarkBlocks } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';

/** Blocks only, as markdown.ts parses them (inline constructs off). */
const parse = (text: string): Root => micromarkBlocks(text);

function fast(text: string): { tree: Root; used: boolean } {
  const runs = findQuoteRuns(text);
  if (runs.length === 0) return { tree: parse(text), used: false };
  const tree = parse(runsAsFences(text, runs));
  return restoreQuotes(tree, runs, text) ? { tree, used: true } : { tree: parse(text), used: false };
}

const run = (n: number, depth = 20, line = (i: number) => `a b${i}`): string =>
  Array.from({ length: n }, (_, i) => `${'> '.repeat(depth)}${line(i)}`).join('\n');

describe('deeply quoted runs', () => {
  it.each([
    ['alone', `${run(20)}\n`, true],
    ['at the end without a line ending', run(20), true],
    ['between paragraphs', `para\n\n${run(20, 30)}\n\nafter\n`, true],
    ['then a lazy line', `${run(20)}\nmore\n`, false],
    ['then a shallower line', `${run(20)}\n${'> '.repeat(3)}x\n`, false],
    ['a deeper line inside', `${run(10)}\n${'> '.repeat(21)}x\n${run(10)}\n`, false],
    ['after a paragraph line', `para\n${run(20)}\n`, false],
    ['inside a fenced code block', `\`\`\`\n\n${run(20)}\n\n\`\`\`\n`, false],
    ['inside a directive container', `:::note\n\n${run(20)}\n\n:::\n`, true],
    ['with punctuation (not taken)', `${run(20, 20, () => 'a.')}\n`, false],
    ['too shallow', `${run(20, 5)}\n`, false],
    ['too short', `${run(5)}\n`, false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
  });

  it('generated mixes of runs and the lines around them read as micromark reads them', () => {
    const others = ['', 'text', '    x', '# h', '> q', '- l', '```', ':::note', ':::', '> > > >', '===', '---'];
    const words = ['a', 'b c', '1 2', 'x9'];
    const random = seededRandom(9);
    let used = 0;
    for (let k = 0; k < 400; k++) {
      const parts: string[] = [];
      for (let j = 1 + random(5); j > 0; j--)
        parts.push(
          random(3) === 0
            ? `${run(16 + random(3), 16 + random(2), () => words[random(words.length)]!)}${random(2) ? '\n' : ''}`
            : others[random(others.length)]!,
        );
      const text = parts.join('\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) used++;
    }
    expect(used).toBeGreaterThan(20);
  });
});
