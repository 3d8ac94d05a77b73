/**
 * engine/document/markdown-frontmatter.ts: the frontmatter is read without micromark, and the
 * document comes out as micromark's (with micromark-extension-frontmatter) whole, in chunks of
 * any size.
 */
import { describe, expect, it } from 'vitest';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { readFrontmatter, unclosedFrontmatter } from '../../engine/document/markdown-frontmatter.js';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { frontmatter } from 'micromark-extension-frontmatter';
import { seededRandom } from '../helpers/generate.js';
import { expectSame } from '../helpers/same-blocks.js';

/** Whether micromark reads a yaml node at the start of `text`. */
const micromarkReads = (text: string): boolean => micromarkBlocks(text, true).children[0]?.type === 'yaml';

describe('frontmatter read without micromark', () => {
  const cases: [string, boolean][] = [
    ['---\ntitle: t\n---\n', true],
    ['---\ntitle: t\n---', true],
    ['---\n---\n', true],
    ['---\n---', true],
    ['---\n\n---\n', true],
    ['---\n\n\n---\n', true],
    ['---  \na: 1\n--- \t\nafter\n', true],
    ['---\t\na: 1\n---\n# h\n\ntext\n', true],
    ['---\na: 1\n\nb: 2\n\n---\n\n- a\n- b\n', true],
    ['---\na: |\n  x\n  ---x\n----\n--- x\n---\n---\n', true],
    ['---\na: 1\n---\n---\nmore\n', true],
    ['---\na: 1\n---\nsetext\n---\n', true],
    ['---\na: 1\n---\n    code\n', true],
    ['---\na: 1\n---\n::sql{#q query="SELECT 1"}\n', true],
    ['---\na: 1\n---\n:::note\nx\n:::\n', true],
    ['---\ntargets:\n  db: { kind: postgres }\n---\n\n```sql\nSELECT 1\n```\n', true],
    // Not frontmatter: micromark reads what is there, and so does parseMarkdown.
    ['---\na: 1\n', false],
    ['---\na: 1\n----\n', false],
    ['---x\na: 1\n---\n', false],
    [' ---\na: 1\n---\n', false],
    ['----\na: 1\n---\n', false],
    ['---', false],
    ['---\n', false],
    ['text\n---\na: 1\n---\n', false],
    ['\n---\na: 1\n---\n', false],
    // Left to micromark: a byte order mark, or a carriage return before the closing line's end.
    ['\uFEFF---\na: 1\n---\n', false],
    ['---\r\na: 1\r\n---\r\n', false],
    ['---\na: 1\r\n---\nx\n', false],
    ['---\ra: 1\r---\r- a\r', false],
    ['---\na: 1\n---\r\n- a\n', false],
  ];
  it.each(cases)('%j', (text, read) => {
    expect(readFrontmatter(text) !== null, 'read here').toBe(read);
    if (read) expect(micromarkReads(text), 'micromark reads frontmatter too').toBe(true);
    expect(expectSame(text)).toBe(true);
  });

  it('a first line of `---` that nothing closes is a thematic break, and lists and quotes after it are read', () => {
    for (const text of [
      '---\n\n- a\n- b\n\n> q\n\n[^f]: n\n',
      '---\r\n- a\r\n',
      '\uFEFF---\n- a\n',
      '---\n\\\n----\n\n- a\n',
    ]) {
      expect(unclosedFrontmatter(text), JSON.stringify(text)).toBe(true);
      const tree = parseMarkdown(text);
      expect(tree.children[0]?.type, JSON.stringify(text)).toBe('thematicBreak');
      expect(
        tree.children.some((node) => node.type === 'list'),
        JSON.stringify(text),
      ).toBe(true);
      expect(tree).toEqual(micromarkBlocks(text, true));
      // micromark-extension-frontmatter's attempt, given up at the end, read no container at all.
      const attempted = fromMarkdown(text, {
        extensions: [frontmatter(['yaml'])],
        mdastExtensions: [frontmatterFromMarkdown(['yaml'])],
      });
      expect(
        attempted.children.some((node) => node.type === 'list'),
        JSON.stringify(text),
      ).toBe(false);
    }
    for (const text of ['---\na: 1\n---\n', '---\r\na\r\n---', '--- x\n- a\n', 'a\n---\n- b\n'])
      expect(unclosedFrontmatter(text), JSON.stringify(text)).toBe(false);
  });

  it('a carriage return after the closing line leaves it read here', () => {
    const text = '---\na: 1\n---\nx\r\ny\n';
    expect(readFrontmatter(text)).not.toBeNull();
    expect(parseMarkdown(text)).toEqual(micromarkBlocks(text, true));
  });

  it('generated frontmatters, and what follows them, come out as micromark reads them', () => {
    const openings = ['---', '--- ', '---\t \t', '----', ' ---', '-- -'];
    const lines = [
      '',
      'a: 1',
      '  b: [1, 2]',
      '---x',
      '--- x',
      '----',
      ' ---',
      '...',
      '# h',
      '- a',
      '```',
      ':::note',
      '\\',
    ];
    const closings = ['---', '---  ', '--- \t', '----', ''];
    const after = [
      '',
      '\n',
      '\ntext',
      '\n---\nmore',
      '\n# h\n',
      '\n- a\n- b\n',
      '\n\n```\ncode\n',
      '\n    ind\n',
      '\n::leaf\n',
    ];
    const random = seededRandom(13);
    const pick = <T>(list: readonly T[]): T => list[random(list.length)]!;
    let read = 0;
    for (let n = 0; n < 400; n++) {
      const body = Array.from({ length: n % 5 }, () => pick(lines));
      const text = [pick(openings), ...body, pick(closings)].join('\n') + pick(after);
      const matter = readFrontmatter(text);
      if (matter !== null) {
        read++;
        expect(micromarkReads(text), JSON.stringify(text)).toBe(true);
        expect(micromarkBlocks(text, true).children[0], JSON.stringify(text)).toEqual(matter.node);
      }
      expect(expectSame(text), JSON.stringify(text)).toBe(true);
    }
    expect(read).toBeGreaterThan(100);
  });
});
