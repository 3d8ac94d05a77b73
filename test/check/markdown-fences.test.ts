/**
 * Fenced and indented code built without micromark (engine/document/markdown-fences.ts,
 * markdown-indented.ts) as parts of prose runs (markdown-prose.ts): the tree is the one micromark
 * makes of the text as it is, or the block is left to micromark. Compared on info strings,
 * indentation, tabs, closings, what is around them, then on generated mixes with the other prose
 * shapes, and through the whole parse.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';
import { expectReadAsMicromark, readStandingIn } from '../helpers/stand-in.js';

const parse = (text: string, first = false): Root => micromarkBlocks(text, first);
const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));

/** The text parsed with its prose runs standing in; how many parts of `kind` were built. */
const fast = (text: string, kind: string) => readStandingIn(text, kind);

const expectSame = expectReadAsMicromark;

describe('fenced code', () => {
  it.each([
    ['no info', '```\ncode\n```\n', 1],
    ['empty', '```\n```\n', 1],
    ['one blank line', '```\n\n```\n', 1],
    ['two blank lines', '```\n\n\n```\n', 1],
    ['blank lines of spaces', '```\n  \n \nx\n   \n```\n', 1],
    ['a language', '```sql\nselect 1\n```\n', 1],
    ['a language and meta', '```sql  a  b\nselect 1\n```\n', 1],
    ['meta with spaces after it, kept', '```sql a b  \nselect 1\n```\n', 1],
    ['spaces after the language only', '```sql   \nx\n```\n', 1],
    ['spaces before the language', '```   sql x\nx\n```\n', 1],
    ['info of only spaces', '```   \nx\n```\n', 1],
    ['punctuation in the info', '```c++ {.a #b key="v"} ~!@$%^*()\nx\n```\n', 1],
    ['a backtick in a tilde fence’s info', '~~~ a`b\nx\n~~~\n', 1],
    ['tildes', '~~~\nx\n~~~\n', 1],
    ['a longer fence', '`````\n```\nx\n```\n`````\n', 1],
    ['a longer closing', '```\nx\n``````\n', 1],
    ['a closing with spaces after it', '```\nx\n```   \n', 1],
    ['a closing indented', '```\nx\n   ```\n', 1],
    ['content with fences of the other character', '```\n~~~\nx\n~~~~\n```\n', 1],
    // No stand-in fence holds lines of both characters: read apart only (expectSame).
    ['content with fences of both characters', '~~~~\n```\n~~~\nx\n~~~~\n', 0],
    ['content with tabs and markup', '```\n\tx\n# not a heading\n- not a list\n<div>\n| a |\n```\n', 1],
    ['content past ASCII', '```\nü 日本 😀\n```\n', 1],
    ['indented one space', ' ```\n x\ny\n  z\n ```\n', 1],
    ['indented three spaces', '   ```js\n   a\n    b\n  c\nd\n```\n', 1],
    ['a tab among the spaces a line keeps', '  ```\n  \tx\n```\n', 1],
    ['several, with no blank line between', '```\na\n```\n~~~\nb\n~~~\n```\nc\n```\n', 3],
    ['after a paragraph (the fence interrupts it)', 'para\n```\nx\n```\n', 1],
    ['after a list item', '- a\n```\nx\n```\n', 1],
    ['after a block quote', '> a\n```\nx\n```\n', 1],
    ['after a heading', '# h\n```\nx\n```\nafter\n', 1],
    ['in a container (not one markdown-containers.ts takes)', ':::note\n> q\n```\nx\n```\n:::\n', 1],
    ['in a container, with paragraphs and a list', ':::note\n- a\n\n```\nx\n```\n\ntext\n:::\n', 1],
    ['a character reference in the info', '```a&amp;b\nx\n```\n', 1],
    ['an escape in the info', '```a\\*b\nx\n```\n', 1],
    ['escapes and references in the meta', '```a b\\*c &lt; &#x41; &#65;\nx\n```\n', 1],
    ['references to a space and a backtick in a tilde fence’s info', '~~~a&#32;b&#96;c d\nx\n~~~\n', 1],
    ['a reference to a backtick in a backtick fence’s info', '```a&#96;b\nx\n```\n', 1],
    ['unknown and bad references, kept or replaced', '```&bogus; &#0; &#x110000; &amp &#;\nx\n```\n', 1],
    ['a backslash before a letter, a space and the end', '```\\a \\ b\\\nx\n```\n', 1],
    ['an escaped backslash and ampersand', '```\\\\&amp; \\&amp;\nx\n```\n', 1],
    ['an escape after spaces, in a tilde fence', '~~~  \\~a  \\~b  \nx\n~~~\n', 1],
    ['an escape in an indented fence’s info', '  ```a\\_b\n  x\n  ```\n', 1],
    ['references past ASCII', '```&eacute;&#x1F600; &NotNestedGreaterGreater;\nx\n```\n', 1],
    // Not taken.
    ['an escaped backtick in a backtick fence’s info (a paragraph)', '```a\\`b\nx\n```\n', 0],
    ['a tab in the info', '```a\tb\nx\n```\n', 0],
    ['a backtick in a backtick fence’s info (a paragraph)', '```a`b\nx\n```\n', 0],
    ['left open', '```\nx\n', 0],
    ['left open, a shorter closing', '````\nx\n```\n', 0],
    ['a closing of the other character', '```\nx\n~~~\n', 0],
    ['a closing with a tab after it', '```\nx\n```\t\n', 0],
    ['a closing with text after it', '```\nx\n``` y\n', 0],
    ['a closing indented 4 spaces', '```\nx\n    ```\n', 0],
    ['a tab among the spaces a line loses', '  ```\n \tx\n  ```\n', 0],
    ['a line of colons in it', '```\n:::\n```\n', 0],
    ['a carriage return', '```\r\nx\r\n```\r\n', 0],
    ['a NUL', '```\nx\0\n```\n', 0],
    ['indented 4 spaces (indented code)', '    ```\n    x\n    ```\n', 0],
    ['indented under a list item', '- a\n\n  ```\n  x\n  ```\n', 0],
    ['indented after a list item', '- a\n ```\n x\n ```\n', 0],
    ['in a list item', '- ```\n  x\n  ```\n', 0],
    ['in a block quote', '> ```\n> x\n> ```\n', 0],
    ['in HTML', '<div>\n```\nx\n```\n', 0],
    ['after a table', '| a |\n| - |\n```\nx\n```\n', 0],
  ])('%s', (_name, text, built) => {
    expectSame(text, 'fence', built);
  });

  it('a fence closing a container it is in: the container first', () => {
    expectSame(':::note\n```\n:::\n```\n', 'fence', 0);
  });
});

