/**
 * The skeleton a runbook's parse keeps of the Markdown tree (engine/document/markdown-skeleton.ts,
 * pruned as markdown.ts builds it): what parse.ts reads of it (the headings and directives that
 * shape the document, the paragraphs recovery and the stray-fence warning look at, the
 * frontmatter) is what it reads of the whole tree, on lists cut between chunks and joined again
 * (joinList reopening a container left open), long prose runs built part by part (parseAround),
 * generated mixes at small chunk sizes, and the check corpus; and of prose alone nothing is kept.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../engine/document/markdown.js';
import { skeleton } from '../../engine/document/markdown-skeleton.js';
import { structural } from '../../engine/document/parse.js';
import { findMalformedLines } from '../../engine/document/recover.js';
import { findStrayFences } from '../../engine/document/stray-fence.js';
import { stepSpecs } from '../../engine/steps/registry.js';
import { generatedCorpus, realRunbooks, ROOT } from '../golden/check/corpus.js';
import { seededRandom } from '../helpers/generate.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const directives = [...Object.keys(stepSpecs), 'if', 'each'];

/** What parse.ts reads of a tree, as plain data (positions included). */
function reads(tree: Root, text: string): unknown {
  return JSON.parse(
    JSON.stringify({
      structural: structural(tree.children, directives),
      stray: findStrayFences(tree, text),
      malformed: findMalformedLines(tree, text, () => true),
      yaml: tree.children.find((c) => c.type === 'yaml') ?? null,
    }),
  );
}

const same = (text: string, every?: number): void => {
  expect(reads(parseMarkdown(text, every, skeleton), text), JSON.stringify(text.slice(0, 200))).toEqual(
    reads(parseMarkdown(text, every), text),
  );
};

const fill = (unit: string, bytes: number): string => unit.repeat(Math.ceil(bytes / unit.length));

