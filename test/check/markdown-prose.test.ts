/**
 * Prose (engine/document/markdown-prose.ts): plain lists and paragraphs that only blank lines
 * part stand in together as one fence; the tree is the one micromark makes of the text as it is,
 * on hand-picked neighbours and on generated documents, and through the whole parse.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { findProseRuns, itemStartApart, restoreProse } from '../../engine/document/markdown-prose.js';
import { canStandIn, runsAsFences } from '../../engine/document/markdown-stand-ins.js';
import { apartRuns, micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';
import { expectSame, expectSameOfLines } from '../helpers/same-blocks.js';
import { expectReadAsMicromark } from '../helpers/stand-in.js';

const parse = (text: string, first = false): Root => micromarkBlocks(text, first);

function fast(text: string, first = false): { tree: Root; runs: number } {
  const runs = findProseRuns(text, first, () => true).filter(canStandIn);
  if (runs.length === 0) return { tree: parse(text, first), runs: 0 };
  const tree = parse(runsAsFences(text, runs), first);
  return restoreProse(tree, runs, text) ? { tree, runs: runs.length } : { tree: parse(text, first), runs: 0 };
}

// A list right after a paragraph read there interrupts it (markdown-lists.ts, afterParagraphs):
// `**Causes:**` then `- a` in a runbook's every section. 1: the list is read; 0: micromark reads it.
describe('a list interrupting a paragraph', () => {
  it.each([
    ['emphasis, then a bullet list', '**Causes:**\n- a\n- b\n', 1],
    ['text, then an ordered list from 1', 'Some prose.\n1. first\n2. second\n', 1],
    ['text, then `2.`: its text, no list', 'Some prose.\n2. not a list\n', 0],
    ['text, then `01.`: its text, no list', 'Some prose.\n01. not a list\n', 0],
    ['text, then `10.`: its text, no list', 'Some prose.\n10. not a list\n', 0],
    ['a paragraph after a blank line in its item', 'Some prose.\n- a\n\n  more of a\n', 1],
    ['a lazy line after the item', 'Some prose.\n- a\nlazily on\n- b\n', 1],
    ['a paragraph of two lines, then two lists', 'Some prose\non two lines.\n* a\n+ b\n', 1],
    ['a heading after the list', 'Some prose.\n- a\n# H\n', 1],
    ['a nested list', 'Some prose.\n- a\n  - b\n    1. c\n', 1],
    ['an escape and a reference in the paragraph', 'Some \\* prose &amp;.\n- a\n', 1],
    ['a paragraph after a blank line', 'Some prose.\n- a\n- b\n\nMore prose.\n', 1],
    ['a loose list', 'Some prose.\n- a\n\n- b\n', 1],
    ['a task item', 'Some prose.\n- [ ] a\n- [x] b\n', 1],
    ['an item holding a quote', 'Some prose.\n- > a\n', 1],
    ['an item of code first', 'Some prose.\n- `code` and text\n', 1],
    ['an item of an empty item: its paragraph (left to micromark)', 'Some prose.\n- -\n', 0],
    ['an item of `2.`: its paragraph (left to micromark)', 'Some prose.\n- 2. a\n', 0],
    ['after a quote and a lazy line (the item ends the quote)', '> q\nlazy\n- a\n', 1],
    ['after a table (left to micromark)', '| a |\n| - |\n| b |\n- x\n', 0],
    ['after an HTML block (left to micromark)', '<div>\ntext\n- x\n', 0],
    ['an indented item (left to micromark)', 'Some prose.\n   - x\n', 0],
    ['an empty item: an underline, no list', 'Some prose.\n- \n', 0],
    ['dashes after the item (left to micromark)', 'Some prose.\n- a\n---\n', 0],
    ['after a setext heading (left to micromark)', 'Title\n=====\n- a\n', 0],
  ])('%s', (_name, text, built) => expectReadAsMicromark(text, 'list', built));
});

describe('lists and paragraphs stand in together', () => {
  it.each([
    ['paragraph, list, paragraph', 'Some prose.\n\n- a list item\n- another\n\nMore prose.\n', 1],
    ['several blank lines between', 'Some prose.\n\n\n\n- a\n- b\n\n\nMore prose.\n', 1],
    ['a heading between (one run, the heading built too)', 'Some prose.\n\n# H\n\nMore prose.\n', 1],
    ['a heading right after a paragraph, then one', 'Some prose.\n# H\nMore prose.\n', 1],
    ['list items each closed by a heading', '- a\n# h\n- a\n## h\n- b\n###### h6\n', 1],
    ['a heading with a closing sequence', 'Some prose.\n# H #\nMore prose.\n## b ##  \n', 1],
    ['a closing sequence after a `#` in the text (two runs)', 'Some prose.\n# a # #\nMore prose.\n', 2],
    ['a `#` ending the text, no space before it (two runs)', 'Some prose.\n# a#\nMore prose.\n', 2],
    ['an empty heading with a closing sequence (two runs)', 'Some prose.\n# #\nMore prose.\n', 2],
    [
      'a heading with inline syntax (as written: markdown.ts parses its inline text later)',
      'Some prose.\n# H *em*\nMore prose.\n',
      1,
    ],
    ['two spaces after the marks (two runs)', 'Some prose.\n#  H\nMore prose.\n', 2],
    ['a heading with an escape and a reference', 'Some prose.\n# a \\* b &amp; c &nope; \\q\nMore prose.\n', 1],
    ['a heading with an escaped `#`', 'Some prose.\n# a \\# b\nMore prose.\n', 1],
    ['a heading with an escape before its closing sequence', 'Some prose.\n## a \\* ##\nMore prose.\n', 1],
    ['a heading ending in an escaped `#` (two runs)', 'Some prose.\n# a \\#\nMore prose.\n', 2],
    ['a heading that is an escape', 'Some prose.\n# \\*\nMore prose.\n', 1],
    ['a numbered heading', 'Some prose.\n## 1. Restart\nMore prose.\n', 1],
    ['a heading of emphasis first', 'Some prose.\n# *a* *b*\nMore prose.\n', 1],
    ['a heading of a list marker first', 'Some prose.\n# - a\n# > b\n# ***\nMore prose.\n', 1],
    ['a heading of a reference first', 'Some prose.\n# &amp; b\nMore prose.\n', 1],
    ['seven marks: a paragraph line (not taken)', '####### H\n', 0],
    ['thematic breaks closing a list, a paragraph and a quote', '- a\n***\nSome prose.\n___\n> q\n*****  \n', 1],
    ['a break of dashes after a paragraph: a setext heading', 'Some prose.\n---\n', 1],
    ['a break with spaces between its marks', '* * *\n', 1],
    ['a break of dashes with spaces between them, under a paragraph', 'Some prose.\n- - -\n', 1],
    ['a break in a fence (not taken: the fence is)', '```\n***\n```\n', 1],
    ['a break after a table row (not taken)', '| a |\n| - |\n***\n', 0],
    ['no space after the mark: a paragraph line (not taken)', '#H\n', 0],
    ['a heading in an HTML block (not taken: the block, to the end of the text, is)', '<div>\n# H\n- a\n', 1],
    ['a heading after a table (not taken)', '| a |\n| - |\n# H\n- a\n', 0],
    ['a heading in a fence (not taken: the fence is)', '```\n# H\n```\n', 1],
    ['a heading in a container', ':::note\n# H\n- a\n:::\n', 1],
    ['an indented heading', ' # H\n', 1],
    ['an indented heading after a list item (not taken)', '- a\n  # H\n', 0],
    ['a code block between (one run: the fence is a part)', 'Some prose.\n\n```\ncode\n```\n\nMore prose.\n', 1],
    [
      'a code block of an escaped info between (its info decoded)',
      'Some prose.\n\n```a\\*\ncode\n```\n\nMore prose.\n',
      1,
    ],
    ['a code block with a tab in its info between (two runs)', 'Some prose.\n\n```a\tb\ncode\n```\n\nMore prose.\n', 2],
    ['a blank line with spaces between', 'Some prose.\n   \n- a\n- b\n', 1],
    ['a loose list then a paragraph', '- a\n\n- b\n\nSome prose.\n', 1],
    ['a list followed by an indented paragraph (not taken)', 'Some prose.\n\n- a\n- b\n\n  more of b\n', 1],
    // micromark ends the container at the list's line start, but sooner before a stand-in's fence.
    [
      'a list after blank lines that end a footnote with a container open (not taken)',
      '[^a]: :::note\n\n\n\n- a\n- b\n',
      0,
    ],
    // A footnote definition ends the list above it, and a list item the definition above it: each
    // is a new container, with no blank line between.
    ['list items each closing a footnote definition', '[^a]: b\n- c\n\n[^a]: b\n- c\n\n[^a]: b\n- c\n', 1],
    ['footnote definitions each closing a list item', '- x\n[^a]: b\n\n- c\n\n- x\n[^a]: b\n\n- c\n', 1],
    ['nested items, ordered ones, and nested definitions', '1. x\n   - y\n[^a]: [^b]: c\n2) d\n3) e\n[^c]: f\n', 1],
    ['a definition after a list item of inline syntax (not taken; the list after it is)', '- *x*\n[^a]: b\n- c\n', 1],
    ['a list item after a definition of inline syntax', '[^a]: *b*\n- c\n', 1],
    ['a list item after a definition of a quote (not taken)', '[^a]: > b\n- c\n', 0],
    // The definition is not taken (a fence may be open in the item before the blank line), the list is.
    ['a list item after a definition after a fence left open in an item', '- ```\n\n[^a]: b\n- c\n', 1],
  ])('%s', (_name, text, runs) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.runs).toBe(runs);
  });

  it('generated documents read as micromark reads them', () => {
    const others = [
      '# h',
      '> q',
      '```\ncode\n\nSome prose.\n```',
      '<div>',
      ':::note',
      ':::',
      '    code',
      '***',
      '# h #',
      '## h ## ',
      '# a # b #',
      '# a#',
      '# a \\* b',
      '## &amp; \\# x ##',
      '# a \\#',
      '# &nope; \\q',
      '# *a* *b*',
      '## 1. Restart',
      '# - not a list',
      '# > not a quote',
      '# <div>',
      '# ***',
      '# :::x',
      '# `x` | y',
      '#  two spaces',
      '# #a',
      '___',
      '***  ',
      '* * *',
      '- - -',
      '_\t_ _',
      '---',
      '1. n',
      '[d]: /u',
      '[d]: /u\n[e]: /v',
      '[^f]: note x',
      '[^f]: [^g]: note',
      '"title"',
      '    indented',
      '[^f]: note x\n\n    more of it',
    ];
    const plain = ['Some prose.', 'x y z', '`code` first', '2024 year', 'ab', 'a\\*b'];
    const random = seededRandom(41);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    let taken = 0;
    for (let k = 0; k < 400; k++) {
      const parts: string[] = [];
      for (let j = 2 + random(8); j > 0; j--) {
        const kind = random(3);
        if (kind === 0) parts.push(pick(others));
        else if (kind === 1) {
          const lines = Array.from({ length: 1 + random(3) }, () => pick(plain));
          // Sometimes a setext heading: an underline after the paragraph.
          if (random(3) === 0) lines.push(pick(['===', '---', '-', '  ==  ']));
          parts.push(lines.join('\n'));
        } else
          parts.push(
            Array.from(
              { length: 1 + random(4) },
              (_, i) =>
                `${' '.repeat(i > 0 && random(4) === 0 ? 2 : 0)}${pick(['-', '*', '1.', '2.', '1)', '- [ ]', '3. [x]'])} ${pick(plain)}`,
            ).join(random(5) === 0 ? '\n\n' : '\n'),
          );
      }
      const text = parts.join(pick(['\n\n', '\n\n', '\n', '\n\n\n'])) + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      taken += result.runs;
    }
    expect(taken).toBeGreaterThan(200);
  }, 60_000);

  it('generated footnote definitions and list items, with no blank line between or some, read as micromark reads them', () => {
    const footnotes = [
      '[^a]: b',
      '[^a]: [^b]: c d',
      '[^a]: *b*',
      '[^a]: b\nlazy',
      '[^a]: b\n    - c',
      '[^a]: ```',
      '[^a b]: c',
    ];
    const items = ['- c', '* c d', '+ c', '1. c', '3) c', '- [ ] c', '  - c', '   2. c', '    - c', '- *c*', '- ```'];
    const others = [
      'Some prose.',
      'x\ny',
      '# h',
      '::leaf',
      '***',
      '- - -',
      '* * *',
      '> q',
      '> q\nlazy',
      '```\ncode\n```',
      '    code',
      '<div>',
    ];
    const random = seededRandom(47);
    const pick = <T>(list: readonly T[]): T => list[random(list.length)]!;
    let taken = 0;
    for (let k = 0; k < 500; k++) {
      const parts: string[] = [];
      for (let j = 2 + random(12); j > 0; j--) {
        const kind = random(8);
        if (kind < 3) parts.push(pick(footnotes));
        else if (kind < 7) {
          // A list: nested items, lazy lines.
          const lines = [pick(items)];
          for (let i = random(3); i > 0; i--) lines.push(pick(['  - d', '    e', 'lazy', '- f', '2. g']));
          parts.push(lines.join('\n'));
        } else parts.push(pick(others));
      }
      let text = '';
      for (const part of parts) text += (text === '' ? '' : pick(['\n', '\n', '\n\n', '\n\n\n'])) + part;
      text += random(4) ? '\n' : '';
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      taken += result.runs;
      for (const every of [1, 24]) expect(parseMarkdown(text, every), JSON.stringify(text)).toEqual(parse(text, true));
    }
    expect(taken).toBeGreaterThan(300);
  }, 60_000);

  it('long prose read apart from micromark, between other blocks, reads as micromark reads it whole', () => {
    const random = seededRandom(43);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    const sentence = (): string =>
      pick(['Check the replica lag.', 'Restart `api` if it is stuck', 'Then page the owner', 'ü and 日本 too']);
    const marker = (): string => pick(['-', '-', '1.', '2)', '- [ ]', '1. [x]']);
    const prose = (): string =>
      Array.from({ length: 8 + random(30) }, () => {
        const kind = random(6);
        if (kind < 2) return Array.from({ length: 1 + random(3) }, () => `${marker()} ${sentence()}`).join('\n');
        // A setext heading of one line with no inline syntax (markdown.ts parses a heading's inline
        // text after the blocks, which micromarkBlocks does not).
        if (kind === 2) return `${pick(['Check the replica lag.', 'ü and 日本 too   '])}\n${pick(['===', '---'])}`;
        return Array.from({ length: 1 + random(3) }, sentence).join('\n');
      }).join(pick(['\n\n', '\n\n\n']));
    const others = [
      '# Heading',
      '## Heading two',
      '```sh\necho hi\n\nSome prose in code.\n```',
      '::sql{#q query="SELECT 1"}',
      '> quoted\n> more',
      '<div>\ninside html\n</div>',
      '    indented code',
      '| a | b |\n| - | - |\n| 1 | 2 |',
      '1. ordered\n2. list',
      '- a list\n  - nested item',
    ];
    for (let k = 0; k < 12; k++) {
      let text = random(2) ? '---\ntitle: t\n---\n\n' : '';
      while (text.length < 12_000) {
        const kind = random(4);
        if (kind === 0) text += `${prose()}\n\n`;
        else if (kind === 1) text += `:::note\n\n${prose()}\n\n:::\n\n`;
        else if (kind === 2) text += `# Heading\n${prose()}\n# After\n\n`;
        else text += `${pick(others)}\n\n`;
      }
      const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
      expect(strip(parseMarkdown(text)), text).toEqual(strip(micromarkBlocks(text, true)));
    }
  }, 60_000);

  it('a chunk of short runs and blank lines only is built apart, micromark reading none of it', () => {
    const section = '**Root causes:**\n- a `ps aux | grep x`\n- b\n\nSome prose.\n\n# Next\n::leaf\n\n';
    const runs = findProseRuns(section, false, () => true);
    expect(runs.length).toBeGreaterThan(0);
    expect(apartRuns(runs, section, true)).toEqual(runs);
    // Not when a deep nest is in the chunk, nor when anything but blank lines lies outside the runs:
    // a line of no-break spaces is a paragraph to micromark.
    expect(apartRuns(runs, section, false)).toEqual([]);
    for (const text of [`${section}\u00a0\n\n${section}`, `${section}- >\n\n${section}`]) {
      const found = findProseRuns(text, false, () => true);
      expect(apartRuns(found, text, true), JSON.stringify(text)).toEqual([]);
      expect(parseMarkdown(text), JSON.stringify(text)).toEqual(micromarkBlocks(text, true));
    }
    expect(parseMarkdown(section)).toEqual(micromarkBlocks(section, true));
  });

  it('a line of no-break spaces between long runs is read by micromark (it is no blank line)', () => {
    const prose = 'Some prose here.\n\n'.repeat(100);
    for (const text of [`${prose}\u00a0\n\n${prose}`, `${prose} \u00a0\n${prose}`, `${prose}\t\n \n${prose}`]) {
      const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
      expect(strip(parseMarkdown(text)), JSON.stringify(text.slice(1790, 1830))).toEqual(
        strip(micromarkBlocks(text, true)),
      );
    }
  });

  it("what is left open before a run read apart ends where the run's first line ends it", () => {
    const prose = 'Some prose here.\n\n'.repeat(100);
    for (const before of [
      '- :::note\n# h\n',
      '- :::note\n::leaf\n',
      '> :::note\n***\n',
      '[^a]: :::note\n\n\n\n',
      '- ```\n# h\n',
    ]) {
      const text = before + prose;
      const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
      expect(strip(parseMarkdown(text)), before).toEqual(strip(micromarkBlocks(text, true)));
    }
  });

  it('a loose list longer than a chunk is one list (the document is not cut before an item)', () => {
    for (const item of ['- item \\*', '- item', '1. item \\*', '* item']) {
      let text = '';
      for (let i = 0; text.length < 10_000; i++) text += `${item} ${i}\n\n`;
      const tree = parseMarkdown(text);
      expect(tree.children.map((c) => c.type)).toEqual(['list']);
      expect(JSON.parse(JSON.stringify(tree))).toEqual(JSON.parse(JSON.stringify(micromarkBlocks(text, true))));
    }
  });

  it('short paragraphs read apart from micromark read as micromark reads them whole', () => {
    for (const unit of [
      'a\n\n',
      'a\n\nb\nc\n\n',
      'ab\n\n- x y\n- z\n\n',
      'a\n# h\n\n',
      '[a]: b\n\n',
      '[^a]: b\n\nc\n\n',
      '[a]: b\n[b]: c\n\n# h\n\n',
      '[^a]: b\n\n    c\n\n',
      '[^a]: b\n- c\n\n',
      '- x\n[^a]: b\n\n- c\n\n',
      '[^a]: b\n1. c\n   - d\n[^e]: [^f]: g\n2) h\n\n',
    ]) {
      const text = unit.repeat(Math.ceil(12_000 / unit.length));
      const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
      expect(strip(parseMarkdown(text)), unit).toEqual(strip(micromarkBlocks(text, true)));
    }
  });

  it('tiny ordered, task and setext blocks read apart from micromark read as micromark reads them whole', () => {
    // Past a chunk's size (where it can be cut); micromark takes the square of their length when
    // it reads them whole: 5 KB takes it a third of a second.
    const units = [
      ['1. a\n', 5000],
      ['1. a\n\n', 5000],
      ['7) a\n8) b\n\n- c\n', 5000],
      ['- [ ] a\n- [x] b\n', 5000],
      ['a\n-\n\n', 5000],
      ['a\n=\nb\n-\n', 2048],
      ['Title  \n===\n\n- [ ] a\n  1. b\n\n', 5000],
    ] as const;
    for (const [unit, size] of units) {
      const text = unit.repeat(Math.ceil(size / unit.length));
      const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
      expect(strip(parseMarkdown(text)), unit).toEqual(strip(micromarkBlocks(text, true)));
    }
  }, 60_000);

  it('64 KB of prose parses as micromark parses it whole', () => {
    const unit =
      'Some prose with `code`, a [link](http://x), localhost:8080 and image:latest.\n\n- a list item\n- another\n\n';
    const text = unit.repeat(Math.ceil((64 * 1024) / unit.length));
    const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
    expect(strip(parseMarkdown(text))).toEqual(strip(micromarkBlocks(text, true)));
  });
});

describe('a `|` makes a table only above a delimiter row', () => {
  it.each([
    ['a pipe in a paragraph, then a heading', 'Run `ps aux | grep x` now.\n# Next\n'],
    ['a pipe in a paragraph, then a leaf directive', 'a | b\n::leaf\n'],
    ['a table, then a heading', 'a | b\n| - | - |\n# h\n'],
    ['a table, then an item', 'a | b\n- | -\n- c\n'],
    ['a table interrupting a paragraph', 'x\na | b\n:-: | ---\nc\n'],
    ['a table in a block quote', '> a | b\n> - | -\n> c\n# h\n'],
    ['a table in a list item', '- a | b\n  - | -\n  c\n# h\n'],
    ['a head without a pipe, a delimiter row with one', 'a\n|-\nb\n# h\n'],
    ['a blank line between: no table', 'a | b\n\n- | -\n# h\n'],
    ['a leaf directive with a pipe, then a delimiter row', '::x{a="|"}\n| - |\n# h\n'],
    ['a pipe and a lone carriage return', 'a | b\r- | -\n# h\n'],
    ['pipes in items of a list after a paragraph', 'Causes:\n- a | b\n- c | d\n\n::leaf\n'],
  ])('%s', (_name, text) => {
    expect(expectSame(text)).toBe(true);
  });

  it('generated lines with pipes and delimiter rows read as micromark reads them, whole and in chunks', () => {
    const pool = [
      '',
      'text',
      'a | b',
      '`x | y` z',
      '| a | b |',
      '| - | - |',
      '- | -',
      ':-: | --:',
      '---',
      '|-',
      '# h',
      '::leaf',
      '- item | pipe',
      '- item',
      '  - | -',
      '  c | d',
      '> q | r',
      '> - | -',
      '1. n | m',
      '[^f]: a | b',
    ];
    const random = seededRandom(29);
    for (let k = 0; k < 300; k++) {
      const lines = Array.from({ length: 2 + random(8) }, () => pool[random(pool.length)]!);
      const text = `${lines.join('\n')}\n`;
      expectSame(text);
    }
  });
});

// Indented code right after a closer in the first column (an ATX heading, a leaf directive, a
// break: batched contents of containers are parted by one, markdown-inner.ts), as after a blank line.
describe('indented code after a closer', () => {
  const indented = (text: string): number =>
    findProseRuns(text, false, () => true)
      .flatMap((run) => run.parts)
      .filter((part) => part.kind === 'indented').length;
  it.each([
    ['after an ATX heading', '# h\n    code\n', 1],
    ['after a leaf directive, two lines and a paragraph after a blank line', '::x\n    code\n      more\n\npara\n', 1],
    ['after a thematic break', '***\n    code\n', 1],
    ['after a heading that ends a list', '- a\n# h\n    code\n', 1],
    ['after a paragraph line (its text going on: not taken)', 'para\n    code\n', 0],
    ['after a list item (its content: not taken)', '- a\n    code\n', 0],
  ])('%s', (_name, text, count) => {
    expect(indented(text)).toBe(count);
    expectSame(text);
  });

  it('generated documents of closers and indented lines read as micromark reads them', () => {
    const lines = ['# h', '::x', '***', '    code', '      deep', '    ', '', 'para', '- a', '> q', '```', '\tcode'];
    expectSameOfLines(lines, 59);
  }, 60_000);
});

describe('item runs are looked for only where a line may start one outside every part', () => {
  const text = '- a\n\n  b\n\n* c\n\n[^f]: d\n\n1. e\n';
  const starts = [0, 10, 15, 24];
  const part = (start: number, end: number) => ({ run: { start, end } });
  it.each([
    ['no parts', [], true],
    ['every start in a part', starts.map((start) => part(start, start + 3)), false],
    ['one part over all', [part(0, text.length)], false],
    ['a container part holding the others (its reach)', [part(0, 30), part(1, 3), part(10, 12)], false],
    ['the footnote definition outside', [part(0, 12), part(24, 28)], true],
    ['the last item outside', [part(0, 22)], true],
  ])('%s', (_name, parts, apart) => {
    expect(itemStartApart(parts, text)).toBe(apart);
  });
});
