/**
 * A heading's text read without a parse where its inline syntax is only code spans and emphasis
 * (engine/document/markdown-heading-inline.ts): the text a full parse gives (remark with GFM and
 * directives, mdast-util-to-string), or null; compared on listed and generated headings, and
 * through the whole parse.
 */
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { normalizeIdentifier } from '../../engine/document/markdown-definitions.js';
import { simpleHeadingText } from '../../engine/document/markdown-heading-inline.js';
import { parseMarkdown } from '../../engine/document/markdown.js';
import { textOf } from '../../engine/document/text-of.js';
import { seededRandom } from '../helpers/generate.js';

const full = unified().use(remarkParse).use(remarkGfm).use(remarkDirective);

/** Labels defined by the documents below (`[label]: /u`). */
const LABELS = ['a', 'Foo  Bar', 'ß', 'x y'];
const DEFINITIONS = LABELS.map((label, i) => `[${label}]: /u${i}`).join('\n');
const defined = (label: string): boolean => LABELS.some((l) => normalizeIdentifier(l) === normalizeIdentifier(label));

/** The heading's text as a full parse of `# raw`, with the definitions after it, gives it. */
function parsed(raw: string): string {
  const node = full.parse(`# ${raw}\n\n${DEFINITIONS}\n`).children[0]!;
  return node.type === 'heading' ? textOf(node) : '';
}

