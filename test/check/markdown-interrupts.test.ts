/**
 * Lines that start containers right after a paragraph's line or indented code (which blank lines
 * do not end): micromark reads every container such a line starts as interrupting, the nested ones
 * too, so an empty item or one numbered other than 1 nested there is text (`a` then `> -` is a
 * quote of the text `-`), where the readers of engine/document/markdown-*.ts, reading an item's or
 * quote's content alone, would start a list (nestsInterrupted). Also tabs right after markers, which
 * micromark splits between the marker and the content. Compared with micromark's tree of the whole
 * document, in chunks of several sizes, on listed documents and on generated ones (what a fuzzer
 * found wrong before: `h\n>-`, `    h\n\n- -`, `a\n> [^x]: -`, `1.\t\n===`).
 */
import { describe, expect, it } from 'vitest';
import { nestsInterrupted } from '../../engine/document/markdown-item-markers.js';
import { expectSame, expectSameOfLines } from '../helpers/same-blocks.js';

describe('nestsInterrupted', () => {
  it.each([
    ['- -', true],
    ['> -', true],
    ['> 2. a', true],
    ['- > 10) a', true],
    ['[^a]: -', true],
    ['>[^a]:1.', true],
    ['- \t', true],
    ['- a', false],
    ['> 1. a', false],
    ['- > a', false],
    ['[^a]: b', false],
    ['-a', false],
    ['text', false],
  ])('%j: %s', (line, expected) => {
    expect(nestsInterrupted(line)).toBe(expected);
  });
});

describe('containers interrupting a paragraph or indented code', () => {
  it.each([
    ['a quote of an empty item after text', 'h\n>-\n'],
    ['a quote of an item from 2 after text', 'e\n>2. a\n'],
    ['an item holding an empty one after indented code', '    h\n- -\n'],
    ['the same after a blank line', '    h\n\n- -\n'],
    ['a quote of an empty item after indented code and a blank line', '    h\n\n> -\n'],
    ['an ordered item holding one from 1, empty, after tab-indented code', ' \t-\n1.\t1.\n'],
    ['an item holding one from 0 after tab-indented code', ' \t-\n- 0.\n'],
    ['a quote of a footnote definition of an empty item after text', 'b\n>[^a]:-\n'],
    ['an item holding a footnote definition of an empty item, after text indented', '  .\n- [^a]:1.\n'],
    ['a footnote definition of an empty item after indented code', '    a\n\n[^x]: -\n'],
    ['an empty item in an item, after a table row', 'b |\n- >-\n'],
    ['an empty ordered item ending in a tab, then an underline', '1.\t\n===\n'],
    ['an empty ordered item ending in spaces after a tab, then indented lines', '1.\t     \n  ===\n ---\n'],
    ['the same at the text end, no line ending', 'h\n>-'],
  ])('%s', (_name, text) => {
    expectSame(text);
  });

  const before = ['h', 'Some text', '    code', '\tcode', ' \t-', '', '# h', '```\nx\n```', 'b |', '- a', '> q'];
  const starts = ['- ', '> ', '>', '* ', '1. ', '2) ', '- > ', '> - ', '[^a]: ', '> [^a]: ', '-\t', '1.\t', '- [ ] '];
  const rests = ['-', '- ', '1.', '2.', '2. a', '1. a', 'a', '*', '> -', '[^b]:', '- b', ''];
  const lines = [...before, ...starts.flatMap((start) => rests.map((rest) => start + rest))];
  it('generated documents of lines starting containers after text and code read as micromark reads them', () => {
    expectSameOfLines(lines, 61, 2, 5, 500);
  });
});
