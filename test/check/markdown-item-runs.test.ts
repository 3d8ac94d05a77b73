/**
 * Lists whose items hold any content, and footnote definitions of any content, each read as a document of its own
 * (engine/document/markdown-item-runs.ts): compared with micromark's tree of the whole document,
 * through the whole parse in chunks of several sizes, on listed lists and on generated ones.
 */
import { describe, expect, it } from 'vitest';
import { findItemRuns, readItemRuns } from '../../engine/document/markdown-item-runs.js';
import { micromarkBlocks } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';
import { CONTENT_LINES, expectSame, OTHER_BLOCKS } from '../helpers/same-blocks.js';

/** How many lists of `text` are read here (their items' content by micromark). */
const taken = (text: string): number =>
  readItemRuns(
    findItemRuns(text, false, (inner) => micromarkBlocks(inner)),
    text,
  ).length;

describe('lists of items of any content', () => {
  it.each([
    ['a block quote on the second line', '- a\n  > b\n- c\n  > d\n', 1],
    ['footnote definitions', '- [^a]: b\n- [^c]: d\n', 1],
    ['a footnote definition over two paragraphs', '- [^a]: b\n\n      c\n- d\n', 1],
    ['a paragraph after a blank line (spread)', '- a\n\n  b\n- c\n', 1],
    ['blank lines between items (spread list)', '- a\n  > b\n\n- c\n', 1],
    ['a heading and code', '1. # h\n2. ```\n   x\n\n   ```\n', 1],
    ['ordered, from 7, with `)`', '7) a\n   > b\n8) c\n', 1],
    ['content columns of 2 to 5', '-  a\n   > b\n-    c\n     d\n', 1],
    [
      "a nested list, then text after a blank line (not taken: micromark ends the nested list past the next line's indent)",
      '- a\n  - b\n\n  c\n- d\n',
      0,
    ],
    ['a nested list at the end', '- a\n  * b\n  * c\n', 1],
    ['a blank line in fenced code (not spread)', '- ~~~\n\n  ~~~\n- b\n', 1],
    ['a blank line in a container (spread)', '- :::x\n\n  :::\n- b\n', 1],
    ['a blank line in a comment (not spread)', '- <!--\n\n  -->\n  text\n- b\n', 1],
    ["an HTML block a blank line ends, at an item's end: a block tag's", '- <div>\n- b\n', 1],
    ["an HTML block a blank line ends, at an item's end: a complete tag's", '- <span>\n- b\n', 1],
    ["an HTML block a blank line ends, at an item's end, a blank line after it", '- <a href="x">\n  y\n\n- b\n', 1],
    ["a comment left open at an item's end, which the next item's line ends", '- <!--\n- b\n', 1],
    ['comments closed on their line, one an item', '- <!-- a -->\n- <!-- b -->\n', 1],
    ['a comment closed on a later line, a raw tag closed on its line', '- <!--\n  x -->\n- <pre>a</pre>\n- b\n', 1],
    ['an empty comment, a processing instruction, CDATA', '- <!-->\n- <?a?>\n- <![CDATA[x]]>\n- <!A>\n- b\n', 1],
    ["a raw tag's HTML block at an item's end, which the next item's line ends", '- <pre>\n- b\n', 1],
    ["a tag not complete at an item's end (not taken)", '- <a b=c=d>\n- b\n', 0],
    ['spaces on a blank line in code', '- ```\n     \n  ```\n', 1],
    ['a table', '- | a |\n  | - |\n  | b |\n', 1],
    ['hard breaks', '- a  \n  b\n', 1],
    ['between paragraphs', 'text\n\n- a\n  > b\n\nmore\n', 1],
    ['ended by a heading', '- a\n  > b\n# h\n', 1],
    ['ended by a leaf directive', '- a\n  > b\n::x\n', 1],
    ['ended by a block quote', '- a\n  > b\n> c\n', 1],
    ['ended by another marker', '- a\n  > b\n* c\n', 1],
    ['two lists of two markers after a blank line (the second not taken)', '- a\n  > b\n\n* c\n  > d\n', 1],
    ['two lists parted by a paragraph', '- a\n  > b\n\ntext\n\n* c\n  > d\n', 2],
    ['an item holding a list that a lazy line goes on in', '- a\n  - b\n  c\n', 1],
    ['fenced code left open, then a block quote (not taken)', '10. ```\n> p\n', 0],
    ['a lazy line (not taken)', '- a\n  > b\nc\n', 0],
    ['after a paragraph line, which it interrupts', 'p\n- a\n  > b\n', 1],
    ['numbered 1, after a paragraph line', 'Steps:\n1. a\n   > b\n2. c\n', 1],
    ['numbered 2, after a paragraph line (text going on: not taken)', 'p\n2. a\n   > b\n', 0],
    ['numbered 01, after a paragraph line (text going on, as micromark reads it: not taken)', 'p\n01. a\n    > b\n', 0],
    ['numbered 01 after indented code (text: not taken)', '    code\n01. a\n    > b\n', 0],
    ['after a lazy line of an item (not taken)', '- x\nlazy\n- a\n  > b\n', 0],
    ['going on from an item before a blank line (not taken)', '- x\nlazy\n\n- a\n  > b\n', 0],
    ['a task item, its content read from its text', '- [ ] a\n  > b\n- [x] :::\n', 1],
    ['a task item of two paragraphs', '1. [X] a\n\n   b\n', 1],
    ['a task item of a break (paragraph text after the box, read as letters)', '- [ ] ---\n- [ ] b\n', 1],
    ['a task item of a heading (paragraph text after the box, read as letters)', '- [ ] # h\n  > q\n', 1],
    ['task items of a fence and of HTML, with more text', '- [ ] ~~~\n  x\n- [x] <div>\n  more\n', 1],
    ['a task item of a list item, a hard break after it', '- [ ] - a  \n  b\n', 1],
    ['a task item of text with an escape (read as written: a paragraph alone too)', '- [ ] \\# a\n  > b\n', 1],
    ['a task item of a heading with an escape (not read as letters: not taken)', '- [ ] # \\a\n  > b\n', 0],
    ['a task item whose text is underlined (a heading with the box in it: not taken)', '- [ ] a\n  ---\n', 0],
    ["a task item over a table's delimiter row (not taken)", '- [x] a | b\n  | - | - |\n', 0],
    // Spaces after the box are the paragraph's text (micromark's text node starts past the box's space).
    ['a task item, two spaces after the box', '- [ ]  b\n  > c\n', 1],
    [
      'task items, five spaces after the box (no code: the box started a paragraph)',
      '- [ ]     a\n- [x]     # h\n  b\n',
      1,
    ],
    ['a task item, spaces after the box, its text underlined (not taken)', '- [ ]     a\n  ===\n', 0],
    ['a task item, spaces and a tab after the box (not taken)', '- [ ]  \ta\n  > c\n', 0],
    ['a task item, spaces and an escape after the box (not taken)', '- [ ]     \\a\n  > c\n', 0],
    ['an empty item (not taken)', '- a\n  > b\n-\n', 0],
    ['a tab (not taken)', '- a\n\t> b\n', 0],
    ['a tab after the marker (content column 4)', '-\t> a\n-\t> b\n', 1],
    ['a tab after the number', '1.\t> a\n2.\t> b\n\tc\n', 1],
    ['a space and a tab after the marker', '- \t> a\n-  \t# b\n', 1],
    ['a number of two digits and a tab (content column 4)', '10.\ta\n\t> b\n', 1],
    ['a number of three digits and a tab (content column 8)', '100.\ta\n\t\t> b\n', 1],
    ['tabs in the content, at column 4: a block quote', '-\ta\n\t>\t> c\n', 1],
    ['tabs in the content, at column 4: a list', '-\t-\ta\n\t\tb\n', 1],
    ['a tab and spaces as the indent of a line', '-\ta\n  \t> b\n\t    code\n', 1],
    ['indented code by a tab after a blank line', '-\ta\n\n\t\tcode\n-\tb\n', 1],
    ['a footnote definition with tabs in it', '[^a]: b\n\t> c\n\n\t\td\n', 1],
    ['a tab, then a space after the marker (content column 5: taken, no tab after it)', '-\t a\n     > b\n', 1],
    // Past 4 columns the content starts a column past the marker, with indented code: a tab right
    // after the marker is split between them, its other columns the code's (Marker.virtual).
    ['a tab and 4 spaces after the marker: code, the tab split', '-\t    a\n-\t    b\n      c\n', 1],
    ['a tab and spaces after a number: code', '1.\t    a\n2.\t     b\n', 1],
    ["a tab wholly the marker's space, then code", '  -\t    a\n', 1],
    ['a tab, spaces, a fence left open in code', '-\t    ~~~\n-\t    x\n', 1],
    ['a tab, spaces, then a tab in the code (kept as written: taken)', '-\t    a\tb\n', 1],
    // More white space after it, up to its last tab, is read as the spaces it reaches (Marker.lead).
    ['a tab, a space and a tab after the marker', '-\t \t  a\n', 1],
    ['two tabs after the marker: indented code, the second tab split with its indent', '-\t\tcode\n- b\n', 1],
    ['two tabs after the marker in each item, then a line of the last', '-\t\ta\n-\t\tb\n  c\n', 1],
    ['two tabs after a number, then more lines', '1.\t\ta\n   b\n2.\t\tc\n', 1],
    ['a space, then a tab after the marker', '-  \t  a\n-   \tb\n', 1],
    ['spaces, then a tab after a number of two digits', '10.  \ta\n', 1],
    ["a tab past the code's indent, whole (kept as a tab: not taken)", '-\t  \ta\n', 0],
    ["a tab past the code's indent after two tabs (not taken)", '-\t\t\t\ta\n', 0],
    [
      'a tab, then a space after the marker (content column 5), a tab and a space on the next line',
      '-\t a\n\t > b\n',
      1,
    ],
    [
      'a tab, then a space after the marker (content column 5), a tab in the next line (not taken)',
      '-\t a\n     >\tb\n',
      0,
    ],
    ['a tab in the content at column 2 (not taken)', '- >\ta\n', 0],
    [
      'tabs in the content at column 2, code in a quote (not taken: the tab is 1 column wide here, 3 in the content)',
      '- >\t\ta\n',
      0,
    ],
    ['a tab spanning the content column (not taken)', '-  a\n\t> b\n', 0],
    ['a tab on a blank line (not taken)', '-\ta\n\t\n-\tb\n', 0],
    ['an indented line after a blank line (not taken)', '- a\n  > b\n\n c\n', 0],
    ['five spaces after the marker: indented code, the content one column past the marker', '-     code\n- b\n', 1],
    ['indented code first, then more of it and a paragraph', '-     code\n      more\n\n      x\n  p\n- b\n', 1],
    ['indented code first in a numbered item', '10.      code\n    p\n', 1],
    ['nested items, each holding indented code', '- -     a\n- -     b\n\n- -     c\n', 1],
    ['indented code at the end of an item, its line a fence but for its indent', '- # h\n      ~~~\n- b\n', 1],
    [
      'indented code at the end of an item, a blank line of its indent after it (in its extent: not taken)',
      '- # h\n      code\n      \n- c\n',
      0,
    ],
    ['nested items of indented code, a blank line between (read in one batch)', '- -     a\n\n- -     b\n', 1],
    [
      'nested items of indented code, a blank line of spaces between (in the code: not taken)',
      '- -     a\n          \n- -     b\n',
      0,
    ],
    ['items indented 2 spaces', '  - a\n    > b\n  - c\n', 1],
    ['items indented 1 to 3 spaces, the next in the first column', ' - a\n   > b\n- c\n   1. d\n', 1],
    ['numbered items indented 3 spaces', '   1. a\n      > b\n   2. c\n', 1],
    ['indented items after a paragraph line, which they interrupt', 'para\n  - a\n    > b\n', 1],
    // Interrupting, an item's nested containers do too: an empty item, or one from 2, is text there.
    ['items after indented code, the first holding a quote of an empty item (not taken)', '    a\n\n- > -\n  > b\n', 0],
    ['items after indented code, the first a quote of an item from 2 (not taken)', '    a\n\n- > 2. a\n  > b\n', 0],
    ['items after indented code, the first a quote of an item from 1', '    a\n\n- > 1. a\n  > b\n', 1],
    ['items after a blank line, the first a quote of an item from 2', 'para\n\n- > 2. a\n  > b\n', 1],
    ['indented items, then an item of another marker', '  - a\n    > b\n * c\n', 1],
    [
      'indented items leaving a fence open (one list: 3 spaces in, the next item is a sibling)',
      '  - ~~~\n  - b\n\n   - ~~~\n\n   - b\n',
      1,
    ],
    ['indented items, then a line indented less after a blank line (not taken)', '  - a\n    > b\n\n c\n', 0],
    ['a tab and spaces past 4 columns after the marker (code, the tab split)', '-\t    code\n- b\n', 1],
    ['footnote definitions of two paragraphs', '[^a]: b\n\n    c\n\n[^d]: e\n\n    f\n', 1],
    ['a footnote definition ending in a quote', '[^a]: b\n\n    c\n\n    > d\n', 1],
    ['footnote definitions one after another', '[^a]: b\n    > c\n[^D]: e\n', 1],
    ['a footnote definition, then a paragraph', '[^a]: b\n\n    c\n\nd\n', 1],
    ['a footnote definition, then a list (a new container)', '[^a]: b\n    > c\n- d\n', 1],
    ['a footnote definition holding a list of several items', '[^a]: b\n    - c\n    - d\n    - e\n', 1],
    ['a footnote definition holding a list of items of two lines', '[^a]: b\n\n    1. c\n       d\n    2. e\n', 1],
    // An empty line between two items is the first's in a footnote definition: it spreads the item, not the list.
    ['a footnote definition holding a loose list', '[^a]: b\n    - c\n\n    - d\n', 1],
    ['a footnote definition holding a list loose in part', '[^a]: b\n    - c\n\n\n    - d\n    - e\n', 1],
    [
      'a footnote definition holding a loose list, then text (not taken: micromark ends the list past the indent of the next line)',
      '[^a]: b\n\n    1. c\n\n    2. d\n\n    x\n',
      0,
    ],
    [
      'a footnote definition holding a list, its first item of two paragraphs',
      '[^a]: b\n    - c\n\n      c2\n    - d\n',
      1,
    ],
    [
      'a footnote definition holding a list whose item holds a list (not taken)',
      '[^a]: b\n    - c\n      - x\n    - d\n',
      0,
    ],
    ['a footnote definition with a lazy line (not taken)', '[^a]: b\n    > c\nd\n', 0],
    // micromark's blank lines in a footnote definition keep all their spaces (an item's lose its indent).
    ["a footnote definition's blank line of spaces in code", '[^f]: ~~~\n     \n    ~~~\n', 1],
    // What an item leaves open runs on into what follows it (markdown-inner.ts, InnerAfter).
    ["code left open, ended by the next item's line", '- ~~~\n- ~~~\n- b\n', 1],
    ['code left open, blank lines its own (the list not spread)', '- ~~~\n  a\n\n\n- b\n', 1],
    ['code left open, a blank line of spaces past the content column', '- ~~~\n      \n-  b\n', 1],
    ["code left open at the text's end, a line ending after it", '- ~~~\n  a\n\n', 1],
    ["code left open, the text's last line all the item's indent", '- ~~~\n  a\n  ', 1],
    ['code left open, then a heading', '1. ~~~\n# h\n', 1],
    ['code left open, then a block quote (not taken)', '- ~~~\n> b\n', 0],
    ['code left open, a blank line, then text (not taken)', '- ~~~\n\nb\n', 0],
    ['a list in an item, its code left open', '- - ~~~\n  - ~~~\n- - b\n', 1],
    ['a block quote in an item, its code left open', '- > ~~~\n- > ~~~\n  > a\n- b\n', 1],
    ['a block quote in an item, its code left open, a blank line after (a loose list)', '- > ~~~\n\n- b\n', 1],
    ['a block quote in an item, its HTML left open (not taken)', '- > <pre>\n- b\n', 0],
    ['a container left open, blank lines in it (a loose item)', '- :::note\n  a\n\n- :::note[b]\n\n  c\n', 1],
    ['a comment left open, blank lines its own', '- <!--\n\n- b\n', 1],
    ['footnote definitions each leaving code open', '[^a]: ~~~\n[^b]: ~~~\n\n[^c]: x\n', 1],
    ['a footnote definition holding a list, its code left open', '[^f]: - ~~~\n    - a\n', 1],
    ["a list in a quote in an item, the quote's code left open", '* - > ~~~\n* o\n', 1],
    ['a footnote definition, its first line empty (not taken)', '[^a]:\n    b\n\n    c\n', 0],
  ])('%s', (_name, text, count) => {
    expect(taken(text)).toBe(count);
    expect(expectSame(text)).toBe(true);
  });

  it('generated lists of items leaving code, containers and HTML open, read as micromark reads them', () => {
    // Each item opens a block (in a list, a quote or a footnote definition of its own too) and
    // may leave it open; then blank lines of any spaces, the next item, and after the last any
    // line or the text's end, in a block quote or a list item at times.
    const openers = [
      '~~~',
      '```js',
      '~~~~ a b',
      ':::note',
      ':::note[x]{a=b}',
      ':::note\n  ~~~',
      '::::a',
      '<!--',
      '<pre>',
      '<div>',
      '<span>',
      '- ~~~',
      '- - ~~~',
      '> ~~~',
      '> > ~~~',
      '- > ~~~',
      '> - ~~~',
      '- <!--',
      '1. <pre>',
      '- - <!-- a',
      '> <pre>',
      '> :::x',
      '* :::x',
      '1. ```',
      '[^g]: ~~~',
      '    code',
      'a',
      '> a',
    ];
    const lines = [
      '',
      ' ',
      '   ',
      '     ',
      'a',
      '~~~',
      '```',
      ':::',
      '- a',
      '> q',
      '  b',
      '    c',
      '-->',
      '</pre>',
      '# h',
    ];
    const gaps = ['\n', '\n', '\n\n', '\n   \n', '\n\n\n', '\n      \n'];
    const ends = [
      '',
      '\n',
      '\n',
      '\n  ',
      '\n   ',
      '\n# h',
      '\n::x',
      '\n***',
      '\n> q',
      '\n* o',
      '\n[^g]: n',
      '\n\ntext',
      '\n\n> q',
      '\n\n- l',
      '\n   \n# h',
      '\n<!-- c -->',
    ];
    const markers = ['- ', '- ', '* ', '1. ', '-   ', '10) ', '[^f]: ', '  - ', ' 1. '];
    const random = seededRandom(Number(process.env.SEED ?? 47));
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    let lists = 0;
    for (let k = 0; k < Number(process.env.DOCS ?? 400); k++) {
      const marker = pick(markers);
      const pad = ' '.repeat(marker.startsWith('[') ? 4 : marker.length);
      const items: string[] = [];
      for (let i = 1 + random(4); i > 0; i--) {
        const own = [pick(openers), ...Array.from({ length: random(3) }, () => pick(lines))].join('\n').split('\n');
        items.push(own.map((line, n) => (n === 0 ? marker : line === '' ? '' : pad) + line).join('\n'));
      }
      let text = items.map((item, i) => (i === 0 ? '' : pick(gaps)) + item).join('') + pick(ends);
      lists += taken(text);
      const around = random(5);
      if (around === 0)
        text = text
          .split('\n')
          .map((line) => `> ${line}`)
          .join('\n');
      if (around === 1)
        text = text
          .split('\n')
          .map((line, n) => (n === 0 ? '- ' : line === '' ? '' : '  ') + line)
          .join('\n');
      if (random(3) === 0) text = `para\n\n${text}`;
      expectSame(text);
    }
    expect(lists).toBeGreaterThan(100);
  }, 120_000);

  it('many such lists in a chunk, read in one parse', () => {
    expect(expectSame('- a\n  > b\n- [^c]: d\n\n# h\n\n'.repeat(300))).toBe(true);
  });

  it.each([
    // Blank lines after each: the code runs on over them (its extent, not the list's spread), as
    // only a parse of the content with them shows: one parse each.
    ['blank lines after each', '- - ~~~\n\n- - ~~~\n   \n- - ~~~\n'],
    // One empty blank line: the code holds none of it; a quote closes at it; the text's end after it.
    ['a blank line after each, some of code in a quote', '- - ~~~\n\n- > ~~~\n\n- - ~~~\n\n- > - ~~~\n\n'],
    ['a blank line, then a heading or a quote', '- - ~~~\n\n# h\n- - ~~~\n\n> q\n'],
    ['a blank line, then text at the content column or past it', '- - ~~~\n\n  a\n- - ~~~\n\n    b\n'],
    ['a blank line, then an item of the inner list', '- - ~~~\n\n  - ~~~\n\n- b\n'],
    // A comment's value holds the line ending micromark ends it past.
    ['a comment left open', '- - <!--\n- - <!--\n'],
    ['a closing fence in the inner item', '- - ~~~\n    ~~~\n- - ~~~\n'],
    ['a fence opened at the outer content column', '- - ~~~\n  ~~~\n- - ~~~\n'],
    ['a container around the list', '- :::x\n  - ~~~\n- :::x\n  - ~~~\n'],
    // micromark reads this tag as an HTML block a blank line ends, markdown-html.ts as none: the
    // batch's reading of it is not taken.
    ['a tag not complete', '- - <a b=c=d>\n- - b\n'],
    [
      'comments, raw tags, instructions, declarations and CDATA',
      '- - <!--\n1. * <pre>\n- - <?x\n- - <!A\n- - <![CDATA[\n- - <style>\n',
    ],
  ])('items holding a list leaving a block open, %s: read as micromark reads them', (_name, text) => {
    expect(expectSame(text)).toBe(true);
    expect(expectSame(text.repeat(30))).toBe(true);
  });

  it('items holding a list leaving a block open, 0 to 3 empty blank lines, then any line: read as micromark reads them', () => {
    // What the block's value holds of the line endings it runs on over depends on what ends it.
    const openers = ['- ~~~', '1. ```js', '* <!--', '- <!-- a', '- <pre> x', '1. <?p', '- - ~~~', '- > ~~~', '- <div>'];
    const afters = ['- - b', '- b', '# h', '::x', '***', '[^f]: n', '* o', '> q', 'text', '  a', '    b', ''];
    for (const opener of openers)
      for (let blanks = 0; blanks <= 3; blanks++)
        for (const after of afters) {
          const item = `- ${opener}\n${'\n'.repeat(blanks)}`;
          expect(expectSame(`${item}${after}\n`)).toBe(true);
          expect(expectSame(`${item.repeat(3)}${after}`)).toBe(true);
        }
  });

  it('generated lists of items of any content, among other blocks, read as micromark reads them', () => {
    // Tabs: after the marker (content column 4), as the indent of the item's lines (a tab, 4
    // spaces, or spaces and a tab) and in its content (indented code, a nested item, a quote).
    const content = [
      ...CONTENT_LINES,
      '\tcode',
      '-\tb',
      '>\tq',
      'a\tb',
      '# h\tj',
      '    c\td',
      '- a\tb',
      '> a\tb',
      '1. x\t',
    ];
    // Five spaces after a marker: indented code first, the content column one past the marker.
    const markers = [
      '- ',
      '- ',
      '* ',
      '1. ',
      '2) ',
      '-  ',
      '10. ',
      '[^f]: ',
      '[^G]:  ',
      '-\t',
      '1.\t',
      '- \t',
      '-     ',
      '- [ ] ',
      '1. [x] ',
      '- [ ]     ',
      '* [X]  ',
      '-\t    ',
      '1)\t     ',
      // Indented 1 to 3 spaces: the item starts at its marker.
      '  - ',
      ' 1. ',
      '   * ',
    ];
    const indents = ['\t', '    ', '  \t', ' \t'];
    const others = OTHER_BLOCKS;
    const random = seededRandom(Number(process.env.SEED ?? 43));
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    let lists = 0;
    let full = 0;
    for (let k = 0; k < Number(process.env.DOCS ?? 400); k++) {
      const blocks: string[] = [];
      for (let j = 1 + random(5); j > 0; j--) {
        if (random(3) === 0) {
          blocks.push(pick(others));
          continue;
        }
        const marker = pick(markers);
        const items: string[] = [];
        for (let i = 1 + random(3); i > 0; i--) {
          const lines = [pick(content.slice(2)), ...Array.from({ length: random(4) }, () => pick(content))]
            .join('\n')
            .split('\n');
          const tabbed = marker.includes('\t');
          const width = marker.startsWith('[') ? 4 : marker === '-     ' ? 2 : marker.replace(/\[.\] $/, '').length;
          const pad = () => (tabbed ? pick(indents) : ' '.repeat(width));
          items.push(lines.map((line, n) => (n === 0 ? marker : line === '' ? '' : pad()) + line).join('\n'));
        }
        blocks.push(items.join(pick(['\n', '\n', '\n\n'])));
      }
      const text = blocks.join(pick(['\n', '\n\n', '\n\n', '\n\n\n'])) + (random(2) ? '\n' : '');
      lists += taken(text);
      if (!expectSame(text)) full++;
    }
    expect(lists).toBeGreaterThan(60);
    expect(full).toBeLessThan(25);
  }, 120_000);
});
