/**
 * Block quotes of one plain paragraph, and bare leaf directives, built without micromark
 * (engine/document/markdown-quotes.ts, markdown-leaf-lines.ts) as parts of prose runs
 * (markdown-prose.ts): the tree is the one micromark makes of the text as it is, or the text is
 * left to micromark. Compared on depths, the lines around a quote, lazy, deeper and shallower
 * lines, code and containers, then on generated mixes, and through the whole parse.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { findLeafLineRuns } from '../../engine/document/markdown-leaf-lines.js';
import { findProseRuns, restoreProse } from '../../engine/document/markdown-prose.js';
import { findQuoteRuns } from '../../engine/document/markdown-quotes.js';
import { canStandIn, runsAsFences } from '../../engine/document/markdown-stand-ins.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';
import { expectSame, expectSameOfLines } from '../helpers/same-blocks.js';

/** Blocks only, as markdown.ts parses them (inline constructs off). */
const parse = (text: string, first = false): Root => micromarkBlocks(text, first);

/** The text parsed with its prose runs standing in; `quotes`: the quote parts built. */
function fast(text: string, first = false): { tree: Root; quotes: number; leaves: number } {
  const runs = findProseRuns(text, first, () => true).filter(canStandIn);
  const count = (kind: string): number =>
    runs.reduce((n, run) => n + run.parts.filter((part) => part.kind === kind).length, 0);
  const none = { tree: parse(text, first), quotes: 0, leaves: 0 };
  if (runs.length === 0) return none;
  const tree = parse(runsAsFences(text, runs), first);
  return restoreProse(tree, runs, text) ? { tree, quotes: count('quote'), leaves: count('leaf') } : none;
}

const deep = (n: number, depth = 20, line = (i: number) => `a b${i}`): string =>
  Array.from({ length: n }, (_, i) => `${'> '.repeat(depth)}${line(i)}`).join('\n');