describe('indented code', () => {
  it.each([
    ['one line', '    code\n', 1],
    ['lines', '    a\n    b\n', 1],
    ['more spaces, kept', '      a\n        b\n', 1],
    ['blank lines between, kept with their spaces past 4', '    a\n\n      \n  \n    b\n', 1],
    ['blank lines after, not in it', '    a\n\n\n', 1],
    ['spaces after the text, kept', '    a  \n', 1],
    ['a tab after the 4 spaces', '    \ta\n', 1],
    ['tabs in the text', '    a\tb\n', 1],
    ['after a blank line', 'para\n\n    code\n\nmore\n', 1],
    ['a paragraph right after it', '    code\npara\n', 1],
    ['a heading right after it', '    code\n# h\n', 1],
    ['a fence right after it', '    code\n```\nx\n```\n', 1],
    ['a line indented less, then more', '    a\n  b\n    c\n', 1],
    ['after a heading and a blank line', '# h\n\n    code\n', 1],
    ['after a fence and a blank line', '```\nx\n```\n\n    code\n', 1],
    ['in a container', ':::note\n\n    code\n:::\n', 1],
    ['right after a heading (a closer: nothing goes on into it)', '# h\n    code\n', 1],
    // A tab among the first 4 columns reaches column 4: the code starts after it.
    ['indented a tab', '\tcode\n\tmore\n', 1],
    ['indented a tab, then spaces', '\tcode\n\n    more\n', 1],
    ['spaces, then a tab', ' \ta\n  \tb\n   \tc\n', 1],
    ['two tabs (the second kept)', '\t\tcode\n', 1],
    ['a tab reaching column 4 after it', '    a\n   \tb\n', 1],
    ['tab-indented after a paragraph and a blank line', 'para\n\n\tcode\n', 1],
    // Not taken.
    ['after a paragraph line (it goes on with it)', 'para\n    code\n', 0],
    ['after a list item and a blank line', '- a\n\n    code\n', 0],
    ['after a footnote and a blank line', '[^a]: b\n\n    code\n', 0],
    ['tab-indented after a list item and a blank line', '- a\n\n\tcode\n', 0],
    ['a tab in a blank line in it', '    a\n\t\n    b\n', 0],
    ['a blank line of 4 spaces after it (micromark takes it in)', '    a\n    \n\npara\n', 0],
    ['a blank line of 6 spaces after it', '    a\n      \n', 0],
    ['a carriage return', '    a\r\n', 0],
    // micromark reads the block after indented code as after a paragraph: `2. x` is no list there.
    ['then an ordered item from 2 (a paragraph to micromark: not taken)', '    a\n\n\n2. x\n', 0],
    ['then an empty item (not taken)', '    a\n\n-\n  x\n', 0],
    ['then an ordered item from 1', '    a\n\n1. x\n', 1],
    ['then a bullet item', '    a\n\n- x\n', 1],
    // The same holds for the items nested on that line: `- -` holds a paragraph there, `> 2. x` a quote of one.
    ['then a bullet item holding an empty one (not taken)', '    a\n\n- -\n', 0],
    ['then a quote of an ordered item from 2 (not taken)', '    a\n\n> 2. x\n', 0],
    ['then a quote of an empty item, right after it (not taken)', '    a\n>-\n', 0],
    ['then a bullet item holding a quote of text', '    a\n\n- > x\n', 1],
    ['a NUL', '    a\0\n', 0],
    ['in a fence', '```\n\n    code\n```\n', 0],
  ])('%s', (_name, text, built) => {
    expectSame(text, 'indented', built);
  });
});