describe('the skeleton of a runbook', () => {
  it('of prose alone keeps nothing; of prose around a heading, the heading', () => {
    expect(parseMarkdown(fill('1. a\n> c\n', 256 * 1024), undefined, skeleton).children).toEqual([]);
    // One list of items read by markdown-item-runs.ts, pruned item by item.
    expect(parseMarkdown(fill('- a\n  > b\n', 64 * 1024), undefined, skeleton).children).toEqual([]);
    expect(
      parseMarkdown(fill('- a\n\npara\n\n```\nx\n```\n\n| a |\n| - |\n\n', 64 * 1024), 4096, skeleton).children,
    ).toEqual([]);
    const prose = fill('1. a\n> c\n', 32 * 1024);
    const tree = parseMarkdown(`${prose}# Middle\n${prose}`, undefined, skeleton);
    expect(tree.children.map((c) => c.type)).toEqual(['heading']);
    expect(tree.children[0]!.position?.start.offset).toBe(prose.length);
  });

  it('keeps a directive deep in lists and quotes with what holds it, and nothing beside it', () => {
    const text = `- a\n- b\n  > c\n  > - ::sql{#q query="SELECT 1"}\n  > - d\n- e\n`;
    const [list] = parseMarkdown(text, undefined, skeleton).children;
    expect(JSON.parse(JSON.stringify(list), (k, v) => (k === 'position' ? undefined : v))).toMatchObject({
      type: 'list',
      children: [
        {
          type: 'listItem',
          children: [
            { type: 'blockquote', children: [{ type: 'list', children: [{ children: [{ type: 'leafDirective' }] }] }] },
          ],
        },
      ],
    });
    same(text);
  });

  it.each([
    ['items each leaving a container open', '- :::note\n'.repeat(60)],
    ['items each leaving a container open over two lines', '1. :::note\n   x\n'.repeat(40)],
    ['items leaving a container open, a fence closed in it', '- :::a\n  ```\n  x\n  ```\n'.repeat(30)],
    ['items leaving the outer of two containers open', '- :::a\n  :::b\n  x\n  :::\n'.repeat(30)],
    ['items holding a quote leaving a container open', '1. > :::note\n   > x\n'.repeat(30)],
    [
      'prose items, then items leaving a container open',
      `${'- > a\n'.repeat(40)}${'- :::if{that="true"}\n'.repeat(20)}`,
    ],
    [
      'a container open in the last of prose items',
      `${'- > a\n'.repeat(40)}- :::if{that="true"}\n${'- > b\n'.repeat(40)}`,
    ],
  ])('the same reading where a cut splits a list: %s', (_name, text) => {
    for (const every of [16, 64, 4096]) same(text, every);
  });

  it('the same reading of long prose runs with steps, headings, recoveries and stray fences among them', () => {
    const prose = fill('1. a\n> c\n', 8 * 1024);
    const among = [
      '::sql{#q query="SELECT 1"}\n',
      '# Heading [ref]\n',
      '[ref]: /url\n',
      '::http{path=/x?a=1}\n',
      '::::\n',
      'text with a::b in it\n',
      '- ::assert[ok]{that="true"}\n',
      '> ::shell{run="true"}\n',
      ':::if{that="true"}\n::sql{query="SELECT 2"}\n:::\n',
      '[^n]: a footnote\n',
      'Setext\n===\n',
    ];
    for (const [i, piece] of among.entries())
      for (const gap of ['', '\n']) {
        // With no blank line, a piece after `> c` is the block quote's paragraph going on.
        const text = `${prose}${gap}${piece}${gap}${prose}${among[(i + 3) % among.length]}\n${prose}`;
        for (const every of [512, 4096]) same(text, every);
      }
    // A heading's reference to a definition before it in another part of the run, in one chunk
    // (a heading's text uses its own chunk's definitions, markdown-heading-text.ts).
    const short = fill('1. a\n> c\n', 1200);
    const text = `${short}\n[ref]: /url\n\n${short}\n# Heading [ref]\n\n${short}`;
    expect(structural(parseMarkdown(text, undefined, skeleton).children, directives)).toMatchObject([
      { type: 'heading', children: [{ type: 'text', value: 'Heading ref' }] },
    ]);
    same(text);
  });

  it('keeps what a `:::` container holds whole, items and quotes the finders read too', () => {
    // Found by the generated mixes: a footnote definition's paragraph in an `if` region, pruned
    // when the finders read it, was missing from the region kept whole.
    const text =
      ':::if{that="true"}\n- a\n:::if{that="true"}\n***\n> > deep\n# [d]\n:::if{that="true"}\npara::colons\n[^f]: note\n- ```\n  x\n  ```\npara\n:::\npara::colons\n';
    for (const every of [8, 32, 128, 4096]) {
      same(text, every);
      expect(parseMarkdown(text, every, skeleton).children[0]).toEqual(parseMarkdown(text, every).children[0]);
    }
  });

  it('the same reading of generated mixes at small chunk sizes', () => {
    const lines = [
      '- > a',
      '* > a',
      '1. > a',
      '1) > c',
      '- a',
      '- a\nlazy',
      '- a\n\n  b',
      '  - > nested',
      '- ```\n  x\n  ```',
      '- # h',
      '- :::note',
      '- ::sql{#s query="SELECT 1"}',
      '> ::assert[a]{that="true"}',
      '> > deep',
      '[^f]: note',
      '',
      '',
      'para',
      'para::colons',
      '::::',
      ':::',
      '# h',
      'Setext\n---',
      '> q',
      '***',
      '::leaf',
      ':::if{that="true"}',
      '    code',
      '[d]: /u',
      '# [d]',
      '| t |\n| - |',
      '---\ntitle: x\n---',
    ];
    const random = seededRandom(1303);
    for (let k = 0; k < 600; k++) {
      const parts: string[] = [];
      for (let j = 4 + random(40); j > 0; j--) parts.push(lines[random(lines.length)]!);
      const text = parts.join('\n') + (random(2) ? '\n' : '');
      same(text, [8, 32, 128, 4096][random(4)]);
    }
  }, 120_000);

  it('the same reading of the check corpus: the seeds, the runbooks, generated runbooks and their mutations', () => {
    const sources = [
      ...realRunbooks().map((path) => readFileSync(join(ROOT, path), 'utf8')),
      ...generatedCorpus(1).map((entry) => entry.source),
    ];
    for (const source of sources) for (const every of [256, 4096]) same(source, every);
  }, 120_000);
});