describe('quoted paragraphs', () => {
  it.each([
    ['one line', '> abc\n', 1],
    ['one letter', '> a\n\n> b\n', 2],
    ['several lines', '> first line\n> second\n> third\n', 1],
    ['no line ending', '> the end', 1],
    ['nested', '> > two levels\n> > deep\n', 1],
    ['deep and long', `${deep(20)}\n`, 1],
    ['between paragraphs', `para\n\n${deep(20, 30)}\n\nafter\n`, 1],
    ['ended by a heading', '> quoted\n# H\n> again\n', 2],
    ['after a heading', '# H\n> quoted\n', 1],
    ['ended by a leaf directive', '> quoted\n::name\n> again\n', 2],
    ['ended by a leaf directive with a label', '> quoted\n::name[label]\n\nafter\n', 1],
    ['inline syntax kept as written', '> a `code` span, *em*, [link](u), <b>, www.x.com.\n', 1],
    ['an escape', '> a \\* b\n', 1],
    ['escapes and character references on several lines', '> \\# a &amp; b\n> &#42; c \\\\ d\n> &nosuch; \\a\n', 1],
    ['a backslash at a line end (no hard break)', '> a \\\n> b\n', 1],
    ['an escape on a lazy line', '> a\n\\- b &lt;\n', 1],
    ['a lazy line of an escape first', '> a\n\\> b\n', 1],
    ['an escaped pipe (not taken)', '> a \\| b\n', 0],
    ['an escape, then trailing spaces (not taken)', '> a \\*  \n> b\n', 0],
    ['then a lazy line', '> quoted\nmore\n', 1],
    ['empty quotes, each then text (no lazy line: a paragraph)', 'intro\n>\nmore\n>\nagain\n', 2],
    ['empty quotes of spaces, then text, then a quote', '>  \n>\nmore\n> q\n', 2],
    ['an empty quote, then a list item (not taken)', '>\n- x\n', 0],
    ['lazy lines, then quoted again', '> quoted\nmore\nand more\n> quoted again\n', 1],
    ['a lazy line two quotes deep', '> > quoted\nmore\n> > again\n', 1],
    ['a lazy line, then a list item (it ends the quote)', '> quoted\nmore\n- x\n', 1],
    ['an ordered item starting at 1 (it interrupts: it ends the quote)', '> quoted\n1. x\n', 1],
    ['an ordered item starting at 2 (lazy: not taken)', '> quoted\n2. x\n', 0],
    ['an empty item (not taken)', '> quoted\n-\n', 0],
    ['a lazy line of 2. (lazy in micromark, but not plain text: not taken)', '> quoted\n2. x\n', 0],
    ['an indented lazy line (not taken)', '> quoted\n  more\n', 0],
    // A stand-in needs 3 characters (a fence's ```~~~```): parseMarkdown builds shorter quotes in long runs.
    ['an empty quote', '>  \n', 1],
    ['an empty quote of one character (too short to stand in)', '>\n', 0],
    ['empty quotes', '>   \n\n>  \n>\n\n>   \n', 3],
    ['an empty quote, then a quoted line (not taken)', '>\n> a\n', 0],
    ['an empty quote, then a plain line (not taken)', '>\nSome prose.\n', 0],
    ['an empty quote ended by a heading', '>  \n# H\n', 1],
    ['then a shallower line (not taken)', '> > quoted\n> x\n', 0],
    ['then a deeper line (not taken)', '> quoted\n> > x\n', 0],
    ['then a list item (it ends the quote)', '> quoted\n- x\n', 1],
    ['then a list item holding a list of 2 (not taken)', '> quoted\n- 2. x\n', 0],
    ['then a fence (not taken)', '> quoted\n```\nx\n```\n', 0],
    ['then a setext underline (not taken)', '> quoted\n> ---\n', 0],
    ['after a paragraph line, which it interrupts', 'para\n> quoted\n', 1],
    ['after a paragraph line, then a lazy line', 'para\n> quoted\nmore\n', 1],
    ['a lazy line of a quote, then quoted again', '> a\nb\n> c\n', 1],
    ['after a lazy line of an item of plain text', '- a\nb\n> c\n', 1],
    ['after a lazy line of an item holding a fence (not taken)', '- ```\nb\n> c\n', 0],
    // A bullet item of plain text in the first column is no lazy line, and the `>` ends its list.
    ['after a list item', '- item\n> quoted\n', 1],
    ['after list items, an item after it', '- a\n* b\n> quoted\n- c\n', 1],
    ['after a lazy line of a list item', '- item\nlazy\n> quoted\n', 1],
    ['after an indented list item (not taken)', '- a\n  - item\n> quoted\n', 0],
    ['after a task item (not taken)', '- [ ] task\n> quoted\n', 0],
    ['after an ordered item (not taken)', '2. item\n> quoted\n', 0],
    ['after an item holding a quote (not taken)', '- > a\n> quoted\n', 0],
    ['inside a list item (not taken)', '- item\n\n  > quoted\n', 0],
    ['two spaces after the marker (not taken)', '>  quoted\n', 0],
    ['no space after the marker (not taken)', '>quoted\n', 0],
    ['an empty quote line inside (not taken)', '> one\n>\n> two\n', 0],
    ['punctuation first (a list: quoted lists)', '> - not a paragraph\n', 1],
    ['punctuation first (not taken)', '> # not a paragraph\n', 0],
    ['an ordered list in it (not taken)', '> 1. item\n', 0],
    ['inside a fenced code block (not taken)', '```\n\n> quoted\n\n```\n', 0],
    ['inside an HTML block (not taken)', '<div>\n> quoted\n', 0],
    ['after a table (not taken)', '| a |\n| - |\n# H\n> quoted\n', 0],
    ['inside a directive container', ':::note\n\n> quoted\n\n:::\n', 1],
    ['carriage returns (not taken)', '> one\r\n> two\r\n', 0],
    // micromark ends what is left open in an item at the quote's line start, but sooner before a
    // stand-in's fence: no quote after blank lines that may end an item.
    ['after blank lines that end an item with a container open (not taken)', '- :::note\n\n\n\n> q\n', 0],
    ['after blank lines that end an item with a fence open (not taken)', '- ```\n\n\n\n> q\n', 0],
    ['after blank lines that end a footnote (not taken)', '[^a]: :::note\n\n\n\n> q\n', 0],
    ['after a list, a paragraph and a blank line', '- a\n\nSome prose.\n\n> q\n', 1],
    ['after a list of plain items and blank lines', '- a\n- b\n\n\n> q\n', 1],
    ['after a plain item that ends an item with a fence open', '- ```\n- a\n\n\n> q\n', 1],
    ['after a nested plain item in an item with a fence open (not taken)', '- ```\n\n  - a\n\n\n> q\n', 0],
  ])('%s', (_name, text, quotes) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.quotes).toBe(quotes);
  });

  it('the frontmatter is not taken; what follows a blank line after it is', () => {
    const text = '---\ntitle: x\n\n> key\n---\n\n> quoted\n';
    expect(findQuoteRuns(text, true).map((r) => text.slice(r.start, r.end))).toEqual(['> quoted']);
    const result = fast(text, true);
    expect(result.tree).toEqual(parse(text, true));
    expect(result.quotes).toBe(1);
  });
});

