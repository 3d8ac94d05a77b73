/**
 * Paragraphs of plain text, built without micromark's content and text tokenizers
 * (engine/document/markdown-paragraphs.ts): the tree is the one micromark makes of the text as it
 * is, or the text is left to micromark. Compared on the blocks around a paragraph, what its text
 * may hold, code, HTML, frontmatter and containers, then on generated documents, and through the
 * whole parse (markdown.ts) with the other stand-ins.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { findParagraphRuns, restoreParagraphs } from '../../engine/document/markdown-paragraphs.js';
import { canStandIn, runsAsFences } from '../../engine/document/markdown-stand-ins.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';
import { expectSame, expectSameOfLines } from '../helpers/same-blocks.js';

/** Blocks only, as markdown.ts parses them (inline constructs off); `first`: frontmatter read. */
const parse = (text: string, first = false): Root => micromarkBlocks(text, first);

function fast(text: string, first = false): { tree: Root; used: boolean } {
  const runs = findParagraphRuns(text, first).filter(canStandIn);
  if (runs.length === 0) return { tree: parse(text, first), used: false };
  const tree = parse(runsAsFences(text, runs), first);
  return restoreParagraphs(tree, runs, text) ? { tree, used: true } : { tree: parse(text, first), used: false };
}

describe('paragraphs of plain text', () => {
  it.each([
    ['one line', 'Some prose here.\n', true],
    ['one line, no line ending', 'Some prose here.', true],
    ['several lines', 'first line\nsecond line\nthird.\n', true],
    ['paragraphs and blank lines', 'one para\n\ntwo para\nmore\n\n\nthree para\n', true],
    ['too short for a stand-in (left alone)', 'ab\n', false],
    ['a short last line in a longer paragraph (left alone)', 'first line\nab\n', false],
    ['between a heading and a list', '# Title\nSome prose.\n\n- a\n- b\n', true],
    ['ended by a heading', 'Some prose.\n# Next\nMore prose.\n', true],
    ['after an indented heading (not taken)', '- x\n  # H\nSome prose.\n', false],
    ['a setext heading', 'Title line\n=====\n', true],
    ['a setext heading with dashes', 'Title line\n---\n', true],
    ['a table (not taken)', 'a | b\n--|--\nc | d\n', false],
    ['interrupted by a list', 'Some prose.\n- a\n', true],
    ['going on over an item numbered 2 (not taken)', 'Some prose.\n2. a\n', false],
    ['going on over an item of an empty item (not taken)', 'Some prose.\n- -\n', false],
    ['a lazy line of a list item (not taken)', '- a\nlazy text\n', false],
    [
      "after a line of code a quote's fence opened (no paragraph open to go on with)",
      '> ~~~\n> code line\nSome prose.\n',
      true,
    ],
    [
      "after a quote's fence closed and text in the quote (a lazy line; not taken)",
      '> ~~~\n> x\n> ~~~\n> text\nSome prose.\n',
      false,
    ],
    [
      'after code a quote in a quote opened (not known here; not taken)',
      '> > ~~~\n> > code line\nSome prose.\n',
      false,
    ],
    ['a lazy line of a block quote (not taken)', '> q\nlazy text\n', false],
    ['after a list and a blank line', '- a\n- b\n\nAfter the list.\n', true],
    ['after a block quote and a blank line', '> q\n\nAfter the quote.\n', true],
    ['after indented code and a blank line', '    code\n\nAfter the code.\n', true],
    ['after an HTML block and a blank line', '<div>\n\nAfter the div.\n', true],
    ['inside an HTML block (not taken)', '<div>\nInside the div.\n', false],
    ['inside an HTML comment', '<!--\n\nInside the comment.\n\n-->\n', false],
    ['inside a fence', '```\n\nInside the fence.\n\n```\n\nAfter it.\n', true],
    ['inside an unclosed fence', '```\n\nInside the fence.\n', false],
    ['inside a directive container', ':::note\n\nInside the container.\n\n:::\n', true],
    ['right after a directive container opens (not taken)', ':::note\nInside the container.\n:::\n', false],
    ['after a leaf directive with attributes', '::sql{query="x"}\nSome prose.\n', true],
    ['after a leaf directive that is not plain (not taken)', '::sql{query="a&amp;b"}\nSome prose.\n', false],
    ['an ordered list start (not taken)', '1. not prose\n', false],
    ['a number that is not a list', '2024 was a year.\n', true],
    ['inline syntax kept as written', 'A `code` span, *em*, [link](u), <b>, :dir[x], www.x.com.\n', true],
    ['a code span first', '`pg_stat_activity` shows it.\n', true],
    ['a fence first (not taken)', '```sql and more\n', false],
    ['a backslash', 'a \\* b\n', true],
    ['a character reference', 'a &amp; b\n', true],
    ['trailing spaces (a hard break)', 'line one  \nline two\n', true],
    ['a tab', 'a\tb\n', true],
    ['carriage returns (not taken)', 'line one\r\nline two\r\n', false],
    ['unicode first', 'Übergabe an das Team.\n\n日本語の文。\n', true],
    ['indented', '  indented prose\n', true],
    ['an indented second line', 'first line\n  second\n', true],
    ['ended by a block quote', 'Some prose.\n> quoted\n', true],
    ['ended by a fence', 'Some prose.\n```sh\nx\n```\n', true],
    ['ended by a tilde fence', 'Some prose.\n~~~\nx\n~~~\nMore prose.\n', true],
    ['after a fence closed, with no blank line', '```\nx\n```\nSome prose.\n', true],
    ['a backtick line that opens no fence goes on with it (not taken)', 'Some prose.\n``` `x`\n', false],
    ['after a fence line inside other code (not taken)', '~~~\n```\nSome prose.\n~~~\n', false],
    ['after a fence line inside a comment (not taken)', '<!--\n```\n-->\nSome prose.\n', false],
    // A block tag's HTML block interrupts a paragraph (CommonMark's type 6); a complete tag (type 7) does not.
    ['ended by a block tag', 'Some prose.\n<div>\nx\n\nMore.\n', true],
    ['ended by a closing block tag, any case, at the end', 'Some prose.\n</DIV>', true],
    ['ended by a block tag with attributes', 'Some prose.\n<table class="x">\n', true],
    ['a complete tag goes on with it (not taken)', 'Some prose.\n<span>\n', false],
    ['a tag that is no block name goes on with it (not taken)', 'Some prose.\n<divx>\n', false],
    ['a block tag indented (not taken)', 'Some prose.\n <div>\n', false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
  });

  it.each([
    ['one `=`', 'Title line\n=\n', false], // (a stand-in needs 3 characters of the last line)
    ['one `-`', 'Title line\n-\nSome prose.\n\nMore prose.\n', true],
    ['after paragraphs, then more', 'Some prose.\n\nTitle line\n===\nSome prose.\n===\n\nEnd of it.\n', true],
    ['of two lines', 'First line\nsecond line\n---\n', true],
    ['indented underline, trailing spaces', 'Title line\n   ===   \n', true],
    ['trailing tabs', 'Title line\n---\t\t\n', true],
    ['trailing spaces in its text', 'Title line   \n---\n', true],
    ['trailing spaces in its text, two lines', 'First line\nsecond   \n===\n', true],
    ['a trailing tab in its text', 'Title line\t\n===\n', true],
    ['trailing spaces on its first line of two (a hard break; not taken)', 'First line  \nsecond\n===\n', false],
    ['trailing spaces and no underline (not taken; the paragraph after it is)', 'Title line  \n\nSome prose.\n', true],
    ['trailing spaces at the end (a paragraph)', 'Title line  \n', true],
    ['underline indented 4 (a paragraph line; not taken)', 'Title line\n    ===\n', false],
    ['`- - -` (a thematic break, which ends the paragraph)', 'Title line\n- - -\n', true],
    ['`= =` (a paragraph line; not taken)', 'Title line\n= =\n', false],
    ['`=-=` (a paragraph line)', 'Title line\n=-=\n', true],
    ['`- ` (no empty item interrupts: an underline)', 'Title line\n- \nSome prose.\n', true],
    ['`- a` (a list item, which interrupts it)', 'Title line\n- a\n', true],
    ['`---` after a blank line (a thematic break)', 'Some prose.\n\n---\n', true],
    ['after a heading', '# Title\nTitle line\n---\n', true],
    ['then a heading', 'Title line\n---\n# Title\n', true],
    ['then a list', 'Title line\n---\n- a\n- b\n', true],
    ['then indented code', 'Title line\n---\n    code\n', true],
    ['then a table', 'Title line\n---\n| a |\n| - |\n', true],
    ['then a block quote', 'Title line\n---\n> q\nlazy\n', true],
    ['then another underline (a paragraph)', 'Title line\n---\n---\n', true],
    ['after a list item (a thematic break; not taken)', '- a\n---\n', false],
    ['after a list item, `=` (a lazy line; not taken)', '- a\n===\n', false],
    ['after a block quote (a lazy line; not taken)', '> a\n===\n', false],
    ['a table row before (not taken)', 'a | b\n---\n', false],
    ['inside a container', ':::note\n\nTitle line\n---\n\n:::\n', true],
    ['inside a fence (not taken)', '```\n\nTitle line\n---\n```\n', false],
    ['with a `#` in its text', 'Title # line\n---\n', true],
    ['`=` where a paragraph may start (a paragraph of it)', 'Some prose.\n\n=====\n', true],
    ['`=` at the start, twice (a heading of `=`)', '=====\n=====\n', true],
    ['`=` after an ATX heading (a paragraph)', '# Title\n=====\n', true],
    ['`=` three times (a heading, then a paragraph)', '=====\n=====\n=====\n', true],
    ['`=` with trailing spaces where a paragraph may start (not taken)', '=====  \n', false],
    ['`=` after an HTML block (its line; not taken)', '<div>\n=====\n', false],
    ['after an empty ordered item and a tab (a list; not taken)', '1.\t\n===\n', false],
    ['then a quote of an empty item (the quote reads it as text: not taken)', 'Title line\n>-\n', false],
    ['then an item holding a quote of an item from 2 (not taken)', 'Title line\n- > 2. x\n', false],
    ['then a quote of an item from 1', 'Title line\n> 1. x\n', true],
    ['after an empty ordered item and a tab, indented underline', '1)\t\n  ---\n', false],
  ])('setext heading: %s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
  });

  it('generated paragraphs and setext headings read as micromark reads them', () => {
    const underlines = [
      '===',
      '=',
      '---',
      '-',
      '--',
      '  ===  ',
      '---\t',
      '- ',
      '   -',
      '    ---',
      '- -',
      '= =',
      '-=',
      '***',
    ];
    const plain = [
      'Some prose.',
      'abc',
      'x # y',
      '`code` first',
      'ü tail',
      'a *b* [c](d)',
      'Title  ',
      'Tab\t',
      'T ',
      'a \\* b',
      '&amp; x',
      '**B**',
      '#x',
      '[a] b',
      'a | b',
      'in\tside',
    ];
    const blocks = ['# h', '- l', '1. n', '> q', '    code', '::leaf', '| a |', '', '```\nx\n```', ':::note', ':::'];
    const random = seededRandom(59);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    let used = 0;
    for (let k = 0; k < 500; k++) {
      const lines: string[] = [];
      for (let j = 2 + random(10); j > 0; j--) {
        const kind = random(8);
        if (kind < 4) lines.push(pick(plain));
        else if (kind < 6) lines.push(pick(underlines));
        else if (kind < 7) lines.push('');
        else lines.push(pick(blocks));
      }
      const text = lines.join('\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) used++;
    }
    expect(used).toBeGreaterThan(100);
  }, 60_000);

  it.each([
    [
      'escapes of every ASCII punctuation',
      `x ${Array.from('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{}~', (c) => `\\${c}`).join(' ')}\n`,
    ],
    ['backslashes before what is not punctuation', 'a \\a \\1 \\ \\é\n'],
    ['a backslash at the end of a line (no hard break: that construct is off)', 'line one\\\nline two\n'],
    ['a backslash first', '\\# not a heading\n\n\\- not a list\n\n\\> not a quote\n'],
    ['an escaped backslash before a reference', 'a \\\\&amp; and \\&amp;\n'],
    ['named references', 'a &amp; &lt; &gt; &quot; &copy; &nbsp; &ouml; &CounterClockwiseContourIntegral;\n'],
    ['unknown and malformed references (kept)', 'a &foo; &amp &; &#; &#x; &#xZ; &ampamp; & amp;\n'],
    ['numeric references', 'a &#35; &#123; &#x1F600; &#X41; &#0; &#xD800; &#1114112; &#12345678; &#x1234567;\n'],
    ['a reference first', '&amp; more\n\n&#35; not a heading\n'],
    ['a reference over 31 characters (kept)', `a &${'a'.repeat(32)};\n`],
    ['one trailing space (dropped)', 'line one \nline two\n'],
    ['three trailing spaces', 'line one   \nline two\n'],
    ['several hard breaks', 'one  \ntwo  \nthree \nfour\n'],
    ['a hard break and a reference', 'a &amp;  \n&lt; b\n'],
    ['a trailing tab (not taken)', 'line one\t\nline two\n'],
    ['tabs inside lines', 'a\tb\tc\nd\t\te  \nf\n'],
    [
      'first characters that start no block',
      '**Note:** a\n\n!x\n"q"\n(p)\n$5\n.dot\n@x\n{b}\n\n_a_ b\n+a\n-a\n=a\n:a\n\n“q” ü 😀 x\n',
    ],
    ['a mark alone or before a space (not taken)', 'x\n\n* a\n\n- a\n\n+ a\n\n*\n\n***\n\n_ _ _\n\n-\n\n==\n'],
    ['an underline of `=` after a line of `*a` (not taken)', 'x\n\n*a\n===\n'],
    ['`::` first (a leaf directive; not taken)', 'x\n\n::a\n'],
    ['`--a` and `-- a`', 'x\n\n--a\n-- a\n'],
    ['a delimiter row with no pipe (a table; not taken)', 'x\n\n-->\n:-\n\ny\n:-:\n\nz\n-:\n'],
    ['a hash that starts no heading', '#hashtag text\n\n##x\n#######x\n'],
    ['a bracket with no definition', '[see] the docs\n\n[a] b [c]: d\n[x]: not a definition here\n'],
    ['a definition (not taken)', 'x\n\n[a]: b\n'],
    ['a bracket with no end on its line (not taken)', 'x\n\n[a\nb]: c\n'],
    ['an inline tag first', '<b>x</b> y\n\n<a-b>c\nd <div> e\n'],
    ['an HTML block (not taken)', 'x\n\n<div>x\n\n<b>\n\n<!-- x\n'],
    ['pipes inside', 'a | b\nx|y|z\n\nc | d\n'],
    ['a table under a line with pipes (not taken)', 'a | b\n-|-\n\nc | d\n| - | - |\n\ne | f\n --- | ---\n'],
    ['a table head, a delimiter row of colons (not taken)', 'a | b\n:-|-:\n'],
    ['a number and a tab (a list item: not taken)', 'x\n\n1.\tb\n'],
    ['a tab after a number and text', '1\tb\n\n2024\tyear\n'],
    ['a space and a tab (not taken)', 'line one \t\nline two\n'],
    ['trailing spaces on the last line (not taken)', 'line one\nline two  \n'],
    ['trailing spaces, then a blank line (not taken)', 'line one  \n\nline two\n'],
    ['trailing spaces, then a heading (not taken)', 'line one  \n# h\n'],
    ['a hard break, then an underline (not taken)', 'line one  \nline two\n===\n'],
    ['a reference, then an underline', 'a &amp; b\n---\n\nSome prose.\n'],
    ['escapes in a setext heading', 'a \\* b\n===\n'],
    ['a setext heading of two lines to decode', 'a \\* b\nc &amp; d\tx\n---\n'],
    ['a setext heading starting with emphasis, a hash, a bracket', '**Bold**\n===\n\n#x\n---\n\n[a] b\n===\n'],
    ['a setext heading with a space dropped (not taken)', 'a \nb\n===\n'],
    ['dashes under a line with a pipe (a table or a heading; not taken)', 'a |\n---\n\nb | c\n---\n\nd|\n-\n'],
    ['`=` under a line with a pipe (a heading)', 'a |\n===\n'],
    ['a table row (not taken)', 'a \\| b\n--|--\n'],
    ['in a container', ':::note\n\na &amp; b  \nc \\* d\n\n:::\n'],
    ['between leaf directives', '::a\nx &amp; y\n::b\n'],
  ])('paragraph to decode: %s', (_name, text) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
  });

  it('generated paragraphs with escapes, references and trailing spaces read as micromark reads them', () => {
    const pieces = [
      '|',
      '-|-',
      ' | ',
      '#x',
      '[x]',
      '[x]:',
      '<b>',
      '<div>',
      '</b>',
      ':-',
      '-:',
      '-->',
      '*',
      '**',
      '_',
      '-',
      '+',
      '=',
      ':',
      '!',
      '"',
      '(',
      '“',
      '[',
      '<',
      '~',
      '\t',
      '1.',
      'a',
      'Text',
      '\\',
      '\\*',
      '\\\\',
      '\\a',
      '&amp;',
      '&#35;',
      '&#x41;',
      '&nope;',
      '&',
      '&#',
      '`x`',
      'ü',
      '#',
      '|',
      '1.',
    ];
    const ends = ['', '', '', ' ', '  ', '   ', '\t', ' \t', '\\'];
    const others = ['', '', '===', '---', '# h', '- l', '> q', '::leaf', ':::note', ':::', '    code'];
    const random = seededRandom(73);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    let used = 0;
    for (let k = 0; k < 1500; k++) {
      const lines: string[] = [];
      for (let j = 2 + random(10); j > 0; j--) {
        if (random(4) === 0) lines.push(pick(others));
        else
          lines.push(Array.from({ length: 1 + random(4) }, () => pick(pieces)).join(random(2) ? ' ' : '') + pick(ends));
      }
      const text = lines.join('\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) used++;
    }
    expect(used).toBeGreaterThan(40);
  }, 60_000);

  it('short paragraphs are runs too, but not ones a stand-in can be written over', () => {
    const text = 'ab\n\nSome prose.\n\nc\n';
    const runs = findParagraphRuns(text);
    expect(runs.map((r) => text.slice(r.start, r.end))).toEqual(['ab\n\nSome prose.\n\nc']);
    expect(runs.filter(canStandIn)).toEqual([]);
  });

  it('the frontmatter is not taken; what follows it is', () => {
    const text = '---\ntitle: x\n\nkey: value\n---\n\nSome prose.\n';
    const runs = findParagraphRuns(text, true);
    expect(runs.map((r) => text.slice(r.start, r.end))).toEqual(['Some prose.']);
    const result = fast(text, true);
    expect(result.tree).toEqual(parse(text, true));
    expect(result.used).toBe(true);
  });

  it('generated documents read as micromark reads them', () => {
    const blocks = [
      '# h',
      '## h2',
      '  # h3',
      '> q',
      '- l',
      '1. n',
      '***',
      '---',
      '===',
      '    code',
      '```\nx\n\nSome prose.\n```',
      '~~~',
      '<!--\n\nx\n-->',
      '<div>',
      ':::note',
      ':::',
      '::leaf',
      '| a | b |\n| - | - |',
      '--|--',
      '[d]: /u',
      '[^f]: n',
      '',
    ];
    const plain = ['Some prose.', 'abc', 'x y z', '`code` first', 'ü tail', '2024 year', 'a *b* [c](d)'];
    const other = ['ab', '1. x', 'a\\*b', 'x&amp;y', 'e  ', '```x', '  indented', 'a\tb'];
    const random = seededRandom(31);
    const line = (): string => (random(6) > 0 ? plain[random(plain.length)]! : other[random(other.length)]!);
    let used = 0;
    for (let k = 0; k < 500; k++) {
      const parts: string[] = [];
      for (let j = 2 + random(8); j > 0; j--)
        parts.push(
          random(2) > 0 ? blocks[random(blocks.length)]! : Array.from({ length: 1 + random(3) }, line).join('\n'),
        );
      const source = parts.join(random(3) ? '\n\n' : '\n') + (random(2) ? '\n' : '');
      const first = random(4) === 0;
      const text = first ? `---\na: b\n\nc: d\n---\n${source}` : source;
      const result = fast(text, first);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text, first));
      if (result.used) used++;
    }
    expect(used).toBeGreaterThan(100);
  }, 60_000);

  it('a long document parses to the same tree as micromark makes of it whole', () => {
    const random = seededRandom(37);
    const pieces = [
      'Some prose with `code`, a [link](http://x), localhost:8080 and image:latest.',
      '- a list item\n- another',
      '# A heading\nProse under it.',
      '```sh\necho hi\n\nmore\n```',
      '::sql{#q query="SELECT 1"}',
      '> quoted\n> more',
      'Two lines\nof prose.',
    ];
    let text = '---\ntitle: t\n---\n\n';
    while (text.length < 40_000) text += `${pieces[random(pieces.length)]}\n\n`;
    const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
    expect(strip(parseMarkdown(text))).toEqual(strip(micromarkBlocks(text, true)));
  });
});