describe('generated mixes', () => {
  const FENCES = [
    '```\ncode\n```',
    '```sql\nselect 1\n\nselect 2\n```',
    '~~~ sh  -x\necho hi\n~~~',
    '````md\n```\nx\n```\n````',
    '  ```\n  a\n b\nc\n  ```',
    '```\n```',
    '```a&amp;b\nx\n```',
    '```a\\*b c\\_d &lt;\nx\n```',
    '~~~ \\~ &#96;\n~~~',
    '```a\\`b\nx\n```',
    '```\n:::\n```',
    '```\nleft open',
    '~~~\n\t~~~\n~~~~',
  ];
  const INDENTED = ['    code', '    a\n\n      b\n    c', '      deep\n    \n    x', '\tcode', '    a\n\t\n    b'];
  const OTHERS = [
    'Some prose.',
    'para\nmore',
    '- a\n- b',
    '- a\n\n  b',
    '1. n',
    '# h',
    '> q',
    '::leaf{a=b}',
    '***',
    '<div>',
    '| a |\n| - |',
    '[^a]: note',
    ':::note',
    ':::',
    '  indented two',
    '',
  ];
  const SEPARATORS = ['\n', '\n\n', '\n\n', '\n\n\n'];

  it('read as micromark reads them, standing in and read apart', () => {
    const random = seededRandom(61);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    const counts = { fence: 0, indented: 0 };
    for (let k = 0; k < 300; k++) {
      const blocks: string[] = [];
      for (let j = 2 + random(8); j > 0; j--) {
        const kind = random(4);
        blocks.push(kind === 0 ? pick(FENCES) : kind === 1 ? pick(INDENTED) : pick(OTHERS));
      }
      let text = blocks[0]!;
      for (const block of blocks.slice(1)) text += pick(SEPARATORS) + block;
      if (random(2)) text += '\n';
      for (const kind of ['fence', 'indented'] as const) {
        const result = fast(text, kind);
        expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
        counts[kind] += result.built;
      }
      const long = `${text}\n\n${'Some prose.\n\n'.repeat(80)}${text}`;
      const whole = strip(micromarkBlocks(long, true));
      // Read apart, and in chunks cut at every safe place after 64 characters.
      for (const every of [4096, 64]) expect(strip(parseMarkdown(long, every)), JSON.stringify(text)).toEqual(whole);
    }
    expect(counts.fence).toBeGreaterThan(180);
    expect(counts.indented).toBeGreaterThan(60);
  }, 120_000);

  it('a text with a lone CR is not read apart (micromark ends a line there, the builders do not)', () => {
    for (const text of [`${'```\n```\n'.repeat(200)}x\r`, `${'Some prose.\n\n'.repeat(100)}\t\n\`\`\`\t\n\`\`\`\r`]) {
      expect(strip(parseMarkdown(text)), JSON.stringify(text.slice(-20))).toEqual(strip(micromarkBlocks(text, true)));
    }
  });

  it('long runs of code blocks parse as micromark parses them whole', () => {
    for (const unit of [
      '```\n```\n',
      '~~~\nx\n~~~\n',
      '    code\n\n',
      '```js a\nx\n\ny\n```\n\n    z\n\n',
      'p\n```\nx\n```\n',
      '```a\\*\nx\n```\n\n',
      '~~~a&amp;b c\\_d\n~~~\n',
    ]) {
      const text = unit.repeat(Math.ceil(20_000 / unit.length));
      expect(strip(parseMarkdown(text)), unit).toEqual(strip(micromarkBlocks(text, true)));
    }
  });
});