describe('quoted lists', () => {
  it.each([
    ['one item', '> - a\n', 1],
    ['one item a block, many', '> - a\n\n> - a\n\n> - b c\n\n', 3],
    ['no line ending', '> - a', 1],
    ['several items', '> - a\n> - b\n> - c d\n', 1],
    ['each marker', '> * a\n> * b\n\n> + c\n> + d\n', 2],
    ['escapes and references', '> - a \\* b\n> - &amp; c \\\\ d\n> - \\- e\n> - &#42; f\\\n', 1],
    ['a backtick first', '> - `a` b\n', 1],
    ['between paragraphs', 'para\n\n> - a\n> - b\n\nafter\n', 1],
    ['ended by a heading', '> - a\n# H\n> - b\n', 2],
    ['ended by a leaf directive', '> - a\n::name\n', 1],
    ['after a heading', '# H\n> - a\n', 1],
    ['inside a directive container', ':::note\n\n> - a\n\n:::\n', 1],
    ['another marker (two lists: not taken)', '> - a\n> * b\n', 0],
    ['then a quoted line (lazy in the item: not taken)', '> - a\n> b\n', 0],
    ['then a lazy line (not taken)', '> - a\nb\n', 0],
    ['then an indented line (not taken)', '> - a\n  b\n', 0],
    ['then a quoted indented line (not taken)', '> - a\n>   b\n', 0],
    ['then a nested item (not taken)', '> - a\n>   - b\n', 0],
    ['then an empty quote line (not taken)', '> - a\n>\n> - b\n', 0],
    ['then a list item outside (it ends the quote)', '> - a\n- b\n', 1],
    ['then a setext underline (not taken)', '> - a\n> ---\n', 0],
    ['after a quoted paragraph (not taken)', '> a\n> - b\n', 0],
    ['after a paragraph line, which it interrupts', 'para\n> - a\n', 1],
    ['after a list item', '- item\n> - a\n', 1],
    ['inside a list item (not taken)', '- item\n\n  > - a\n', 0],
    ['an ordered item (not taken)', '> 1. a\n', 0],
    ['a task item (not taken)', '> - [ ] a\n', 0],
    ['an empty item (not taken)', '> -\n', 0],
    ['two spaces after the marker (not taken)', '> -  a\n', 0],
    ['indented code in the item (not taken)', '> -     a\n', 0],
    ['a thematic break (not taken)', '> - - -\n', 0],
    ['a nested quote (not taken)', '> > - a\n', 0],
    ['a tab in the text', '> - a\tb\n', 1],
    ['a tab after the marker (not taken)', '> -\ta\n', 0],
    ['trailing spaces (not taken)', '> - a  \n', 0],
    ['a pipe (not taken)', '> - a | b\n', 0],
    ['inside a fenced code block (not taken)', '```\n\n> - a\n\n```\n', 0],
    ['after blank lines that end an item with a fence open (not taken)', '- ```\n\n\n\n> - a\n', 0],
  ])('%s', (_name, text, quotes) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.quotes).toBe(quotes);
  });

  it('parseMarkdown, in small chunks: quoted lists among other blocks read as micromark reads them', () => {
    const quoted = [
      '> - a',
      '> - a \\* b\n> - &amp; c',
      '> * a\n> * b',
      '> + a',
      '> - a\n> * b',
      '> - a\nlazy',
      '> - a\n> b',
    ];
    const others = [
      'Some prose.',
      '# h',
      '::leaf',
      '- c',
      '1. c',
      '    code',
      '```\ncode\n```',
      '> q',
      '>',
      ':::note',
      ':::',
      '[^a]: b',
      '- - -',
      '* * *',
    ];
    const random = seededRandom(23);
    const pick = <T>(list: readonly T[]): T => list[random(list.length)]!;
    let quotes = 0;
    for (let k = 0; k < 300; k++) {
      let text = '';
      for (let j = 2 + random(12); j > 0; j--)
        text += (text === '' ? '' : pick(['\n', '\n\n', '\n\n', '\n\n\n'])) + (random(2) ? pick(quoted) : pick(others));
      text += random(4) ? '\n' : '';
      const whole = parse(text, true);
      for (const every of [1, 24, 200]) expect(parseMarkdown(text, every), JSON.stringify(text)).toEqual(whole);
      quotes += fast(text, true).quotes;
    }
    expect(quotes).toBeGreaterThan(300);
  }, 60_000);
});