describe('heading text read without a parse', () => {
  it.each([
    ['a *b*', 'a b'],
    ['a **b**', 'a b'],
    ['a ***b***', 'a b'],
    ['a _b_', 'a b'],
    ['a __b__ c', 'a b c'],
    ['*a* b', 'a b'],
    ['a*b*c', 'abc'],
    ['a_b_c', 'a_b_c'],
    ['snake_case_name', 'snake_case_name'],
    ['a * b * c', 'a * b * c'],
    ['5*3', '5*3'],
    ['a *b', 'a *b'],
    ['a *b**', 'a b*'],
    ['***a** b*', 'a b'],
    ['**a *b* c**', 'a b c'],
    ['*a **b***', 'a b'],
    ['__a_ b_', 'a b'],
    ['*a **b* c**', 'a b c'],
    ['a \\# b', 'a # b'],
    ['a \\` b `c`', 'a ` b c'],
    ['`a\\`b', 'a\\b'],
    ['a &#42;b&#42;', 'a *b*'],
    ['a &ouml; &#x41; &#0;', 'a ö A \uFFFD'],
    ['a &nope; b', 'a &nope; b'],
    ['Monitoring & Alerts', 'Monitoring & Alerts'],
    ['Q&A *now*', 'Q&A now'],
    ['AT&T_x_', 'AT&T_x_'],
    ['a &#x; &amp &', 'a &#x; &amp &'],
    ['*a*&', 'a&'],
    ['&*a*', '&a'],
    ['a \\q', null],
    ['a \\[b]', null],
    ['*a*&amp;', 'a&'],
    ['*a* *b*', 'a b'],
    ['*a _b* c_', 'a _b c_'],
    ['Restart `pgbouncer`', 'Restart pgbouncer'],
    ['`a` and `` b`c ``', 'a and b`c'],
    ['` a `', 'a'],
    ['`  `', '  '],
    ['`a', '`a'],
    ['``a`', '``a`'],
    ['`*a*`', '*a*'],
    ['`[x](y)`', '[x](y)'],
    ['*a `b` c*', 'a b c'],
    ['*a`*`', '*a*'],
    ['Step 1: restart', 'Step 1: restart'],
    ['Step 1:', 'Step 1:'],
    ['a:b', null],
    ['see http://x', null],
    ['a [b]', 'a [b]'],
    ['a [a]', 'a a'],
    ['[A] and [foo bar] and [SS]', 'A and foo bar and SS'],
    ['[x  y]', 'x  y'],
    ['see [the docs](https://example.com/a-b?c=d#e) now', 'see the docs now'],
    ['see [the docs](https://example.com/a_b*c) now', null],
    ['[a]()', 'a'],
    ['[a](b c)', null],
    ['[a](b "t")', null],
    ['[a][]', null],
    ['[t][a]', null],
    ['[a [b]]', null],
    ['a ] b', null],
    ['[^a]', null],
    ['![a](b)', null],
    ['Done!', 'Done!'],
    ['[*a*](b)', null],
    ['*a* [b]', null],
    ['[www.x.com](y)', null],
    ['[a] http://x', null],
    ['a \\*b\\*', 'a *b*'],
    ['a &amp;', 'a &'],
    ['www.example.com', null],
    ['*😀*', '😀'],
    ['_😀_', '😀'],
    ['a*😀*', 'a😀'],
    ['*.*', '.'],
    ['a*.*b', 'a*.*b'],
    ['_._', '.'],
    ['@', '@'],
    ['Page @oncall', 'Page @oncall'],
    ['a @ b *c*', 'a @ b c'],
    ['a@ b', 'a@ b'],
    ['*a*@', 'a@'],
    ['mail ops@example.com', null],
    ['a_@b.c', null],
    ['a.@b.c', null],
    ['a+b@c.d *e*', null],
  ])('%j', (raw, expected) => {
    expect(simpleHeadingText(raw, defined)).toBe(expected);
    if (expected !== null) expect(expected).toBe(parsed(raw));
  });

  it('generated headings: the text a full parse gives, or null', () => {
    const pieces = [
      '[a]',
      '[b]',
      '[ß]',
      '[SS]',
      '[x y]',
      '[a](u)',
      '[a](u v)',
      '(',
      ')',
      '[',
      ']',
      '!',
      '![a](u)',
      '\\*',
      '\\_',
      '\\`',
      '\\\\',
      '\\a',
      '&amp;',
      '&#42;',
      '&nope;',
      '&',
      '& ',
      '&#',
      '&x',
      '*',
      '_',
      '**',
      'a',
      'b',
      'word',
      ' ',
      ' ',
      '*',
      '**',
      '***',
      '_',
      '__',
      '`',
      '``',
      '.',
      ',',
      '(',
      ')',
      '-',
      '😀',
      'é',
      ':',
      ': ',
      '@',
      'x@y.z',
      '#',
      '"',
      "'",
      '=',
    ];
    const random = seededRandom(83);
    let read = 0;
    for (let k = 0; k < 20_000; k++) {
      const raw = Array.from({ length: 1 + random(9) }, () => pieces[random(pieces.length)]!)
        .join('')
        .trim();
      if (raw === '' || raw.endsWith('#')) continue;
      const text = simpleHeadingText(raw, defined);
      if (text === null) continue;
      read++;
      expect(text, JSON.stringify(raw)).toBe(parsed(raw));
    }
    expect(read).toBeGreaterThan(5000);
  }, 120_000);

  it('generated runs of emphasis marks: matched as a full parse matches them', () => {
    const pieces = ['*', '**', '***', '_', '__', '___', 'a', 'b', ' ', ' ', '.', '(', '\\*', '`x`', '&amp;', 'é', '😀'];
    const random = seededRandom(89);
    let read = 0;
    for (let k = 0; k < 20_000; k++) {
      const raw = Array.from({ length: 2 + random(10) }, () => pieces[random(pieces.length)]!)
        .join('')
        .trim();
      if (raw === '') continue;
      const text = simpleHeadingText(raw, defined);
      if (text === null) continue;
      read++;
      expect(text, JSON.stringify(raw)).toBe(parsed(raw));
    }
    expect(read).toBeGreaterThan(15_000);
  }, 120_000);

  it('parseMarkdown gives headings the text a full parse gives', () => {
    const text =
      '# Restart `pgbouncer` *now*\n\n## a_b_c and **bold**\n\nSome prose.\n\n### `x` [link](u)\n\n# See [a] and [b] and [c](d)\n\n[a]: /u\n\n# Page @oncall\n\n# Mail ops@example.com\n\n# @\n\n## a_@b.c\n';
    const headings = (tree: ReturnType<typeof parseMarkdown>): string[] =>
      tree.children.flatMap((c) => (c.type === 'heading' ? [textOf(c)] : []));
    expect(headings(parseMarkdown(text))).toEqual(headings(full.parse(text)));
  });
});
