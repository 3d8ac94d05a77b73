/**
 * markdown-parsers.ts keeps one micromark parser and one mdast compiler (mdast-compiler.js, a copy
 * of mdast-util-from-markdown's) for every parse instead of fromMarkdown's new pair per call. Every
 * tree comparison of the other markdown-*.test.ts files stands on micromarkBlocks, which parses so:
 * here it is held to fromMarkdown itself, on the repository's runbooks, generated documents, and
 * documents parsed one after another (what a parse leaves behind must not reach the next).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { directiveFromMarkdown } from 'mdast-util-directive';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { directive } from 'micromark-extension-directive';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { BLOCK_OPTIONS, micromarkBlocks } from '../../engine/document/markdown.js';
import { markdownParser } from '../../engine/document/markdown-parsers.js';
import { seededRandom } from '../helpers/generate.js';
import { CONTENT_LINES, OTHER_BLOCKS } from '../helpers/same-blocks.js';

const root = join(import.meta.dirname, '../..');
const runbooks = ['runbooks', 'runbooks/shared', 'fixtures']
  .flatMap((dir) => {
    try {
      return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => join(root, dir, f));
    } catch {
      return [];
    }
  })
  .filter((file) => file.endsWith('.md'));

/** Inline syntax and what a parse remembers between lines and across the document (definitions, lazy lines). */
const INLINE_LINES = [
  '[x]: /u "t"',
  '[x]',
  '[y][x] and [x][]',
  '*a* **b** ~~c~~ `d`',
  '<https://e.x> www.e.x a@b.c',
  'a[^f] and [^f]',
  '&amp; &#35; \\*',
  ':name[label]{a=1}',
  '![i](/p)',
  '> a',
  'lazy',
  '- b',
  '  c',
  '| a | b |',
  '| - | - |',
  '| 1 | 2 |',
  '- [x] done',
];
const LINES = [...new Set([...CONTENT_LINES, ...OTHER_BLOCKS, ...INLINE_LINES])];

function generated(seed: number, count: number): string[] {
  const random = seededRandom(Number(process.env.SEED ?? seed));
  return Array.from({ length: count }, () => {
    const text = Array.from({ length: 1 + random(12) }, () => LINES[random(LINES.length)]!).join('\n');
    return (random(5) === 0 ? '---\ntitle: x\n---\n' : '') + text + (random(2) ? '\n' : '');
  });
}

/** Trees compared as their JSON (a deep comparison of the larger runbooks' trees takes seconds). */
const same = (a: unknown, b: unknown, text: string): void => expect(JSON.stringify(a), text).toBe(JSON.stringify(b));

const full = {
  extensions: [gfm(), frontmatter(['yaml']), directive()],
  mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(['yaml']), directiveFromMarkdown()],
};

describe('one parser for every parse gives what fromMarkdown gives', () => {
  const documents = [...runbooks.map((file) => readFileSync(file, 'utf8')), ...generated(13, 600)];

  it('the repository has runbooks to read', () => {
    expect(runbooks.length).toBeGreaterThan(5);
  });

  it('with inline syntax (GFM, frontmatter, directives): each document, one after another', () => {
    const parse = markdownParser(full.extensions, full.mdastExtensions);
    for (const text of documents) same(parse(text), fromMarkdown(text, full), text);
  });

  it('blocks only (micromarkBlocks, which the other tests compare with): each document, one after another', () => {
    for (const text of documents) {
      const body = text.startsWith('---\n') ? text.slice(text.indexOf('\n---\n', 3) + 5) : text;
      same(micromarkBlocks(body), fromMarkdown(body, BLOCK_OPTIONS), body);
    }
  });

  it('a definition seen by one parse does not make a reference of the next', () => {
    const parse = markdownParser(full.extensions, full.mdastExtensions);
    const defined = parse('[x]: /u\n\n[x]\n');
    expect(JSON.stringify(defined)).toContain('"linkReference"');
    const after = parse('[x]\n');
    expect(JSON.stringify(after)).not.toContain('"linkReference"');
    expect(after).toEqual(fromMarkdown('[x]\n', full));
  });

  it('a lazy line of one parse is not lazy in the next', () => {
    const parse = markdownParser(full.extensions, full.mdastExtensions);
    for (const [first, second] of [
      ['> a\nb\n', '> ```\nb\n'],
      ['> a\nb\nc\n', '- a\n> b\nc\n'],
      ['- a\nb\n', '> - a\n>\nb\n'],
    ] as const) {
      parse(first);
      expect(parse(second), second).toEqual(fromMarkdown(second, full));
    }
  });

  it('a parse that fails leaves nothing that changes the next', () => {
    const parse = markdownParser(full.extensions, full.mdastExtensions);
    for (const text of generated(29, 200)) {
      try {
        parse(`${text}\n- a\n  1. b\n     \`\`\`\n`);
      } catch {
        // none is expected; whatever it left must not reach the next parse
      }
      expect(parse(text), text).toEqual(fromMarkdown(text, full));
    }
  });
});
