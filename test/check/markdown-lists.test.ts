/**
 * Runs of bullet lines, built without micromark's list construct
 * (engine/document/markdown-lists.ts): the tree is the one micromark makes of the text as it is,
 * or the text is left to micromark. Compared on the pathological nest, siblings, lazy lines,
 * changes of bullet, the lines around a run, code, HTML, frontmatter and containers, what an
 * item's text may hold, then on generated runs.
 */
import { describe, expect, it } from 'vitest';
import { SIMPLE, simpleContent } from '../../engine/document/markdown-items.js';
import { findListRuns } from '../../engine/document/markdown-lists.js';
import { parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';
import { fast, parse } from '../helpers/list-runs.js';
import { expectReadAsMicromark } from '../helpers/stand-in.js';

/** CommonMark's pathological nest: each line indented one space more. */
const staircase = (n: number, bullet = '*'): string =>
  Array.from({ length: n }, (_, i) => `${' '.repeat(i)}${bullet} a`).join('\n');
/** Each line indented two more: one level deeper every line. */
const deep = (n: number): string => Array.from({ length: n }, (_, i) => `${' '.repeat(2 * i)}- w${i}`).join('\n');

describe('lists nested deep by indentation', () => {
  it.each([
    ['the staircase (siblings, lazy lines, nests)', `${staircase(120)}\n`, true],
    ['at the end without a line ending', staircase(120), true],
    ['a level deeper every line', `${deep(40)}\n`, true],
    ['back out, then deeper again', `${deep(30)}\n- top\n${deep(30)}\n`, true],
    ['bullets that change (new lists)', `${deep(20)}\n${deep(20).replaceAll('-', '+')}\n`, true],
    ['between paragraphs', `para\n\n${staircase(120)}\n\nafter\n`, true],
    [
      'two spaces after the bullet',
      `${Array.from({ length: 30 }, (_, i) => `${' '.repeat(3 * i)}-  w`).join('\n')}\n`,
      true,
    ],
    ['then a list item after a blank line (the list goes on, loose)', `${staircase(120)}\n\n* b\n`, true],
    [
      'nests one after another, blank lines between (one loose list)',
      `${staircase(100)}\n\n${staircase(100)}\n\n\n${staircase(100)}\n`,
      true,
    ],
    ['then another bullet after a blank line (a new list)', `${staircase(120)}\n\n- b\n`, true],
    ['then an item indented 2 after a blank line (the item goes on)', `${staircase(120)}\n\n  * b\n`, true],
    ['then an indented line after a blank line', `${staircase(120)}\n\n    more\n`, false],
    ['then a paragraph line at once (a lazy line)', `${staircase(120)}\nmore\n`, true],
    ['after a list item and a blank line (a list, then another)', `- x\n\n${staircase(120)}\n`, true],
    ['after a list item that goes on and a blank line', `- x\n  more\n\n${staircase(120)}\n`, true],
    ['after an indented line and a blank line', `    x\n\n${staircase(120)}\n`, false],
    ['after a paragraph line at once', `para\n${staircase(120)}\n`, false],
    ['inside a fenced code block', `\`\`\`\n\n${staircase(120)}\n\n\`\`\`\n`, false],
    ['inside a directive container', `:::note\n\n${staircase(120)}\n\n:::\n`, true],
    ['with punctuation', `${deep(30).replaceAll('w', 'w.')}\n`, true],
    ['a task item at the end', `${deep(30)}\n${' '.repeat(60)}- [ ] t\n`, true],
    ['shallow', `${deep(5)}\n`, true],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
  });

  it('generated runs and the lines around them read as micromark reads them', () => {
    const others = [
      '',
      'text',
      '    x',
      '# h',
      '> q',
      '- l',
      '```',
      ':::note',
      ':::',
      '1. n',
      '***',
      '---',
      '- - -',
      '* * *',
    ];
    // Footnote definitions: of plain words (no list can be open after one), and holding a list.
    others.push(
      '[^f]: note',
      '[^f]: [^g]: a b',
      '[^f]: - x',
      '[^f]: note\n\n    more',
      '[^f]: :::note',
      '[^f]: ```',
      '',
      '',
    );
    const words = ['a', 'b c', '1 2', 'x9'];
    const random = seededRandom(13);
    let used = 0;
    for (let k = 0; k < 150; k++) {
      const parts: string[] = [];
      for (let j = 1 + random(4); j > 0; j--) {
        if (random(3) > 0) {
          parts.push(others[random(others.length)]!);
          continue;
        }
        // A walk of indentation: mostly into the last item (at its content column, or a little
        // past it), sometimes a sibling or a lazy line (4 or more past), sometimes back out.
        const lines: string[] = [];
        let indent = random(4);
        let content = 0;
        const bullet = '-*+'[random(3)]!;
        for (let i = 16 + random(24); i > 0; i--) {
          const step = random(20);
          if (lines.length > 0)
            indent =
              step < 14
                ? content + random(3)
                : step < 16
                  ? indent
                  : step < 18
                    ? Math.max(0, indent - random(12))
                    : indent + 4 + random(3);
          const spaces = 1 + random(4);
          content = indent + 1 + spaces;
          const mark = random(15) === 0 ? '-*+'[random(3)]! : bullet;
          lines.push(`${' '.repeat(indent)}${mark}${' '.repeat(spaces)}${words[random(words.length)]}`);
        }
        parts.push(lines.join('\n'));
      }
      const text = parts.join(random(2) ? '\n\n' : '\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) used++;
    }
    expect(used).toBeGreaterThan(10);
  }, 60_000);

  it('the staircase of 1,000 lines is read in a blink, as one nest', () => {
    const text = `${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}* a`).join('\n')}\n`;
    const started = performance.now();
    const tree = parseMarkdown(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(tree.children.map((c) => c.type)).toEqual(['list']);
  });
});

/** Paragraphs, each followed by a short list: most of what a runbook's prose is. */
describe('short lists between paragraphs, headings and other blocks', () => {
  it.each([
    ['a two-item list between paragraphs', 'para\n\n- a list item\n- another\n\nafter\n', true],
    ['after an ATX heading, no blank line', '# Steps\n- one\n- two\n', true],
    ['after a heading after a heading', '# A\n## B\n- one\n- two\n', true],
    ['before an ATX heading, no blank line', '- one\n- two\n# Next\n', true],
    ['after an indented heading (not taken)', '- x\n  # H\n- one\n- two\n', false],
    ['after a heading inside an HTML block (not taken)', '<div>\n# H\n- one\n- two\n', false],
    ['after a paragraph line at once (not taken)', 'para\n- one\n- two\n', false],
    ['a lazy line after it', '- one\n- two\nlazy\n', true],
    ['a loose list', '- one\n\n- two\n\n- three\n', true],
    ['bullets that change', '- one\n* two\n+ three\n', true],
    ['after a list and two blank lines (they do not end it; not taken)', '- a  \n\n\n* x\n  * y\n', false],
    ['one item alone (a thematic break stands in for it)', 'para\n\n- one\n\npara\n', true],
    ['inside a fenced code block', '```yaml\nsteps:\n\n- name: a\n- name: b\n```\n', false],
    ['inside a tilde fence', '~~~\n\n- a\n- b\n\n~~~\n\n- c\n- d\n', true],
    ['inside an unclosed fence', '```\n\n- a\n- b\n', false],
    ['inside an HTML comment', '<!--\n\n- a\n- b\n\n-->\n', false],
    ['after an HTML comment', '<!-- x -->\n\n- a\n- b\n', true],
    ['inside a directive container', ':::note\n- a\n- b\n:::\n', false],
    ['inside a directive container, blank lines around', ':::note\n\n- a\n- b\n\n:::\n', true],
    ['in a block quote (not taken)', '> - a\n> - b\n', false],
    ['an ordered list inside (not taken)', '- 1. a\n- 2) b\n', false],
    ['numbers that are not a list', '- 1 a\n- 2024-11-29 outage\n- 3.5 GB\n', true],
    [
      'code spans and other inline syntax',
      '- `pg_stat_activity` view\n- see *this* [link](http://x) <b>now</b>\n- a :name[x]{y} ~~z~~ www.x.com\n',
      true,
    ],
    ['a fence inside an item (not taken)', '- ```sh\n- b\n', false],
    ['a heading, quote, HTML or directive inside an item (not taken)', '- # h\n- > q\n- <div>\n- ::leaf\n', false],
    ['a thematic break inside an item (not taken)', '- ***\n- b\n', false],
    ['a backslash', '- a\\*b\n- c\n', true],
    ['a character reference', '- a &amp; b\n- c\n', true],
    ['a pipe', '- a | b\n- c\n', true],
    ['a pipe, then a table delimiter row (not taken)', '- a | b\n  - | -\n- c\n', false],
    ['trailing spaces (not taken)', '- a  \n- b\n', false],
    ['a tab in the text (kept as written)', '- a\tb\n- c\n', true],
    ['a tab after the marker (not taken)', '-\ta\n- c\n', false],
    ['carriage returns (not taken)', '- a\r\n- b\r\n', false],
    ['unicode text', '- café ünïcode 日本\n- b\n', true],
    ['the text ends in an ellipsis or a colon', '- wait...\n- then:\n', true],
    // A footnote definition in the first column ends every list above it, and an item (a new
    // container) ends the definition, with no blank line between.
    ['after a footnote definition, no blank line', '[^f]: note\n- one\n- two\n', true],
    ['after a footnote definition: an ordered item of any number', '[^f]: note\n3. one\n4. two\n', true],
    ['after a nested footnote definition', '[^f]: [^g]: note\n- one\n', true],
    ['after a footnote definition and blank lines', '- x\n[^f]: note\n\n- one\n\n- two\n', true],
    ['before a footnote definition, no blank line', '- one\n  - two\n[^f]: note\n', true],
    ['before a footnote definition of inline syntax', '- one\n[^f]: *note*\n', true],
    ['indented 4 after a footnote definition (in it: not taken)', '[^f]: note\n    - one\n', false],
    ['after a footnote definition of inline syntax', '[^f]: *note*\n- one\n', true],
    ['after a footnote definition starting with a heading mark (not taken)', '[^f]: # note\n- one\n', false],
    ['after a footnote definition and its lazy line (not taken)', '[^f]: note\nlazy\n- one\n', false],
    ['after a footnote definition in an HTML block (not taken)', '<div>\n[^f]: note\n- one\n', false],
    ['after a footnote definition in a fence (not taken)', '```\n[^f]: note\n- one\n```\n', false],
    ['after an indented footnote definition (not taken)', ' [^f]: note\n- one\n', false],
    ['before a label with a space (a lazy line: not taken)', '- one\n[^a b]: c\n', false],
    // A run left to micromark keeps the lists before its last top-level one (finishedLists).
    ['lists of one item, then an empty quote in an item: those before the last', '* a\n\n+ b\n\n* c\n\n* >\n', true],
    ['bullets that change, then a fence in an item: those before the last', '- one\n* two\n+ three\n+ ```\n', true],
    ['a nested list, then an empty quote in the next list', '- a\n  - b\n* c\n* >\n', true],
    ['ordered lists, then an empty quote in an item', '1. a\n\n2) b\n\n3) >\n', true],
    ['lists, then a lazy line after a quoted item', '- a\n\n* > b\nlazy\n', true],
    ['lists, then a misread fence in an item', '- a\n\n* b\n\n  ```\n  x\n ```\n', true],
    ['lists, then an HTML block', '- a\n* b\n<div>\n', true],
    ['one list, then an empty quote in an item (not taken)', '- a\n\n- b\n\n- >\n', false],
    ['one list, then a nested list of another bullet and an empty quote (not taken)', '- a\n  * b\n- >\n', false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
  });

  it('no run starts after a footnote definition in an HTML block or a table (its stand-in would be read in them)', () => {
    for (const before of ['<div>\n', '| a |\n| - |\n'])
      expect(findListRuns(`${before}[^f]: note\n- one\n`), before).toEqual([]);
    expect(findListRuns('[^f]: note\n- one\n').map((r) => r.start)).toEqual([11]);
  });

  it('lists in the frontmatter are not taken; after it they are', () => {
    const text = '---\ntitle: x\n\n- a\n- b\n---\n\n- c\n- d\n';
    const runs = findListRuns(text, true);
    expect(runs.map((r) => text.slice(r.start, r.end))).toEqual(['- c\n- d']);
    const result = fast(text, true);
    expect(result.tree).toEqual(parse(text, true));
    expect(result.used).toBe(true);
  });

  it('generated prose and lists read as micromark reads them', () => {
    const blocks = [
      'para',
      'two\nlines',
      '# h',
      '## h2',
      '> q',
      '```\n- a\n\n- b\n```',
      '<!--\n- a\n-->',
      '<div>',
      ':::note',
      ':::',
      '1. n',
      '***',
      '---',
      '    code',
      '| a | b |\n| - | - |',
      '[d]: /u',
    ];
    // Text an item may hold as it is, and text that is not taken (it starts a block or is decoded).
    const plain = ['a', 'b c', '1 2', '`x` y', 'w.', 'f(x), g[y]', 'a *b*', 'a <b>', 'ü', '``x'];
    const other = ['2.', '1.', '[ ] t', 'a\\*b', 'x&amp;y', 'p|q', 'e  ', '```x', '#x', ':x', '::x', '> y'];
    const random = seededRandom(29);
    const text = (): string => (random(8) > 0 ? plain[random(plain.length)]! : other[random(other.length)]!);
    let used = 0;
    for (let k = 0; k < 500; k++) {
      const parts: string[] = [];
      for (let j = 1 + random(6); j > 0; j--) {
        if (random(2) > 0) {
          parts.push(blocks[random(blocks.length)]!);
          continue;
        }
        const lines: string[] = [];
        const bullet = '-*+'[random(3)]!;
        let indent = 0;
        for (let i = 1 + random(6); i > 0; i--) {
          const step = random(10);
          indent = step < 6 ? indent : step < 8 ? indent + 2 : step < 9 ? 0 : indent + 4 + random(2);
          if (lines.length > 0 && random(8) === 0) lines.push('');
          const mark = random(10) === 0 ? '-*+'[random(3)]! : bullet;
          lines.push(`${' '.repeat(indent)}${mark}${' '.repeat(1 + random(2))}${text()}`);
        }
        parts.push(lines.join('\n'));
      }
      const source = parts.join(random(3) ? '\n\n' : '\n') + (random(2) ? '\n' : '');
      const result = fast(source);
      expect(result.tree, JSON.stringify(source)).toEqual(parse(source));
      if (result.used) used++;
    }
    expect(used).toBeGreaterThan(50);
  }, 60_000);
});

/** Item text with escapes and character references, which micromark decodes (as paragraphs'). */
describe('item text to decode', () => {
  it.each([
    ['an escape', '- a \\* b\n', true],
    ['a character reference', '- a &amp; b\n', true],
    ['numeric references, unknown ones and a bare `&`', '- &#42; &#x2A; &nosuch; &amp & b;\n', true],
    ['text starting with a backslash or `&`', '- \\* a\n- &lt;b&gt;\n', true],
    ['a lone backslash, an escaped one, one at the end', '- \\\n- a \\\\ b\n- c\\\n- d\n', true],
    ['escaped block starts', '- \\# a\n- \\> b\n- \\- c\n- \\1. d\n- \\``` e\n', true],
    ['an ordered item', '1. a \\* b\n2. &copy; c\n', true],
    ['task items', '- [ ] a \\* b\n- [x] &amp;\n1. [X] \\[c]\n', true],
    ['an escaped check is text', '- \\[ ] a\n', true],
    ['a check then a backslash: text starting with `[` (not taken)', '- [ ]\\ b\n', false],
    ['nested', '- a\n  - b \\* c\n    - &lt;d&gt;\n  1. \\e\n', true],
    ['in lazy lines', '- a\n      - b \\* c\n- d &amp;\n      2. e\n', true],
    ['a loose list', '- \\*\n\n- &amp;\n', true],
    ['then a setext underline (not taken)', '- a \\*\n---\n', false],
    ['then `=` (a lazy line; not taken)', '- a &amp;\n===\n', false],
    ['trailing spaces (not taken)', '- a \\*  \n- b\n', false],
    ['an escaped pipe', '- a \\| b\n', true],
    ['a pipe', '- ps aux | grep x\n- b\n', true],
    ['pipes in nested, ordered and task items', '- [ ] a | b\n  - c | d\n\n1. e|f\n2. |\n', true],
    ['a pipe at the end, then text going on', '- a |\n  b\n', true],
    ['a pipe, then a delimiter row in the item (a table: not taken)', '- a | b\n  --- | ---\n', false],
    ['a pipe, then a delimiter row of one cell (not taken)', '- | a\n  ---\n', false],
    ['a pipe, then a lazy delimiter row (not taken)', '- a | b\n--- | ---\n', false],
    ['a pipe, then an item that may be a delimiter row (not taken)', '- a | b\n  - | -\n', false],
    ['a pipe, a blank line, then a delimiter row', '- a | b\n\n  --- | ---\n', false],
    ['a tab in the text', '- a\t\\*\n', true],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
    expect(parseMarkdown(text, 1), JSON.stringify(text)).toEqual(parse(text, true));
  });

  it('generated lists of decoded text among other blocks read as micromark reads them, whole and in small chunks', () => {
    const words = [
      'a',
      'b c',
      '\\*',
      'a \\_ b',
      '&amp;',
      'x &#42; y',
      '&nope;',
      '\\',
      'a\\',
      '\\\\',
      '\\a',
      '&',
      'q|r',
      'ps aux | grep "x"',
      'a \\| b |',
      'e  ',
    ];
    const around = [
      'para',
      'a \\* b',
      '# h',
      '***',
      '---',
      '- ',
      '> q',
      '    code',
      '::leaf',
      '',
      '[^f]: n',
      '```\n- \\*\n```',
      '--- | ---',
      '  | - |',
      '  :-:',
    ];
    const checks = ['', '', '', '[ ] ', '[x] ', '\\[ ] '];
    const random = seededRandom(71);
    let used = 0;
    for (let k = 0; k < 400; k++) {
      const parts: string[] = [];
      for (let j = 1 + random(4); j > 0; j--) {
        if (random(3) === 0) {
          parts.push(around[random(around.length)]!);
          continue;
        }
        const lines: string[] = [];
        let content = 0;
        for (let i = 1 + random(8); i > 0; i--) {
          const step = random(8);
          const indent = lines.length === 0 || step < 4 ? 0 : step < 7 ? content : content + 4;
          if (lines.length > 0 && random(7) === 0) lines.push('');
          const mark = random(3) === 0 ? `${1 + random(3)}${random(2) ? '.' : ')'}` : '-*+'[random(3)]!;
          content = indent + mark.length + 1;
          lines.push(`${' '.repeat(indent)}${mark} ${checks[random(checks.length)]}${words[random(words.length)]}`);
        }
        parts.push(lines.join('\n'));
      }
      const text = parts.join(random(3) ? '\n\n' : '\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) used++;
      if (k % 4 === 0) expect(parseMarkdown(text, 1 + random(64)), JSON.stringify(text)).toEqual(parse(text, true));
    }
    expect(used).toBeGreaterThan(80);
  }, 120_000);
});

/** Items whose paragraph goes on over lines of text: indented to the content, or lazily. */
describe('items of several lines', () => {
  it.each([
    ['a line indented to the content', '- a\n  b\n', true],
    ['lines, then a sibling', '- a\n  b\n  c\n- d\n', true],
    ['a lazy line', '- a\nbcd\n', true],
    ['indented less than the content (lazy)', '1. a\n bcd\n', true],
    ['indented 4 or more past the content (no code: it goes on)', '- a\n      b\n- c\n            d\n', true],
    ['nested, at each level and lazily', '- a\n  - b\n    c\n  d\ne\n  - f\n', true],
    ['to decode', '1. a\n   b \\* c\n2. d\n   &amp;\n   \\\n', true],
    ['a task item', '- [ ] a\n  b\n- [x] c\ndef\n', true],
    ['text that starts with a number, not an item', '- a\n  2024-11-29 b\n  3.5 GB\n', true],
    ['then `2.` (it goes on too)', '- a\n  b\n  2. c\n', true],
    ['then a nested list', '- a\n  b\n  - c\n    d\n  1. e\n', true],
    ['a loose list', '- a\n  b\n\n- c\n  d\n', true],
    ['then a paragraph after a blank line', '- a\nbcd\n\nc\n', true],
    [
      'ended by an ATX heading, a leaf directive, a footnote definition',
      '- a\n  b\n# h\n- c\nd\n::leaf\n- e\n  f\n[^f]: n\n',
      true,
    ],
    ['code spans and inline syntax', '- a\n  `x` *y* <b> [c](d)\n', true],
    ['a setext underline in the item (not taken)', '- a\n  b\n  ---\n', false],
    ['`=` (not taken)', '- a\n  b\n===\n', false],
    ['a heading in the item (not taken)', '- a\n  # h\n', false],
    ['a block quote in the item (not taken)', '- a\n  > q\n', false],
    ['a pipe (not taken)', '- a\n  b | c\n', false],
    ['a fence, interrupting the paragraph', '- a\n  ```\n  x\n  ```\n', true],
    ['a hard break (not taken)', '- a\n  b  \n  c\n', false],
    ['trailing spaces on the item line (not taken)', '- a \n  b\n', false],
    ['a tab (not taken)', '- a\n\tb\n', false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
    expect(parseMarkdown(text, 1), JSON.stringify(text)).toEqual(parse(text, true));
  });

  it('generated items of several lines among other blocks read as micromark reads them, whole and in small chunks', () => {
    const words = [
      'a',
      'b c',
      'x \\* y',
      '&amp;',
      '2024 z',
      '`c` d',
      'e|f',
      'g  ',
      '===',
      '---',
      '# h',
      '> q',
      '2. i',
      '1. j',
      '- k',
      '[ ] l',
    ];
    const around = [
      'para',
      'two\nlines',
      '# h',
      '***',
      '- ',
      '> q',
      '    code',
      '::leaf',
      '[^f]: n',
      '```\nx\n```',
      '<div>',
      ':::note',
    ];
    const random = seededRandom(83);
    let used = 0;
    let continued = 0;
    for (let k = 0; k < 400; k++) {
      const parts: string[] = [];
      for (let j = 1 + random(4); j > 0; j--) {
        if (random(3) === 0) {
          parts.push(around[random(around.length)]!);
          continue;
        }
        const lines: string[] = [];
        let content = 0;
        for (let i = 1 + random(8); i > 0; i--) {
          if (lines.length > 0 && random(8) === 0) lines.push('');
          if (lines.length > 0 && random(2) === 0) {
            // A line of text: at the content, lazily, or past it.
            const step = random(6);
            const indent = step < 3 ? content : step < 5 ? random(content + 1) : content + 4 + random(4);
            const word = random(4) > 0 ? words[random(3)]! : words[random(words.length)]!;
            lines.push(`${' '.repeat(indent)}${word}`);
            continue;
          }
          const step = random(6);
          const indent = lines.length === 0 || step < 3 ? 0 : step < 5 ? content : random(content + 1);
          const mark = random(3) === 0 ? `${1 + random(2)}.` : '-*'[random(2)]!;
          content = indent + mark.length + 1;
          lines.push(`${' '.repeat(indent)}${mark} ${words[random(4)]}`);
        }
        parts.push(lines.join('\n'));
      }
      const text = parts.join(random(3) ? '\n\n' : '\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) {
        used++;
        if (findListRuns(text).some((run) => run.lines.some((line) => line.continues))) continued++;
      }
      if (k % 4 === 0) expect(parseMarkdown(text, 1 + random(64)), JSON.stringify(text)).toEqual(parse(text, true));
    }
    expect(used).toBeGreaterThan(80);
    expect(continued).toBeGreaterThan(40);
  }, 120_000);
});

/** Items holding paragraphs after blank lines: item and list `spread` as mdast computes them. */
describe('items of several paragraphs', () => {
  it.each([
    ['a second paragraph', '- a\n\n  b\n', true],
    ['one loose item after another', '- a\n\n  b\n\n- c\n\n  d\n\n', true],
    ['then a sibling with no blank line', '- a\n\n  b\n- c\n', true],
    ['two blank lines', '- a\n\n\n  b\n', true],
    ['three paragraphs, lines going on', '1. a\n\n   b\n   c\nd\n\n   e \\* f\n', true],
    ['indented up to 3 past the content', '- a\n\n     b\n', true],
    ['after a nested list, in the outer item', '- a\n  - b\n\n  c\n- d\n', true],
    ['in the nested item', '- a\n  - b\n\n    c\n- d\n', true],
    ['then a nested list', '- a\n\n  b\n  - c\n  1. d\n  2. e\n', true],
    ['a task item', '- [ ] a\n\n  b\n', true],
    ['then a paragraph outside the list', '- a\n\n  b\n\nc\n', true],
    ['then a heading', '- a\n\n  b\n# h\n', true],
    ['4 past the content: code (not taken)', '- a\n\n      b\n', false],
    ['less than the content: a paragraph after the list (not taken)', '- a\n\n b\n', false],
    ['an item after the blank line, indented (not taken)', '- a\n\n  - b\n', false],
    ['a heading after the blank line (not taken)', '- a\n\n  # b\n', false],
    ['a pipe (not taken)', '- a\n\n  b | c\n', false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
    expect(parseMarkdown(text, 1), JSON.stringify(text)).toEqual(parse(text, true));
  });

  it('generated items of several paragraphs among other blocks read as micromark reads them, whole and in small chunks', () => {
    const words = ['a', 'b c', 'x \\* y', '&amp;', '`c` d', 'e|f', 'g  ', '# h', '> q', '- k', '1. j', '```'];
    const around = [
      'para',
      'two\nlines',
      '# h',
      '***',
      '> q',
      '    code',
      '::leaf',
      '[^f]: n',
      '```\nx\n```',
      ':::note',
    ];
    const random = seededRandom(97);
    let used = 0;
    let paragraphs = 0;
    for (let k = 0; k < 400; k++) {
      const parts: string[] = [];
      for (let j = 1 + random(4); j > 0; j--) {
        if (random(3) === 0) {
          parts.push(around[random(around.length)]!);
          continue;
        }
        const lines: string[] = [];
        let content = 0;
        for (let i = 1 + random(8); i > 0; i--) {
          if (lines.length > 0 && random(3) > 0) {
            // Text after a blank line or not: at the content, near it, past it, or lazily.
            if (random(3) > 0) lines.push(random(5) === 0 ? '  ' : '');
            const step = random(8);
            const indent = step < 4 ? content : step < 6 ? random(content + 2) : content + 1 + random(5);
            const word = random(4) > 0 ? words[random(4)]! : words[random(words.length)]!;
            lines.push(`${' '.repeat(indent)}${word}`);
            continue;
          }
          if (lines.length > 0 && random(4) === 0) lines.push('');
          const step = random(6);
          const indent = lines.length === 0 || step < 3 ? 0 : step < 5 ? content : random(content + 1);
          const mark = random(3) === 0 ? `${1 + random(2)}.` : '-*'[random(2)]!;
          content = indent + mark.length + 1 + (random(4) === 0 ? 1 : 0);
          lines.push(`${' '.repeat(indent)}${mark}${' '.repeat(content - indent - mark.length)}${words[random(4)]}`);
        }
        parts.push(lines.join('\n'));
      }
      const text = parts.join(random(3) ? '\n\n' : '\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) {
        used++;
        if (findListRuns(text).some((run) => run.lines.some((line) => line.paragraph))) paragraphs++;
      }
      if (k % 4 === 0) expect(parseMarkdown(text, 1 + random(64)), JSON.stringify(text)).toEqual(parse(text, true));
    }
    expect(used).toBeGreaterThan(80);
    expect(paragraphs).toBeGreaterThan(40);
  }, 120_000);
});

/** Items holding fenced code (after a blank line or right after a line), in items whose content starts in column 3 or 4. */
describe('items holding fenced code', () => {
  it.each([
    ['a code block', '- a\n\n  ```\n  x\n  ```\n', true],
    ['one loose item after another', '- a\n\n  ```\n  x\n  ```\n\n- b\n\n  ```sh\n  y\n  ```\n\n', true],
    ['then a sibling, no blank line', '- a\n\n  ```\n  x\n  ```\n- b\n', true],
    ['then a paragraph in the item', '1. a\n\n   ~~~js\n   x\n\n     y\n   ~~~\n\n   b\n', true],
    ['indented in the item, lines less so', '- a\n\n   ```\n   x\n  y\n    z\n  ```\n', true],
    ['a longer closing fence', '- a\n\n  ```\n  ``\n  `````\n', true],
    ['a fence with an info word inside (not taken)', '- a\n\n  ```\n  ```x\n  ```\n', false],
    ['empty', '- a\n\n  ```\n  ```\n', true],
    ['in a nested item: content past column 4 (not taken)', '- a\n  - b\n\n    ```\n    x\n    ```\n', false],
    ['then text going on (a paragraph, not taken)', '- a\n\n  ```\n  x\n  ```\n  b\n', false],
    ['then `2.` (an ordered list, not taken)', '- a\n\n  ```\n  x\n  ```\n  2. b\n', false],
    ['unclosed (not taken)', '- a\n\n  ```\n  x\n', false],
    ['a line out of the item closes it (not taken)', '- a\n\n  ```\n x\n  ```\n', false],
    ['closed in the first column (not taken)', '- a\n\n  ```\n  x\n```\n', false],
    ['a fence 4 past the content is code', '- a\n\n  ```\n  x\n      ```\n  ```\n', true],
    ['a closing fence 4 in all, 2 in the item (not taken)', '- a\n\n  ```\n  x\n    ```\n', false],
    ['a fence right after the item line (the item stays tight)', '- a\n  ```\n  x\n  ```\n', true],
    ['right after the item line, a blank line inside', '- Query:\n  ```sql\n  SELECT 1;\n\n  SELECT 2;\n  ```\n', true],
    ['right after the item line, between siblings', '- a\n- Query:\n  ```sql\n  SELECT 1;\n  ```\n- b\n', true],
    ['right after an ordered item line', '1. Query:\n   ```\n   x\n   ```\n2. next\n', true],
    ['right after the item line, then a loose sibling', '- Query:\n  ```sql\n  SELECT 1;\n  ```\n\n- b\n', true],
    ['right after the item line, two blocks of code', '- Query:\n  ```sql\n  a\n  ```\n  ```\n  b\n  ```\n', true],
    ['right after a lazy line', '- a\nlazily\n  ```\n  x\n  ```\n', true],
    ['right after the item line, then text (not taken)', '- Query:\n  ```sql\n  SELECT 1;\n  ```\n  more\n', false],
    ['right after the item line, a space in (not taken)', '- Query:\n ```sql\n x\n ```\n', false],
    [
      'right after the item line, 4 in: text going on (not taken)',
      '- Query:\n      ```sql\n      x\n      ```\n',
      false,
    ],
    ['right after the item line, unclosed (not taken)', '- Query:\n  ```\n  x\n', false],
    ['an info string with a space (not taken)', '- a\n\n  ```js x\n  y\n  ```\n', false],
    ['a blank line of spaces inside (not taken)', '- a\n\n  ```\n   \n  ```\n', false],
    ['a tab inside (not taken)', '- a\n\n  ```\n  \tx\n  ```\n', false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
    expect(parseMarkdown(text, 1), JSON.stringify(text)).toEqual(parse(text, true));
  });

  it('generated items holding code among other blocks read as micromark reads them, whole and in small chunks', () => {
    const code = ['x', '', 'y z', '- a', '# h', '```', '~~~', '````', '``` x', ' x', '\tx', '    x', '1. b'];
    const fences = ['```', '~~~', '````', '```sh', '~~~ js'];
    const around = [
      'para',
      '# h',
      '***',
      '- - -',
      '* * *',
      '- ',
      '> q',
      '    code',
      '[^f]: n',
      '```\nx\n```',
      ':::note',
    ];
    const random = seededRandom(101);
    let used = 0;
    let codes = 0;
    for (let k = 0; k < 400; k++) {
      // Half the documents have no line micromark would read otherwise than taken here (but the blocks around).
      const noisy = random(2) === 0;
      /** Whether to put a line in that is not taken, one in `n` of the chances, in a noisy document. */
      const noise = (n: number): boolean => noisy && random(n) === 0;
      // (A run holding fences of both kinds has no stand-in: one kind a document, but noisy.)
      const kind = fences[random(4)]!;
      const parts: string[] = [];
      for (let j = 1 + random(4); j > 0; j--) {
        if (random(3) === 0) {
          parts.push(around[random(around.length)]!);
          continue;
        }
        const lines: string[] = [];
        for (let i = 1 + random(4); i > 0; i--) {
          const mark = random(3) === 0 ? '1.' : '-*'[random(2)]!;
          const content = mark.length + 1 + random(2);
          const pad = (n: number): string => ' '.repeat(Math.max(0, n));
          lines.push(`${mark}${pad(content - mark.length)}a`);
          for (let b = random(3); b > 0; b--) {
            if (random(4) > 0) lines.push('');
            if (random(3) === 0) {
              lines.push(`${pad(content + random(2))}text`);
              continue;
            }
            const fence = noisy ? fences[random(fences.length)]! : kind;
            const shift = noise(6) ? -1 : random(2);
            lines.push(`${pad(content + shift)}${fence}`);
            for (let c = random(4); c > 0; c--)
              lines.push(
                `${pad(content + random(3) - (noise(8) ? 2 : 0))}${code[noise(5) ? random(code.length) : random(3)]}`.replace(
                  /^ +$/,
                  random(2) ? '' : '  ',
                ),
              );
            if (!noise(8))
              lines.push(`${pad(content + (noise(6) ? 4 : 0))}${/^[`~]+/.exec(fence)![0]}${noise(6) ? 'x' : ''}`);
          }
          if (random(2)) lines.push('');
        }
        parts.push(lines.join('\n'));
      }
      const text = parts.join(random(3) ? '\n\n' : '\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) {
        used++;
        if (findListRuns(text).some((run) => run.lines.some((line) => line.code !== null))) codes++;
      }
      if (k % 4 === 0) expect(parseMarkdown(text, 1 + random(64)), JSON.stringify(text)).toEqual(parse(text, true));
    }
    expect(used).toBeGreaterThan(60);
    expect(codes).toBeGreaterThan(30);
  }, 120_000);
});

/** The new item shapes among prose, as markdown.ts reads them: stood in with the other prose parts. */
describe('decoded, several-line and several-paragraph items among prose', () => {
  it.each([
    ['escapes between paragraphs', 'Some prose.\n\n- a \\* b\n- c &amp; d\n\nMore prose.\n', 1],
    ['lines going on, then a heading', '# Steps\n\n1. run it\n   with care\n2. check\nthe logs\n\n## Next\n', 1],
    [
      'paragraphs in items, then prose',
      'Intro.\n\n- step one\n\n  details here\n\n- step two\n\n  more \\* details\n\nOutro.\n',
      1,
    ],
    ['a fence in the text around', '```\n- a\n\n  b\n```\n\n- a\n\n  b\n', 1],
  ])('%s', (_name, text, built) => {
    expectReadAsMicromark(text, 'list', built);
    // Written on Windows: read as its LF form, offsets put back (markdown-crlf.ts).
    const crlf = text.replaceAll('\n', '\r\n');
    expect(parseMarkdown(crlf)).toEqual(parse(crlf, true));
  });
});

/** Ordered and task items: numbers, delimiters, checks, and where micromark starts a new list. */
describe('ordered and task items', () => {
  it.each([
    ['a tight ordered list', '1. a\n2. b\n3. c\n', true],
    ['a loose ordered list', '1. a\n\n2. b\n\n3. c\n', true],
    ['starting at another number', '7. a\n8. b\n', true],
    ['starting at 0', '0. a\n1. b\n', true],
    ['a leading zero (start 1)', '01. a\n02. b\n', true],
    ['nine digits', '123456789. a\n000000000. b\n', true],
    ['ten digits: a paragraph (not taken)', '1234567890. a\n', false],
    ['the numbers as written do not matter after the first', '3. a\n1. b\n99) c\n', true],
    ['`)` after `.`: a new list, of any number', '1. a\n2) b\n3) c\n', true],
    ['`.` after `)`, after a blank line', '1) a\n\n5. b\n', true],
    ['a bullet after an ordered item: a new list', '1. a\n- b\n2. c\n', true],
    ['an ordered item after bullets: a new list', '- a\n7. b\n', true],
    ['nested ordered lists', '1. a\n   1. b\n      1) c\n   2. d\n2. e\n', true],
    ['nested from `2.`: the paragraph goes on', '1. a\n   2. b\n', true],
    ['nested from `01.` or `10.`: the paragraph goes on', '- a\n  01. b\n  10. c\n', true],
    ['nested `1.` then `2.` (a sibling)', '- a\n  1. b\n  2. c\n', true],
    ['nested `1.` then `3)` (not a sibling: goes on with b)', '- a\n  1. b\n     3) c\n', true],
    ['a lazy line (an item 4 past the content)', '1. a\n       - lazy\n2. b\n', true],
    ['wide markers', '10. a\n    - b\n11. c\n', true],
    ['more spaces after the marker', '1.    a\n      1.  b\n', true],
    ['five spaces after the marker: indented code', '1.     a\n', true],
    ['after a heading, from 2', '# h\n2. a\n3. b\n', true],
    ['after a thematic break, from 2', '***\n2. a\n', true],
    ['after a paragraph (not taken)', 'para\n1. a\n', false],
    ['an ordered item inside an item (not taken)', '1. 2. a\n', false],
    ['a task list', '- [ ] a\n- [x] b\n- [X] c\n', true],
    ['a loose task list', '- [ ] a\n\n- [x] b\n', true],
    ['ordered task items', '1. [x] a\n2. [ ] b\n', true],
    ['nested task items', '- [ ] a\n  - [x] b\n        - lazy\n', true],
    ['not a check: no space after it (not taken)', '- [ ]a\n', false],
    ['not a check: two spaces after it (not taken)', '- [ ]  a\n', false],
    ['not a check: another letter (not taken)', '- [y] a\n', false],
    ['a check and nothing after it (not taken)', '- [ ]\n', false],
    ['a check in a lazy line is text', '- a\n      - [ ] b\n', true],
    ['then a setext underline (not taken)', '1. a\n---\n', false],
    ['then `=` (a lazy line; not taken)', '1. a\n===\n', false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
  });

  it('generated lists of bullets, numbers and checks read as micromark reads them', () => {
    const numbers = ['1', '1', '1', '1', '2', '3', '0', '01', '10', '9', '123456789', '000000000', '1234567890'];
    const checks = ['[ ] ', '[x] ', '[X] ', '[y] ', '[ ]', '[ ]  ', '[x]'];
    const words = ['a', 'b c', '1 2', 'x9', '`c` d', 'e #f', '2. g', '[ ] h', 'i  ', 'j\\*'];
    const around = [
      'para',
      '# h',
      '***',
      '---',
      '- - -',
      '* * *',
      '===',
      '- ',
      '> q',
      '    code',
      '::leaf',
      '',
      ':::note',
      ':::',
    ];
    const random = seededRandom(53);
    let used = 0;
    for (let k = 0; k < 600; k++) {
      const parts: string[] = [];
      for (let j = 1 + random(4); j > 0; j--) {
        if (random(3) === 0) {
          parts.push(around[random(around.length)]!);
          continue;
        }
        const lines: string[] = [];
        let indent = 0;
        let content = 0;
        for (let i = 1 + random(12); i > 0; i--) {
          const step = random(12);
          if (lines.length > 0)
            indent =
              step < 5 ? indent : step < 8 ? content + random(2) : step < 10 ? 0 : step < 11 ? content + 4 : random(4);
          if (lines.length > 0 && random(7) === 0) lines.push(random(4) === 0 ? ' ' : '');
          const ordered = random(2) === 0;
          const mark = ordered ? `${numbers[random(numbers.length)]}${random(3) ? '.' : ')'}` : '-*+'[random(3)]!;
          const spaces = random(20) === 0 ? 5 : 1 + random(2);
          content = indent + mark.length + spaces;
          const check = random(3) > 0 ? '' : checks[random(5) > 0 ? random(3) : random(checks.length)]!;
          const tail = random(10) === 0 ? words[random(words.length)]! : words[random(4)]!;
          lines.push(`${' '.repeat(indent)}${mark}${' '.repeat(spaces)}${check}${tail}`);
        }
        parts.push(lines.join('\n'));
      }
      const text = parts.join(random(3) ? '\n\n' : '\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) used++;
    }
    expect(used).toBeGreaterThan(60);
  }, 120_000);
});

describe('simple item lines', () => {
  it('simpleContent takes the lines SIMPLE matches, and says where their text starts', () => {
    const random = seededRandom(21);
    const pieces = [
      ' ',
      ' ',
      '  ',
      '-',
      '*',
      '+',
      'a',
      'Z',
      '1',
      '1.',
      '2)',
      '`',
      '``',
      '```',
      '#',
      '|',
      '\\',
      '&',
      '\t',
      '.',
      'é',
      '😀',
      '\u00a0',
      '>',
      ':',
    ];
    const lines = [
      '',
      '-',
      '- ',
      '- a',
      '-  a',
      '- 1. a',
      '     - a',
      '-     a',
      '-    a',
      '+ `a`',
      '* ```',
      '- a ',
      '- a\t',
    ];
    for (let k = 0; k < 20000; k++)
      lines.push(Array.from({ length: 1 + random(7) }, () => pieces[random(pieces.length)]!).join(''));
    for (const line of lines) {
      const m = SIMPLE.exec(line);
      expect(simpleContent(line), JSON.stringify(line)).toBe(m === null ? -1 : m[1]!.length + 1 + m[3]!.length);
    }
  });
});