describe('leaf directives (labels and attributes: markdown-leaf-lines.test.ts)', () => {
  it.each([
    ['alone', '::name\n', 1],
    ['closing a list', '- a\n::name\n- b\n::other\n', 2],
    ['interrupting a paragraph', 'Some prose.\n::name\nMore prose.\n', 1],
    ['closing a quote', '> q\n::name\n', 1],
    ['after a heading', '# H\n::name\n', 1],
    ['in a container (one markdown-containers.ts leaves: a quote in it)', ':::note\n> q\n::name\n:::\n', 1],
    ['a label', 'Some prose.\n::name[label]\nMore prose.\n', 1],
    ['attributes', '::name{a="b"}\n- a\n', 1],
    ['a trailing space', '::name \n', 1],
    ['a tab after it (not taken)', '::name\t\n', 0],
    ['an indented one (not taken)', ' ::name\n', 0],
    ['a name that is not one (not taken)', '::-name\n', 0],
    ['inside a fence (not taken)', '```\n::name\n```\n', 0],
    ['inside an HTML block (not taken)', '<div>\n::name\n', 0],
    ['after a table row (not taken)', '| a |\n| - |\n::name\n', 0],
  ])('%s', (_name, text, leaves) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.leaves).toBe(leaves);
  });

  it('takes only the name (the node has no attributes and no children)', () => {
    expect(findLeafLineRuns('::a-b_c\n::x9\n').map((r) => r.name)).toEqual(['a-b_c', 'x9']);
  });
});

