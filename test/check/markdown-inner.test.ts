/**
 * Block quotes of any content, read as documents of their own (engine/document/markdown-inner.ts,
 * markdown-quotes.ts): compared with micromark's tree of the whole document, through the whole
 * parse in chunks of several sizes, on listed quotes and on generated ones.
 */
import { describe, expect, it } from 'vitest';
import { containersMeet, copyNodes, movedToNext } from '../../engine/document/markdown-inner-ends.js';
import { findQuoteRuns } from '../../engine/document/markdown-quotes.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { CONTENT_LINES, expectSame, expectSameOfLines, OTHER_BLOCKS } from '../helpers/same-blocks.js';
import { seededRandom } from '../helpers/generate.js';

/** How many quotes of `text` are read as documents of their own (their content by micromark here). */
const taken = (text: string): number =>
  findQuoteRuns(text, false, (inner) => micromarkBlocks(inner)).filter((run) => run.inner !== null).length;

describe('block quotes read as documents of their own', () => {
  it.each([
    ['paragraphs', '> a\n>\n> b\n', 1],
    ['paragraphs, the empty line written `> `', '> a\n> \n> b c\n', 1],
    ['a heading and text', '> # h\n> text\n', 1],
    ['a setext heading', '> a\n> ---\n> b\n', 1],
    ['fenced code', '> ```js\n> code\n>\n> ```\n> after\n', 1],
    // Left open, these end where the content does, as in a document: but for an empty last line
    // that ends the text, where micromark ends them before the line's `>`.
    ['fenced code left open', '> ```\n> code\n\nafter\n', 1],
    ['fenced code left open, then a heading', '> ~~~\n> code\n# h\n', 1],
    ['fenced code left open, then text', '> ```\na\n> ```\nb\n', 2],
    ['fenced code left open, an empty line last (not taken)', '> ~~~\n> code\n>\n', 0],
    ['containers left open, an empty line last (not taken)', '> :::a\n> :::b\n> \nc\n', 0],
    ['containers left open, text last', '> :::a\n> :::b\n> x\n', 1],
    // In a `:::` container, micromark ends a quote an empty line closes at that line's start.
    ['a quote in a container, then an empty line (not taken)', '> :::x\n> > a\n>\n> b\n', 0],
    ['a quote of a quote in a container, then an empty line (not taken)', '> :::x\n> > > a\n>\n> b\n', 0],
    ['items of a quote in a container (not taken)', ' > :::note\n > - > y\n> - > y\n', 0],
    ['a list in a container, then an empty line (not taken)', '> :::x\n> - a\n>\n> b\n', 0],
    ['fenced code left open, an empty line last ending the text (not taken)', '> ~~~\n> code\n> ', 0],
    ['fenced code left open, its last line ending the text', '> ~~~\n> code', 1],
    // A tab's width depends on its column, and a quote's content column (2 past the `>`) is no tab
    // stop: tabs in the leading white space are read as the spaces they reach (innerLines).
    ['a tab after `> `: a list', '> \t- a\n> \t- b\n', 1],
    ["a tab right after `>`, one column of it the quote's", '>\t- a\n', 1],
    ['two tabs: code (its value would keep the spaces: not taken)', '>\t\tfoo\n', 0],
    // Indented code keeps what is past its first 4 columns: spaces as written there, a tab before.
    ['a tab, then 4 spaces: code', '> \t    @\n', 1],
    ['a tab right after `>`, then 4 spaces: code of two lines', '>\t    @\n>\t     b\n', 1],
    ['a tab, then spaces and a tab: code (its value keeps the tab: not taken)', '> \t  \t@\n', 0],
    // A fence's opening and closing lines are no part of its value.
    ['a fence opened and closed after a tab', '> \t```\n> a\n> \t```\n', 1],
    [
      'a fence after a tab, a line of it after a tab (its value would keep the spaces: not taken)',
      '> \t~~~\n> \tx\n> \t~~~\n',
      0,
    ],
    ['a tab past spaces, an indented `>`', ' >\t- a\n >\tb\n', 1],
    ['a content column at a tab stop: tabs kept', '  > \t\t===\n', 1],
    ['a tab past the leading white space, in the text of a nested item', '> \t- a\tb\n', 1],
    ['a tab past the leading white space, after a nested marker (not taken)', '> \t-\tb\n', 0],
    // A tab in the text (past a first character that opens no container) is as wide anywhere:
    // 1 MB of `> a\tb` quotes took micromark 9.5 s.
    ['a tab in the text of a list holding a list', '> - a\tb\n>   - c\n', 1],
    ['a tab in a paragraph and a heading', '> a\tb\n> # h\tj\n', 1],
    ['a tab in code', '> a\n>\n>     c\td\n', 1],
    ['a tab in the text after a tab in the leading white space', '> \ta\tb\n> c\n', 1],
    ['a tab in the text of a quote in the quote', '> > a\tb\n>\n> c\n', 1],
    ['a tab right after a `>` in the content (not taken)', '> >\ta\n>\n> c\n', 0],
    ['a quote in the quote leaving a fence open, ending the text', '> > ~~~', 1],
    ['a container left open, ending the text', '> :::x\n> a', 1],
    ['a comment left open, ending the text', '> <!--', 1],
    ['an HTML block at its end', '> a\n>\n> <div>\n# h\n', 1],
    ['indented code', '>     code\n>     more\n> text\n', 1],
    // A quote interrupting a paragraph or indented code: micromark reads the items nested in it
    // as interrupting too (an empty one, or one from 2, is text there), read alone they would not be.
    ['of an empty item, after a line of text (not taken)', 'text\n> -\n', 0],
    ['of an item from 2, after a line of text (not taken)', 'text\n> 2. x\n', 0],
    ['of an empty item in an item, after indented code and a blank line (not taken)', '    a\n\n> - -\n', 0],
    ['of an empty item, after a blank line', 'text\n\n> -\n', 1],
    ['of an item from 2, after a heading', '# h\n> 2. x\n', 1],
    ['a quote in the quote, then text (an empty line closes it where a document does)', '> a\n> > b\n>\n> c\n', 1],
    ['a quote in the quote holding a list, then text', '> > - a\n> >   - b\n>\n> c\n', 1],
    ['a quote in the quote, then a list (not taken: the line of the list closes it past its `>`)', '> > a\n> - b\n', 0],
    ['text, then a quote in the quote', '> a\n>\n> > b\n', 1],
    ['without the space after `>`', '>a\n>\n>b\n', 1],
    ['spaces and `>` mixed', '> a\n>b\n>  c\n', 1],
    ['a hard break', '> a  \n> b\n', 1],
    ['hard breaks two quotes deep', '> > a  \n> > b  \n> > c\n', 1],
    ['a table', '> | a | b |\n> | - | - |\n> | c | d |\n>\n> text\n', 1],
    ['a definition', '> [x]: /u "t"\n>\n> [x]\n', 1],
    ['an HTML block', '> <div>\n> x\n>\n> y\n', 1],
    ['a comment', '> <!--\n> a\n> -->\n> b\n', 1],
    ['a leaf directive', '> ::name{a=b}\n> text\n', 1],
    ['a container', '> :::note\n> text\n> :::\n> after\n', 1],
    ['a container left open', '> :::note\n> text\n\nafter\n', 1],
    ['a container left open, then text', '> :::note\na\n', 1],
    ['a list at its end', '> text\n>\n> - a\n> - b\n', 1],
    ['a loose list at its end', '> - a\n>\n> - b\n', 1],
    ['a nested list at its end', '> - a\n>   - b\n', 1],
    ['a footnote definition at its end', '> text\n>\n> [^a]: b\n>     c\n', 1],
    ['a thematic break', '> a\n>\n> ***\n> b\n', 1],
    ['ended by a heading', '> a\n>\n> b\n# h\n', 1],
    ['ended by a leaf directive', '> a\n>\n> b\n::x\n> c\n', 1],
    ['two, between other blocks', 'text\n\n> a\n>\n> b\n\n- item\n\n> # c\n> d\n\n::x\n', 2],
    // micromark ends these lists (and the footnote) past the next line's `>`: left to it.
    ['a list, then another (micromark ends the first where the second starts)', '> - a\n> * b\n', 1],
    ['lists of two items, then another', '> - a\n> - b\n> 1. c\n> 1. d\n', 1],
    ['a list holding a list, then another (not taken)', '> - a\n>   - x\n> * b\n', 0],
    // An item ending in a container, with another on the next line, ends as in a document.
    ['items each holding a list', '> - - a\n> - - b\n> - c\n', 1],
    ['items each holding a quote', '> - > a\n>   > b\n> - > c\n', 1],
    ['ordered items holding lists', '> 1. - a\n>    - b\n> 2. c\n', 1],
    [
      'an item holding a list, an empty line, then another (not taken: micromark ends it past the `>`)',
      '> - - a\n>\n> - b\n',
      0,
    ],
    ['a list, an empty line, then text (not taken)', '> - a\n>\n> b\n', 0],
    ['a footnote, an empty line, then text (not taken)', '> [^a]: b\n>\n> c\n', 0],
    // An empty last line: micromark ends a list or footnote last in the quote past its `>`.
    ['a list, then an empty line, then text', '> - a\n>\nb\n', 1],
    ['an ordered list of two, an empty line written `>   `, then text', '> 1. a\n> 2. b\n>   \nc d\n', 1],
    ['a footnote, then an empty line, then text', '> [^a]: b\n>\nc\n', 1],
    ['a list, then an empty line, at the text end', '> - a\n>\n', 1],
    ['a list, then an empty line, then a heading', '> - a\n>\n# h\n', 1],
    ['paragraphs, then an empty line, then text', '> a\n>\n> b\n>\nc\n', 1],
    ['a list, then two empty lines (not taken: they spread it)', '> - a\n>\n>\nb\n', 0],
    ['a list holding a list, then an empty line (not taken)', '> - a\n>   - b\n>\nc\n', 0],
    ['a quote in the quote, then an empty line, then text (not taken)', '> > a\n>\nb\n', 0],
    ['a lazy line (not taken)', '> # a\n> b\nc\n', 0],
    ['a tab right after `>` on a line of a paragraph', '> a\n>\tb\n', 1],
    ['an indented `>` line', '> # a\n > b\n', 1],
    ['indented 1 to 3 spaces', ' > a\n>\n   > b\n', 1],
    ['indented under a list item (not taken: it is in the item)', '- a\n\n  > b\n', 0],
    ['indented after a list item and a lazy line (not taken)', '- a\nb\n\n > c\n', 0],
    ['indented after a list closed by a heading', '- a\n# h\n > c\n', 1],
    // micromark ends a footnote definition that the next line's definition ends where that one
    // starts, past the line's `>` (containersMeet), as it ends a list a list ends.
    ['footnote definitions one after another', '> [^a]: b\n> [^c]: d\n> [^e]: f\n', 1],
    ['footnote definitions, one of two lines', '> [^a]: b\n>     c\n> [^d]: e\n', 1],
    ['a footnote definition holding a list, then another (not taken)', '> [^a]: - b\n> [^c]: d\n', 0],
    // One indented 1 to 3 spaces ends the one before at its line's content start all the same.
    ['footnote definitions indented', '>   [^a]: b\n>  [^c]: d\n> [^e]: f\n>    [^g]: h\n', 1],
    ['footnote definitions after a tab', '> \t[^a]: @\n> \t[^c]: @\n', 1],
    // An HTML block's value keeps the leading white space as written (rawHtml): a tab a tab, but
    // for the columns left of a tab right after `>`, spaces.
    ['an HTML block after a tab', '> \t<div>\n> \t<p>\n\n> \t<div>\n', 2],
    ["an HTML block after a tab right after `>`, one column of it the quote's", '>\t<div>\n>\t\t<p>\n', 1],
    ['an HTML block after spaces and a tab', '>  \t<div>\n> a\n', 1],
    ['a comment after a tab', '> \t<!-- a -->\n>\t<!-- b -->\n', 1],
    [
      'an HTML block after a tab in a list in the quote (a tab past the leading white space: not taken)',
      '> - \t<div>\n',
      0,
    ],
  ])('%s', (_name, text, count) => {
    expect(taken(text)).toBe(count);
    expect(expectSame(text)).toBe(true);
  });

  it('generated quotes with tabs in their leading white space read as micromark reads them', () => {
    const quotes = ['>', '> ', ' >', '  > ', '> > ', ''];
    const spaces = ['\t', ' \t', '\t\t', '  \t', '\t ', '', ' ', '    ', '\t    ', '\t     ', ' \t  \t', '\t  '];
    const rest = [
      '- a',
      '1. b',
      'code',
      '~~~',
      ':::x',
      '# h',
      '===',
      'a\tb',
      '',
      '> q',
      '<!-- c -->',
      '<div>',
      '</p> x',
      '<span>',
      '| a |',
      '[^a]: @',
    ];
    const lines = quotes.flatMap((q) => spaces.flatMap((w) => rest.map((r) => q + w + r)));
    expectSameOfLines(lines, 71, 1, 5);
  }, 60_000);

  it('quotes of quotes of footnote definitions: the ends moved inside stand in the quote around', () => {
    // Read with the reader itself inside (the count above reads inner quotes with micromark, which
    // leaves no mark on the ends it moved: movedToNext).
    const read = (text: string): number =>
      findQuoteRuns(text, false, (inner) => parseMarkdown(inner)).filter((run) => run.inner !== null).length;
    for (const text of ['> > [^a]: b\n> > [^c]: d\n> > [^e]: f\n', '> > > [^a]: b\n> > > [^c]: d\n']) {
      expect(read(text), text).toBe(1);
      expect(expectSame(text)).toBe(true);
    }
  });

  it("a copy of a content's nodes is whole, and keeps what containersMeet moved", () => {
    // readInner parses alike contents read alone once, and hands each a copy (copyNodes).
    const nodes = micromarkBlocks('- a\n* b\n> c\n').children;
    containersMeet(nodes, new Set());
    const copy = copyNodes(nodes);
    expect(copy).toEqual(nodes);
    expect(movedToNext(copy[0]!)).toBe(true);
    expect(movedToNext(copy[1]!)).toBe(false);
    copy[0]!.position!.end.line = 9;
    expect(nodes[0]!.position!.end.line).toBe(2);
    expect(copy[0]!.type === 'list' && copy[0]!.children[0]).not.toBe(
      nodes[0]!.type === 'list' && nodes[0]!.children[0],
    );
  });

  it('many such quotes in a chunk, read in one parse', () => {
    const text = '> a\n>\n> b\n\n> # h\n> c\n\n'.repeat(400);
    expect(expectSame(text)).toBe(true);
  });

  it.each([['> > ~~~\n\n'], ['> > > ~~~ sql\n\n'], ['> - <pre>\n\n'], ['> 1. > :::x\n\n']])(
    'quotes whose content leaves a block open in a container of its own (%j), read in one parse',
    (unit) => {
      // The separator between contents closes that container and what it left open (one parse each
      // was 3.4 s a megabyte of `> > > ~~~`).
      const text = unit.repeat(200);
      let parses = 0;
      const runs = findQuoteRuns(text, false, (inner) => {
        parses++;
        return micromarkBlocks(inner);
      });
      expect(runs.filter((run) => run.inner !== null).length).toBeGreaterThan(0);
      expect(parses).toBeLessThan(4);
      expect(expectSame(text)).toBe(true);
    },
  );

  it('generated quotes of any content, among other blocks, read as micromark reads them', () => {
    // Tabs in the content's text, which are as wide at any column (tabsInText), and past a marker.
    const tabs = ['a\tb', 'x\t', '    c\td', '# h\tj', '| a\t| b |', '::leaf{a="\t"}', '- a\tb', '> a\tb', '1. a\tb'];
    const content = [...CONTENT_LINES, '[x]', '- - x', '- > y', '1. - z', ...tabs];
    const others = OTHER_BLOCKS;
    const random = seededRandom(Number(process.env.SEED ?? 41));
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    let quotes = 0;
    let full = 0;
    for (let k = 0; k < Number(process.env.DOCS ?? 500); k++) {
      const blocks: string[] = [];
      for (let j = 1 + random(6); j > 0; j--) {
        if (random(3) === 0) {
          blocks.push(pick(others));
          continue;
        }
        const lines = Array.from({ length: 1 + random(5) }, () => pick(content))
          .join('\n')
          .split('\n');
        // Some end in an empty line, with text right after it (no paragraph in the quote goes on).
        const end =
          random(4) === 0
            ? `\n${pick(['>', '> ', '>  ', '> ```', '> ~~~', '> :::note', '> :::'])}\n${pick(['text', 'a b'])}`
            : '';
        blocks.push(lines.map((line) => `${pick(['> ', '> ', '>', ' > ', '   >'])}${line}`).join('\n') + end);
      }
      const text = blocks.join(pick(['\n', '\n\n', '\n\n', '\n\n\n'])) + (random(2) ? '\n' : '');
      quotes += taken(text);
      if (!expectSame(text)) full++;
    }
    expect(quotes).toBeGreaterThan(250);
    expect(full).toBeLessThan(25);
  }, 120_000);
});