// A line of only colons opens no container (it has no name): outside every one it is a paragraph's
// text, inside one it closes it. Compared through the whole parse, which knows where containers are.
describe('lines of only colons', () => {
  /** Whether the paragraph reader takes a line of it at the top level, told every line is outside. */
  const takes = (text: string): boolean => findParagraphRuns(text, false, () => true).length > 0;
  it.each([
    ['alone', ':::\n', true],
    ['after a paragraph line (text going on)', 'Some prose.\n:::\n', true],
    ['then an underline (a heading of it)', ':::\n---\n', true],
    ['then a list item', ':::\n- a\n', true],
    ['closing a container', ':::note\nSome prose.\n:::\n', false],
    ['closing a container, then one of text', ':::note\n\n:::\n\n:::\n', true],
    ['closing nested containers', '::::outer\n:::inner\nx\n:::\n::::\n\n::::\n', true],
    ['in list items', '- :::\n- :::\n\n* :::\n', false],
    ['in block quotes', '>:::\n\n> :::\n> :::\n', false],
    ['after a container in a list item, past the item', '- :::note\n\n:::\n', true],
    ['a lazy line of a container in a block quote', '> :::note\n> a\n:::\n', false],
    ["items of colons in a container (the items' text: no closing line)", ':::note\n- :::\n  - :::\n:::\n', false],
    ['with a name (an opening)', ':::note\n', false],
    ['with a space after it (not taken)', '::: \n', false],
  ])('%s', (_name, text, reads) => {
    expect(takes(text)).toBe(reads);
    expectSame(text);
    expectSame(`${text}\n`.repeat(40));
  });

  it('generated documents of colon lines, containers, lists and quotes read as micromark reads them', () => {
    const lines = [
      ':::',
      '::::',
      ':::note',
      '::::outer',
      ':::x{a=1}',
      'Some prose.',
      '- :::',
      '> :::',
      '  - :::',
      '- [ ] :::',
      '- > :::',
      '1. ::::',
      '- a',
      '> q',
      '',
    ];
    expectSameOfLines(lines, 53);
  }, 60_000);
});