describe('generated mixes', () => {
  it('quotes, leaf directives and the lines around them read as micromark reads them', () => {
    const others = [
      '',
      'text',
      'Some prose.',
      '    x',
      '# h',
      '- - -',
      '- l',
      '- item one',
      '1. n',
      '```',
      ':::note',
      ':::',
      '::name',
      '::name[label]',
      '::x{a="b"}',
      '> > > >',
      '>',
      '>  ',
      '> ',
      '2. n',
      '===',
      '---',
      '<div>',
      '| a |',
      '- :::note',
      '- ```',
      '[^f]: :::note',
      '> - a',
      '> - b \\* c\n> - d',
      '> * a\n> * b',
      '> - a\n> * b',
      '> - a\n> b',
      '> - a\n>   - b',
      '>   - a',
      '> 1. a',
    ];
    const words = ['a', 'b c', '1 2', 'x9', '`code` first', 'ü tail', 'a \\* b', '&amp; c', '\\', 'd &#x41; \\'];
    const random = seededRandom(11);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    let quotes = 0;
    let leaves = 0;
    for (let k = 0; k < 600; k++) {
      const parts: string[] = [];
      for (let j = 1 + random(8); j > 0; j--)
        parts.push(
          random(2) === 0
            ? Array.from(
                { length: 1 + random(3) },
                () => `${'> '.repeat(1 + random(random(4) === 0 ? 3 : 1))}${pick(words)}`,
              ).join('\n')
            : pick(others),
        );
      const text = parts.join(pick(['\n', '\n', '\n\n', '\n\n\n\n'])) + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      quotes += result.quotes;
      leaves += result.leaves;
    }
    expect(quotes).toBeGreaterThan(200);
    expect(leaves).toBeGreaterThan(50);
  }, 60_000);

  it('the tiny-block shapes read apart from micromark read as micromark reads them whole', () => {
    const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
    for (const unit of [
      '> a\n\n',
      '- a\n::name\n',
      '- a\n# h\n',
      '> q\n> r\n# h\n::x\nSome prose.\n\n',
      '>\n\n',
      '> a\nb\n\n',
      '> a \\* b\n\n',
      '> a &amp; b\n> \\# c\n\\d\n\n',
      '> - a\n\n',
      '> - a\n> - b \\* c\n\n',
      '> * a\n# h\n',
      '> - a\n::x\n- b\n\n',
    ]) {
      const text = unit.repeat(Math.ceil(12_000 / unit.length));
      expect(strip(parseMarkdown(text)), unit).toEqual(strip(micromarkBlocks(text, true)));
    }
    // micromark's own parse of the 12 documents is most of it: 18 s on a quiet machine.
  }, 120_000);
});

// After a list and a blank line, a quote in the first column starts a block of its own unless a
// line of an item since may have opened what blank lines do not end (a fence, an HTML block, a
// `:::` container), which runs on to the quote's line (openInItem).
describe('quotes after list items and a blank line', () => {
  const quotes = (text: string): number => findQuoteRuns(text, false, (inner) => parseMarkdown(inner)).length;
  it.each([
    ['after items holding a quote', '- a\n  > b\n\n> a\n', 1],
    ['after items of a line of colons', '* :::\n\n> a\n', 1],
    ['after an ordered item', '1. a\n\n> q\n> r\n', 1],
    ['after an item leaving a fence open (not taken)', '- ~~~\n\n> a\n', 0],
    ['after an item whose second line opens a fence (not taken)', '- a\n  ~~~\n\n> a\n', 0],
    ['after an item leaving a container open (not taken)', '- :::note\n\n> a\n', 0],
    ['after an item leaving a comment open (not taken)', '- <!--\n\n> a\n-->\n', 0],
    ['after a footnote definition leaving a fence open (not taken)', '[^a]: ~~~\n\n> q\n', 0],
  ])('%s', (_name, text, count) => {
    expect(quotes(text)).toBe(count);
    expectSame(text);
  });

  it('generated items, blank lines and quotes read as micromark reads them', () => {
    const lines = [
      ...['- a', '  > b', '* :::', '- ~~~', '  ~~~', '- <!--', '-->', '1. n', '> q', '> ~~~', '', '', 'text'],
      // Items right after a quote end it where they interrupt its paragraph (a bullet or a 1, with text).
      ...['2. n', '> - q', '- > a', '-', '> ', '* b', '1) m', '- 2. x'],
    ];
    expectSameOfLines(lines, 67, 3);
  }, 60_000);
});
