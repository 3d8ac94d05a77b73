/**
 * List items of one line holding one block, read with their list (engine/document/markdown-lists.ts):
 * a block quote (`- > a`), a list item (`- - a`) or indented code (`-     a`, `-\t\ta`), each
 * compared with micromark's tree, listed and generated, whole and in small chunks.
 */
import { describe, expect, it } from 'vitest';
import { findListRuns } from '../../engine/document/markdown-lists.js';
import { parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';
import { compareGeneratedLists, fast, parse } from '../helpers/list-runs.js';

describe('items holding a one-line block quote', () => {
  it.each([
    ['a bullet item', '- > a\n', true],
    ['an ordered item', '1. > a\n', true],
    ['an escape in the quote', '* > a \\* b\n', true],
    ['a tight list of them', '- > a\n- > b c\n- > &amp;\n', true],
    ['an ordered list of them', '1. > a\n2. > b\n3) > c\n', true],
    ['mixed with plain items', '- a\n- > b\n- c\n  - > d\n- e\n', true],
    ['a loose list of them', '- > a\n\n- > b\n', true],
    ['nested under a plain item', '- a\n  - > b\n  - c\n', true],
    ['then a heading', '- > a\n# h\n', true],
    ['more spaces after the marker', '-   > a\n', true],
    ['a lazy line after it (not taken)', '- > a\nb\n', false],
    ['an indented lazy line after it (not taken)', '- > a\n  b\n', false],
    ['a `>` line after it (not taken)', '- > a\n> b\n', false],
    ['an indented `>` line after it (not taken)', '- > a\n  > b\n', false],
    ['a nested item after it (not taken)', '- > a\n  - b\n', false],
    ['a paragraph in it after a blank line (not taken)', '- > a\n\n  b\n', false],
    ['nested quotes (not taken)', '- > > a\n', false],
    ['an empty quote (not taken)', '- >\n', false],
    ['no space after `>` (not taken)', '- >a\n', false],
    ['a task check before it: text starting with `>` (not taken)', '- [ ] > a\n', false],
    ['a number other than 1 interrupting a paragraph (not taken)', '- a\n  2. > b\n', false],
    ['a long number, then a line past it (not taken)', '1. a\n   123456789. > b\n       - c\n', false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
    expect(parseMarkdown(text, 1), JSON.stringify(text)).toEqual(parse(text, true));
  });

  it('generated lists mixing them with other items and blocks read as micromark reads them, whole and in small chunks', () => {
    const words = ['a', 'b c', 'a \\* b', '&amp;', '> a', '> b c', '> \\* x', '> &lt;', '>', '> > a', '>a', '[ ] > a'];
    const around = [
      'para',
      '# h',
      '***',
      '---',
      '> q',
      '> - q',
      '    code',
      '::leaf',
      '',
      '[^f]: n',
      'lazy',
      '  > more',
    ];
    const used = compareGeneratedLists(113, words, null, around, 4);
    // (Most runs hold a line left to micromark: a lazy line, `>` line, nested or empty quote.)
    expect(used).toBeGreaterThan(40);
  }, 120_000);
});

describe('items holding a one-line list', () => {
  it.each([
    ['a bullet item of a bullet item', '- - a\n', true],
    ['an ordered item of a bullet item', '1. - a\n', true],
    ['a bullet item of an item numbered 1', '- 1. a\n* 1) b\n', true],
    ['an escape in the nested item', '* + a \\* b\n', true],
    ['a tight list of them', '- - a\n- * b c\n- + &amp;\n', true],
    ['a loose list of them', '- - a\n\n- - b\n', true],
    ['a tight list of them, indented 2 spaces', '  - - a\n  - - b\n', true],
    ['mixed with plain items', '- a\n- - b\n- c\n  - - d\n- e\n', true],
    // After a blank line an item 2 or 3 spaces in, fewer than the open items' content columns, is
    // one of the run's top-level items, as one in the first two columns is.
    ['a loose list of them, indented 2 spaces', '  - - a\n\n  - - b\n', true],
    ['plain items so', '  - a\n\n  - b\n', true],
    ['plain items 3 spaces in, then one 2 spaces in', '   - a\n\n  - b\n', true],
    ['an item 2 spaces in after a blank line, in an open item (nested: not taken)', '- a\n\n  - b\n', false],
    ['an item 3 spaces in after a blank line, in an open item of 4 columns', '1.  a\n\n   2. b\n', true],
    ['then a heading', '- - a\n# h\n', true],
    ['4 spaces after either marker', '-    -    a\n', true],
    ['a lazy line after it (not taken)', '- - a\nb\n', false],
    ['an indented lazy line after it (not taken)', '- - a\n    b\n', false],
    ['a sibling of the nested item after it (not taken)', '- - a\n  - b\n', false],
    ['a paragraph in it after a blank line (not taken)', '- - a\n\n  b\n', false],
    ['three deep (not taken)', '- - - a\n', false],
    ['an empty nested item (not taken)', '- -\n', false],
    ['a nested item numbered 2 (not taken)', '- 2. a\n', false],
    ['a task check in the nested item (not taken)', '- - [ ] a\n', false],
    ['a task check before it (not taken)', '- [ ] - a\n', false],
    ['5 spaces after the nested marker: code', '- -     a\n', true],
    ['a thematic break (not taken)', '- - -\n* * *\n', false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
    expect(parseMarkdown(text, 1), JSON.stringify(text)).toEqual(parse(text, true));
  });

  it('generated lists mixing them with other items and blocks read as micromark reads them, whole and in small chunks', () => {
    const words = ['a', 'b c', '- a', '* b c', '+ \\* x', '1. a', '1) &lt;', '2. a', '- - a', '-', '- -', '- *'];
    const more = ['- [ ] a', '-    a', '-     a', '> a', '- > a', '-a', '1.a', '* * *', '- 1.', '+ +'];
    const around = [
      'para',
      '# h',
      '***',
      '---',
      '> q',
      '    code',
      '::leaf',
      '',
      '[^f]: n',
      'lazy',
      '  - more',
      '    - deeper',
    ];
    const used = compareGeneratedLists(131, words, more, around, 4);
    expect(used).toBeGreaterThan(40);
  }, 120_000);
});

describe('items holding indented code', () => {
  it.each([
    ['an item of code', '-     a\n', true],
    ['its value past 4 columns, spaces after it kept', '-     a b  \n', true],
    ['its value starting with a space', '-      a\n', true],
    ['two tabs: the second split at the code column, its rest spaces in the value', '-\t\ta\n', true],
    ['a tab, then spaces', '-\t    a\n', true],
    ['three tabs: the third kept as written', '-\t\t\ta\n', true],
    ['tabs after an ordered marker', '1.\t\ta\n10)\t\tb\n', true],
    ['tabs after a nested marker', '- -\t\ta\n* 1.\t\tb\n', true],
    ['a loose list of them', '-\t\ta\n\n-\t\ta\n', true],
    ['a tab making 4 columns: a paragraph (not taken)', '- \t a\n', false],
    ['an ordered item of code', '1.     a\n2)     b\n', true],
    ['a nested item of code', '- -     a\n', true],
    ['a nested item numbered 1 of code', '* 1.     a\n', true],
    ['a loose list of them', '- -     a\n\n- -     a\n', true],
    ['mixed with plain items', '- a\n-     b\n- c\n', true],
    ['then a heading', '-     a\n# h\n', true],
    ['code that looks like a list item, a quote, escapes', '-     a - b > c \\* &amp;\n', true],
    ['a lazy line after it (not taken)', '-     a\nb\n', false],
    ['more code after it (not taken)', '-     a\n      b\n', false],
    ['more code after a blank line (not taken)', '-     a\n\n      b\n', false],
    ['a paragraph in it after a blank line (not taken)', '-     a\n\n  b\n', false],
    ['a nested item after it (not taken)', '-     a\n  - b\n', false],
    ['a blank line of spaces after it, in the code (not taken)', '- -     a\n          \n- -     b\n', false],
    ['a blank line, then one of spaces (not taken)', '-     a\n\n      \n- b\n', false],
    ['code of a marker (not taken)', '-     - a\n', false],
    ['only spaces after the marker: an empty item, no code', '-      \n', true],
    ['a tab among its indent', '-  \t  a\n', true],
    ['a task check before it (not taken)', '- [ ]     a\n', false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
    expect(parseMarkdown(text, 1), JSON.stringify(text)).toEqual(parse(text, true));
  });

  it('generated items with spaces and tabs after their markers read as micromark reads them, whole and in small chunks', () => {
    const seps = [
      ' ',
      '  ',
      '    ',
      '     ',
      '      ',
      '\t',
      '\t\t',
      ' \t',
      '  \t',
      '\t ',
      '\t    ',
      ' \t\t',
      '\t\t\t',
    ];
    const texts = ['a', 'b c  ', '- a', '> a', '\\*', '~~~', '<div>', '|a|', '1. x', '&amp;'];
    const marks = ['-', '*', '1.', '10)', '- -', '- 1.', '1. *', '  -', '   +'];
    const around = ['', '', 'para', '# h', '      ', '  more', '      code', '> q'];
    const random = seededRandom(149);
    let used = 0;
    for (let k = 0; k < 400; k++) {
      const lines: string[] = [];
      for (let i = 1 + random(6); i > 0; i--) {
        if (lines.length > 0 && random(3) === 0) lines.push(around[random(around.length)]!);
        lines.push(`${marks[random(marks.length)]}${seps[random(seps.length)]}${texts[random(texts.length)]}`);
      }
      const text = lines.join('\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) used++;
      if (k % 2 === 0) expect(parseMarkdown(text, 1 + random(64)), JSON.stringify(text)).toEqual(parse(text, true));
    }
    expect(used).toBeGreaterThan(40);
  }, 120_000);

  it('interrupting a paragraph: left to micromark, read alike', () => {
    for (const text of ['a\n-     b\n', 'a\n- -     b\n', 'a\n1.     b\n']) {
      const runs = findListRuns(text, false, new Set([2]));
      expect(runs, JSON.stringify(text)).toEqual([]);
      expect(parseMarkdown(text, 1), JSON.stringify(text)).toEqual(parse(text, true));
    }
  });

  it('generated lists mixing them with other items and blocks read as micromark reads them, whole and in small chunks', () => {
    const words = [
      'a',
      'b c',
      '    a',
      '     b c  ',
      '- a',
      '- -     a',
      '1.     a',
      '-     - a',
      '    ~~~',
      '    <div>',
    ];
    const more = ['- [ ] a', '-    a', '-     a', '> a', '- > a', '    |a|', '    \\*', '   ', '1)     x', '+ +'];
    const around = [
      'para',
      '# h',
      '***',
      '---',
      '> q',
      '    code',
      '::leaf',
      '',
      '          ',
      'lazy',
      '  - more',
      '      more code',
    ];
    const used = compareGeneratedLists(137, words, more, around, 5);
    expect(used).toBeGreaterThan(40);
  }, 120_000);
});
