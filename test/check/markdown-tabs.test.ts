/**
 * Tabs in text: a tab past a line's indent and the markers of the block quotes and list items it
 * opens is kept as written, and is as wide at any column; so the readers of markdown-*.ts take
 * text holding one (PLAIN_TEXT, tabsInText), where micromark took 9.5 s for 1 MB of `> a\tb`
 * quotes. A tab in an indent, or right after a marker, still counts its columns: such lines are
 * taken only where the readers know those columns (markdown-inner.ts, markdown-item-runs.ts).
 */
import { describe, expect, it } from 'vitest';
import { tabsInText } from '../../engine/document/markdown-item-markers.js';
import { expectSame, expectSameOfLines } from '../helpers/same-blocks.js';

describe('tabsInText', () => {
  it.each([
    ['a tab in a paragraph', 'a\tb', 0, true],
    ['past spaces', '   a\tb', 0, true],
    ['in an item of a quote', '> - a\tb', 0, true],
    ['in an ordered item', '1. a\tb', 0, true],
    ['in text after a marker of no space (`>a`)', '>a\tb', 0, true],
    ['in text starting like a marker (`-a`, `1.5`)', '-a\tb', 0, true],
    ['in text starting with a number', '1.5\tGB', 0, true],
    ['in the indent', '\ta', 0, false],
    ['after spaces, in the indent', '  \ta', 0, false],
    ['right after a bullet', '-\ta', 0, false],
    ['right after a `>`', '>\ta', 0, false],
    ['right after a number', '1.\ta', 0, false],
    ['in a nested indent', '> \ta', 0, false],
    ["in a footnote definition's or task's text", '[^a]: b\tc', 0, false],
    ['in a task item', '- [ ] a\tb', 0, false],
    ['from a column', '> a\tb', 2, true],
  ])('%s', (_name, line, from, expected) => {
    expect(tabsInText(line, from)).toBe(expected);
  });
});

describe('tabs in text, read as micromark reads them', () => {
  it.each([
    ['a paragraph', 'a\tb\nc\td\n'],
    ['a list', '- a\tb\n- c\t\td\n  e\tf\n'],
    ['a quote', '> a\tb\n> c\n\n> x\ty\n'],
    ['a quote of a list', '> - a\tb\n> - c\n'],
    ['a list of quotes', '- > a\tb\n- > c\td\n'],
    ['a heading, code, a leaf', '# h\tj\n\n    c\td\n\n::x[a\tb]\n'],
    ['a tab ending a line', '- a\t\n- b\t\n> c\t\n'],
  ])('%s', (_name, text) => {
    expect(expectSame(text)).toBe(true);
  });

  it('generated documents of tabs in text, in indents and after markers', () => {
    const lines = [
      '',
      'para',
      'a\tb',
      'x\ty\t',
      '- a\tb',
      '  c\td',
      '> a\tb',
      '> - a\tb',
      '1. a\tb',
      '# h\tj',
      '    c\td',
      '\ta',
      '-\ta',
      '-\t\ta',
      '1.\t \tb',
      '-  \t  c',
      '-\t  \td',
      '>\ta',
      '- - a\tb',
      '[^f]: a\tb',
      '| a\t| b |',
      '::x{a=b}\t',
      ':::note',
      ':::',
      '```',
    ];
    expectSameOfLines(lines, 73, 2, 8, 600);
  }, 60_000);
});
