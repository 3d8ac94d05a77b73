/**
 * CRLF documents are parsed as their LF form and given back micromark's tree of them as written
 * (engine/document/markdown-crlf.ts): compared with the tree of the document read as it is
 * (CRs and all, as before), on the repository's own Markdown and on generated
 * documents; mixed line endings, lone CRs and references to line endings are left as they are.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { parseCrlf } from '../../engine/document/markdown-crlf.js';
import { parseChunks, parseMarkdown } from '../../engine/document/markdown.js';
import { safeCuts } from '../../engine/document/markdown-safe-cuts.js';
import { seededRandom } from '../helpers/generate.js';

const crlf = (text: string): string => text.replaceAll('\r\n', '\n').replaceAll('\n', '\r\n');
const plain = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
/**
 * The tree as the document read as it is gives it, in the same chunks (the readers take no CR:
 * micromark's); a chunk with a heading over several lines has every heading's inline content read.
 */
const asItIs = (text: string, every?: number): unknown => plain(parseChunks(text, safeCuts(text, every ?? 4096)));

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

describe('CRLF documents', () => {
  const root = join(import.meta.dirname, '../..');
  const files = ['runbooks', 'fixtures', 'test'].flatMap((d) => markdownFiles(join(root, d)));

  it('the repository has Markdown to compare', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => [f.slice(root.length + 1), f]))('%s read as CRLF', (_name, file) => {
    const text = crlf(readFileSync(file, 'utf8'));
    expect(plain(parseMarkdown(text))).toEqual(asItIs(text));
  });

  it.each([
    ['a paragraph of lines', 'one\r\ntwo\r\nthree\r\n'],
    ['a hard break', 'one  \r\ntwo\r\n'],
    ['fenced code', '```sh\r\necho a\r\n\r\necho b\r\n```\r\n'],
    ['indented code', '    a\r\n\r\n    b\r\n'],
    ['HTML', '<div>\r\nx\r\n</div>\r\n\r\n<!--\r\ny\r\n-->\r\n'],
    ['frontmatter', '---\r\ntitle: x\r\ntargets:\r\n  db: { kind: sqlite, path: a.db }\r\n---\r\n\r\n# T\r\n'],
    ['setext headings', 'Title\r\nmore\r\n===\r\n\r\nSub\r\n---\r\n'],
    ['a definition with a title over two lines', '[a]: /u "one\r\ntwo"\r\n\r\n# h [a]\r\n'],
    ['a table', '| a | b |\r\n| - | - |\r\n| c | d |\r\n'],
    ['a list with lazy lines', '- a\r\nlazy\r\n- b\r\n\r\n  more\r\n'],
    ['a container with a step', ':::sql{#q target=db}\r\n```sql\r\nSELECT 1\r\n```\r\n:::\r\n'],
    ['no line ending at the end', 'a\r\nb'],
    ['only line endings', '\r\n\r\n'],
  ])('%s', (_name, text) => {
    expect(parseCrlf(text, (lf) => parseMarkdown(lf))).not.toBeNull();
    expect(plain(parseMarkdown(text))).toEqual(asItIs(text));
  });

  it.each([
    ['mixed line endings', 'a\r\nb\nc\r\n'],
    ['a lone CR', 'a\rb\r\n'],
    ['no CR', 'a\nb\n'],
    ['a reference to a line feed', 'a&#10;b\r\nc\r\n'],
    ['a reference to a carriage return', 'a&#x0d;b\r\n'],
    ['&NewLine;', 'a&NewLine;b\r\n'],
  ])('left as it is: %s', (_name, text) => {
    expect(parseCrlf(text, (lf) => parseMarkdown(lf))).toBeNull();
    expect(plain(parseMarkdown(text))).toEqual(asItIs(text));
  });

  it('generated documents read as CRLF give the tree they give read as they are', () => {
    const blocks = [
      '# h',
      '## h *em* `code` [l](u)',
      'Some prose.',
      'two lines\nof prose',
      'hard  \nbreak',
      'a \\* b &amp; c',
      '- a\n- b',
      '- a\n  continued\n\n  para',
      '1. one\n2. two',
      '> quoted\nlazy',
      '```\ncode\n\nmore\n```',
      '    indented',
      '<div>\nhtml\n</div>',
      '<!-- c\nd -->',
      ':::note\ninside\n:::',
      '::sql{#q query="SELECT 1"}',
      '| a |\n| - |\n| b |',
      '[d]: /u "t\nu"',
      '[^f]: note\n    more',
      'Title\n---',
      '***',
      '',
    ];
    const random = seededRandom(97);
    for (let k = 0; k < 200; k++) {
      const parts: string[] = [];
      for (let j = 2 + random(12); j > 0; j--) parts.push(blocks[random(blocks.length)]!);
      const text = crlf(parts.join(random(3) ? '\n\n' : '\n') + (random(2) ? '\n' : ''));
      expect(plain(parseMarkdown(text, 64)), JSON.stringify(text)).toEqual(asItIs(text, 64));
    }
  }, 120_000);
});
