/**
 * Deep nests of `:::` containers built without micromark nesting them
 * (engine/document/markdown-nests.ts): the tree is the one micromark makes of the text as it is,
 * or the text is left to micromark. Compared on labels, attributes, content of several kinds,
 * the `:::` lines after the first, nests inside other blocks, then on generated mixes.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import { findNests, nestsAsFences, restoreNests } from '../../engine/document/markdown-nests.js';
import { MAX_NESTING } from '../../engine/document/nesting.js';
import { micromarkBlocks } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';

/** Blocks only, as markdown.ts parses them (inline constructs off). */
const parse = (text: string): Root => micromarkBlocks(text);

function fast(text: string): { tree: Root; used: boolean } {
  const nests = findNests(text);
  if (nests.length === 0) return { tree: parse(text), used: false };
  const tree = parse(nestsAsFences(text, nests));
  return restoreNests(tree, nests, text, parse) ? { tree, used: true } : { tree: parse(text), used: false };
}

const open = (n: number, line = (i: number) => `:::if{that="${i} < 9"}`): string =>
  Array.from({ length: n }, (_, i) => `${line(i)}\n`).join('');
const close = (n: number): string => ':::\n'.repeat(n);

describe('deep :::container nests', () => {
  it.each([
    ['a leaf inside', `${open(20)}::assert[ok]{that="true"}\n${close(20)}`, true],
    ['repeated, between blank lines', `${open(20)}::assert[ok]{that="1"}\n${close(20)}\n`.repeat(3), true],
    ['no content', `${open(20)}${close(20)}`, true],
    [
      'labels and attributes',
      `${open(20, (i) => `:::note${i}[a *b* ${i}]{#x${i} .c k=v}`)}text\n\n# h\n${close(1)}`,
      true,
    ],
    ['content of paragraphs, lists, headings', `${open(20)}para\n\n- a\n- b\n\n## h\n\n> q\n${close(20)}`, true],
    ['no closing line', `${open(20)}::assert[ok]{that="1"}\n`, false],
    ['a fence in the content', `${open(20)}\`\`\`\n:::\n\`\`\`\n${close(20)}`, false],
    ['a longer closing fence', `${open(20)}x\n::::\n${close(20)}`, false],
    ['four colons', `${open(20, () => '::::if{that="1"}')}x\n${close(20)}`, false],
    ['after a paragraph line', `text\n${open(20)}x\n${close(20)}`, false],
    ['inside a fenced code block', `\`\`\`\n\n${open(20)}x\n${close(20)}\`\`\`\n`, false],
    ['inside a container of three colons', `:::note\n\n${open(20)}x\n${close(21)}`, false],
    [
      'an opener micromark does not read',
      `${open(20, (i) => (i === 5 ? ':::if{that="1' : ':::if'))}x\n${close(20)}`,
      false,
    ],
    ['too shallow', `${open(5)}x\n${close(5)}`, false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
  });

  it('generated mixes of nests and the lines around them read as micromark reads them', () => {
    const others = ['', 'text', ':::', '::::', ':::note', '::leaf', '```', '~~~', '<!--', '# h', '> q', '- l', '    x'];
    const contents = ['', 'x', '::assert[ok]{that="1"}', '- a', '> q', '| a |\n|-|'];
    const random = seededRandom(5);
    let used = 0;
    for (let k = 0; k < 300; k++) {
      const lines: string[] = [];
      for (let j = 1 + random(5); j > 0; j--)
        lines.push(
          random(3) === 0
            ? `${open(16 + random(3))}${contents[random(contents.length)]}\n${close(random(18))}`
            : others[random(others.length)]!,
        );
      const text = lines.join('\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) used++;
    }
    expect(used).toBeGreaterThan(20);
  });

  it('check reads a nest to the limit as before: every condition on the step inside', () => {
    const ifs = MAX_NESTING - 1;
    const source = `# Deep\n\n${open(ifs)}::assert[ok]{that="true"}\n${close(ifs)}`;
    const result = checkSource(source, '/tmp/deep.md', () => {
      throw Object.assign(new Error('no includes here'), { code: 'ENOENT' });
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.document.steps[0]!.conditions).toHaveLength(ifs);
    expect(result.document.steps[0]!.span.start.line).toBe(3 + ifs);
  });
});