// A line starting with `|` is a paragraph's (a table's head only over a delimiter row, which no
// paragraph read here takes: the paragraph read so far is dropped there).
describe('lines starting with a pipe', () => {
  it.each([
    ['a row alone', '| a | b |\n\nSome prose.\n', true],
    ['a row after a paragraph line', 'Some prose.\n| a | b |\n', true],
    ['rows between blank lines', '| a | b |\n\n| c | d |\n', true],
    ['a table (not taken)', '| a | b |\n| - | - |\n| c | d |\n', false],
    ['a head of two lines over a delimiter row (not taken)', '| a | b |\n| c |\n|-|-|\n', false],
    ['a delimiter row alone (not taken)', '| - | :-: |\n', false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
    expectSame(text);
  });

  it('generated documents of rows, delimiter rows and prose read as micromark reads them', () => {
    const lines = [
      '| a | b |',
      '| c |',
      '|-|-|',
      '| - | :-: |',
      '|x',
      'Some prose.',
      'a | b',
      '',
      '- | a |',
      '> | q |',
    ];
    expectSameOfLines(lines, 61, 2, 8);
  }, 60_000);
});

// Spaces before a paragraph's text: up to 3 on its first line where no list item, quote or footnote
// may go on (4 are indented code), any number on a line it goes on with; micromark leaves them out
// of the text, and the white space at a paragraph's end too.
describe('indented lines and white space at the end', () => {
  it.each([
    ['indented 1 to 3 spaces', ' one\n\n  two\n\n   three\n', true],
    ['lines going on indented', 'one\n  two\n      three\n', true],
    ['indented, then a line going on less', '   one\n two\n', true],
    ['indented, with a hard break', '  a  \n   b\n', true],
    ['indented, to decode', '  a &amp; b\n   \\* c\n', true],
    ['indented setext heading', '  Title\n    line\n   ===\n', true],
    ['indented after a heading and a blank line', '# h\n\n  a\n', true],
    ['indented after a paragraph and a blank line', 'one\n\n  two\n', true],
    ['indented 4 (code, after the paragraph taken)', 'one\n\n    code\n', true],
    ['indented after a list item and a blank line (in the item; not taken)', '- a\n\n  b\n', false],
    ['indented after a quote and a blank line (not taken)', '> a\n\n  b\n', false],
    ['indented after a footnote and a blank line (not taken)', '[^f]: a\n\n   b\n', false],
    ['indented after a fence (not taken)', '```\nx\n```\n  b\n', false],
    ['a tab before the text (not taken)', '\tb\n', false],
    ['going on with a line of a quote mark (not taken)', 'a\n   > b\n', false],
    ['interrupted by an indented list item (not taken)', 'one\n  - b\n', false],
    ['trailing spaces, then a blank line', 'line one  \n\nline two\n', true],
    ['trailing spaces, then a heading', 'line one  \n# h\n', true],
    ['trailing spaces and tabs at the end', 'line one \t \n', true],
    ['trailing spaces on the last line', 'line one\nline two  \n', true],
    ['trailing spaces, then a lazy quote line (not taken)', '> a\nb  \n', false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
    expectSame(text);
    expectSame(`${text}\n`.repeat(30));
  });

  it('generated documents of indented lines, white space at the end and the blocks around them', () => {
    const lines = [
      '   a',
      '  b c',
      ' x',
      '    code',
      '      deep',
      'a  ',
      'b \t',
      '  c   ',
      'Some prose.',
      '- a',
      '> q',
      '  > q',
      '   - b',
      '  1. n',
      '   # h',
      '# h',
      '  ===',
      '  ---',
      '===',
      ':::note',
      ':::',
      '  :::',
      '[^f]: n',
      '```',
      '  ~~~',
      '  a\\*b',
      '  &amp; x',
      '\tb',
      '  <div>',
      '   <b>x</b> y',
      '  [d]: /u',
      '  | a |',
      '',
      '',
    ];
    expectSameOfLines(lines, 67, 2, 10, 600);
  }, 60_000);
});
