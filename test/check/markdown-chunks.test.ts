/**
 * Long documents are parsed in chunks (engine/document/markdown.ts; the places, markdown-safe-cuts.ts): cut after a blank
 * line before a line at column 1 that is not a list item, or before a leaf directive alone on its
 * line or an ATX heading. The tree is the
 * one micromark makes of the whole text, positions included: checked on the contexts that could
 * take a leaf directive's line in (fences, containers, HTML blocks, tables, frontmatter) or
 * mislead safeCuts about them, then on generated mixes, where every cut safeCuts proposes is
 * also checked against micromark reading the text up to it.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { micromarkBlocks, parseChunks, parseMarkdown } from '../../engine/document/markdown.js';
import { safeCuts } from '../../engine/document/markdown-safe-cuts.js';
import { expectSame } from '../helpers/same-blocks.js';
import { seededRandom } from '../helpers/generate.js';

/** The whole text's blocks, as micromark reads them (the first chunk's parser: frontmatter on). */
const whole = (text: string): Root => micromarkBlocks(text, true);

/**
 * Whether micromark, reading the text up to `cut`, is outside every block that would take in a
 * leaf directive's line put there: the line comes out as a leaf directive of its own.
 */
function cutIsSafe(text: string, cut: number): boolean {
  const last = whole(`${text.slice(0, cut)}::cut\n`).children.at(-1);
  return last?.type === 'leafDirective' && last.position?.start.offset === cut;
}

/** The offset of the line starting `::name` (the one each case is about). */
const leafAt = (text: string): number => {
  const m = /(^|\n)::name/.exec(text);
  return m === null ? -1 : m.index + m[1]!.length;
};

describe('cuts before a leaf directive alone on its line', () => {
  it.each([
    ['after a paragraph', 'a\nb\n::name\nc\n', true],
    ['after a list, and a fence left open in its item', '- ```\n::name\nc\n', true],
    // The fence may be in the item (micromark closes it at `::name`) or not (it takes `::name` in).
    ['after a fence indented under a list item (not taken)', '- a\n  ```\n::name\nc\n', false],
    ['after a container left open in a list item', '- :::note\n  x\n::name\n', true],
    ['after a block quote and its lazy line', '> q\nlazy\n::name\n', true],
    ['after a container in a block quote', '> :::note\n::name\n', true],
    ['after a footnote definition', '[^a]: x\n::name\n', true],
    ['after a definition waiting for its title', '[a]: /u\n"t\n::name\n"\n', true],
    ['after a label of a definition to be', '[a\n::name\n]: /u\n', true],
    ['after indented code', '    code\n::name\n', true],
    ['after a setext heading', 'a\n===\n::name\n', true],
    ['after a closed fence', '```\nx\n```\n::name\n', true],
    ['after closed HTML (type 2)', '<!-- x\n-->\n::name\n', true],
    ['with a label and trailing white space', 'a\n::name[some label] \t\nb\n', true],
    ['with CRLF', 'a\r\n::name\r\nb\r\n', true],
    ['after the frontmatter', '---\na: 1\n---\n::name\n', true],
    ['after a table', '| a |\n| - |\n| b |\n::name\n', false],
    ['after a table without edge pipes', 'a | b\n--|--\n::name\n', false],
    ['in HTML (type 6)', '<div>\n::name\n', false],
    ['in HTML (type 6) after a paragraph', 'x\n<div>\n::name\n', false],
    ['in HTML (type 7)', '<img src="x">\n::name\n', false],
    ['in HTML indented', '  <div>\n::name\n', false],
    ['in a fence', '```\n::name\n```\n', false],
    // micromark takes a tab after the colons for a name's start: a container opens there.
    ['in a container opened by colons and a tab', ':::\tx\n::name\n:::\n', false],
    ['in a tilde fence', '~~~ js\n::name\n~~~\n', false],
    ['in an indented fence', '   ```\n::name\n   ```\n', false],
    ['in a fence whose closing has a no-break space after it', '```\n```\u00a0\n::name\n```\n', false],
    ['in a container', ':::note\n::name\n:::\n', false],
    ['in an indented container', '  :::note\n::name\n  :::\n', false],
    ['in a container named from a digit', ':::1x\n::name\n:::\n', false],
    ['in an outer container after an inner closed', '::::a\n:::b\n:::\n::name\n::::\n', false],
    ['in an HTML comment', '<!--\n::name\n-->\n', false],
    ['in raw HTML after another raw closing tag', '<script>\n</div>\n::name\n</script>\n', false],
    ['in CDATA after `]]]>` (micromark reads on)', '<![CDATA[\nx]]]>\n::name\n]]>\n', false],
    ['in a processing instruction', '<?x\n::name\n?>\n', false],
    ['in a declaration', '<!X\n::name\n>\n', false],
    ['in the frontmatter', '---\n::name\n---\n', false],
    ['in the frontmatter, its opening with trailing space', '--- \n::name\n---\n', false],
    ['in the frontmatter after a byte order mark', '\ufeff---\n::name\n---\n', false],
    // micromark closes the item's fence at `b`, and opens one at the next ``` line.
    [
      'in a fence that safeCuts took for the end of one left open in a list item',
      '- a\n  ```\nb\n```\n::name\n```\n',
      false,
    ],
    // micromark closes the container first, and the fence in it with it.
    ['in a fence after a container closed over a fence in it', ':::note\n```\n:::\n```\n:::\n::name\n```\n', false],
    ['in a fence opened in HTML (type 6)', '<div>\n```\n\n```\n::name\n```\n', false],
    ['after attributes (not taken)', 'a\n::name{a="1"}\nb\n', false],
    ['a name ending in `-` (not a directive)', 'a\n::name-\nb\n', false],
    ['indented (not taken)', 'a\n ::name\nb\n', false],
    ['a label with a backslash (not taken)', 'a\n::name[a\\]\nb\n', false],
    ['words after (not a directive)', 'a\n::name x\nb\n', false],
  ])('%s', (_name, text, cut) => {
    const at = leafAt(text);
    const cuts = safeCuts(text, 1);
    expect(cuts.includes(at)).toBe(cut);
    for (const c of cuts) expect(cutIsSafe(text, c), `cut at ${c}`).toBe(true);
    expect(parseMarkdown(text, 1)).toEqual(whole(text));
  });

  it('no cut in a text with a lone CR (micromark ends a line there)', () => {
    expect(safeCuts('a\r<div>\n::name\nb\n\nc\n', 1)).toEqual([]);
  });

  it.each([
    ['a line of no-break spaces (not blank)', '- a\n\u00a0\n- b\n'],
    ['a byte order mark (skipped at a text start)', 'a\n\n\ufeffb\n'],
  ])('no cut after a blank line before %s', (_name, text) => {
    expect(safeCuts(text, 1)).toEqual([]);
  });

  it('a fence, HTML or container left open in a list item ends where the whole text ends it', () => {
    for (const text of ['- ```\n\nb\n', '- <!--\n\nb\n', '- :::note\n\nb\n', '- ```\n::name\nb\n']) {
      expect(safeCuts(text, 1)).not.toEqual([]);
      expect(parseMarkdown(text, 1), JSON.stringify(text)).toEqual(whole(text));
    }
  });

  it('a cut that is not safe is caught, and the rest parsed as one chunk', () => {
    const text = 'a\n::name\n```\n::name\nb\n::name\n```\n::name\n<div>\n::name\n\n:::x\n::name\n:::\n::name\nc\n';
    const leaves = [...text.matchAll(/^::name$/gm)].map((m) => m.index);
    expect(leaves.filter((c) => !cutIsSafe(text, c))).toHaveLength(4);
    expect(parseChunks(text, leaves)).toEqual(whole(text));
  });
});

/** Blocks to mix: what a leaf directive's line may follow, or be inside of. */
const BLOCKS = [
  ['::name', '::name[ok]', '::a-b  ', '::x_1', '::name{a="1"}', ' ::name', '::-x', '::name x'],
  ['text', 'more text here', ':name[', ']:name]:name', 'a *b* c', 'é 😀', 'a\u00a0', '\u00a0'],
  ['# h', 'a\n===', '***', 'a\n---'],
  ['- a', '- a\n  b', '1. a', '- a\n  ```\n  code\n  ```', '- a\n  ```', '- :::note', '- <!--', '- [ ] t'],
  [
    '> q',
    '> q\nlazy',
    '> ```',
    '> <div>',
    '> :::note',
    '>\ntext',
    '> - a\n>\nb',
    '> ```\n>\nc',
    '>\n1) x',
    '> ```\nd',
    '> :::note\ne',
    '> :::\nf',
  ],
  ['```\n::name\n```', '```\n::name', '~~~\n::name\n~~~', '  ```\n::name\n  ```', '```js\n```', '````\n```\n````'],
  [':::note\n::name\n:::', ':::note\n::name', ' :::note\n::name\n :::', '::::a\n:::b\n::name\n:::\n::::'],
  [':::note\n```\n:::', ':::note\n\n::name\n\n:::', ':::', '::::'],
  ['<div>\n::name', '<!--\n::name\n-->', '<!-- x -->', '<script>\n::name\n</script>', '<?x\n::name\n?>'],
  ['<!X\n::name\n>', '<![CDATA[\n::name\n]]>', '<img src="x">', '</div>', '<b>x</b>'],
  ['| a |\n|---|\n| b |', 'a | b\n--|--', 'x | y'],
  ['[a]: /u', '[a]:\n/u', '[^f]: note', '[a]: /u\n"t"', '[a'],
  ['    code', '\tcode', '  indented'],
  // Indented 1 to 3 spaces after a blank line: a cut where no item could take them in.
  [' > q', '  > q\nlazy', '  # h', '   ***', ' > ```', '  <div>\n::name', ' | a |\n |---|', '   [^f]: note'],
  [''],
] as const;

/** A generated document: blocks joined by a line ending or a blank line, maybe frontmatter first. */
function generate(random: (n: number) => number): string {
  const parts: string[] = [];
  let text = random(6) === 0 ? '---\ntitle: x\n::name\n---\n' : '';
  for (let n = 2 + random(12); n > 0; n--) {
    const kind = random(3) === 0 ? 0 : random(BLOCKS.length);
    const group = BLOCKS[kind]!;
    parts.push(group[random(group.length)]!);
  }
  parts.forEach((part, i) => {
    if (i > 0) text += random(3) === 0 ? '\n'.repeat(2 + (random(3) === 0 ? random(4) : 0)) : '\n';
    text += part;
  });
  return text + (random(4) === 0 ? '' : '\n'.repeat(1 + (random(4) === 0 ? random(4) : 0)));
}

describe('cuts inside runs of blank lines', () => {
  it.each([
    ['between paragraphs', 'a\n\n\n\n\nb\n', true],
    ['at the text end', 'a\n\n\n\n\n', true],
    ['after a list, before a paragraph (not taken: what is left open in an item runs on)', '- a\n\n\n\n\nb\n', false],
    ['after a quote, before a paragraph', '> a\n\n\n\n\nb\n', true],
    ['after a list, before its loose item (not taken)', '- a\n\n\n\n\n- b\n', false],
    ['after a list, before more of its item (not taken)', '- a\n\n\n\n\n  b\n', false],
    ['between indented code (not taken)', '    a\n\n\n\n\n    b\n', false],
    ['after a footnote, before more of it (not taken)', '[^a]: x\n\n\n\n\n    y\n', false],
    ['in a fence (not taken)', '```\n\n\n\n\n```\n', false],
    ['in a container (not taken)', ':::note\n\n\n\n\n:::\n', false],
    ['in an HTML comment (not taken)', '<!--\n\n\n\n\n-->\n', false],
    ['before a byte order mark (not taken)', 'a\n\n\n\n\n\ufeffb\n', false],
  ])('%s', (_name, text, cut) => {
    const cuts = safeCuts(text, 1);
    const inRun = cuts.filter((c) => text[c] === '\n');
    expect(inRun.length > 0).toBe(cut);
    expect(parseMarkdown(text, 1)).toEqual(whole(text));
  });

  // A quote's line in the first column ends every item (it is no lazy text), and blank lines the
  // quote: an item after them starts a new list (1 MB of `- a`, `> b`, a blank line: 20 s as one chunk).
  it.each([
    ['a list a quote ended, then a new list', '- a\n> q\n\n- b\n', true],
    ['the same after two blank lines', '* a\n> q\n\n\n1. b\n', true],
    ['the quote leaving a fence open', '- a\n> ```\n\n- b\n', true],
    ['an item leaving a fence open, a quote ending it', '- ~~~\n> q\n\n- b\n', true],
    ['a quote in the item (not taken)', '- a\n  > q\n\n- b\n', false],
    ['an indented line after the quote (not taken)', '- a\n> q\n  x\n\n- b\n', false],
    ['an item after the quote (not taken)', '> q\n- a\n\n- b\n', false],
  ])('before an item after blank lines, after %s', (_name, text, cut) => {
    expect(safeCuts(text, 1).includes(text.lastIndexOf('\n', text.length - 2) + 1)).toBe(cut);
    expect(parseMarkdown(text, 1)).toEqual(whole(text));
  });

  it('after a container left open in a list item and blank lines, no cut before a block quote', () => {
    // micromark ends the container at the last blank line's start before a leaf directive (the
    // chunk's end), and at the quote's line start before a quote.
    const text = '- :::note\n\n\n\n> q\n';
    expect(safeCuts(text, 1)).toEqual([]);
    expect(parseMarkdown(text, 1)).toEqual(whole(text));
  });

  it.each([
    ['a fence', 'a block quote', '- ```\n\n> ```\n'],
    ['a container', 'a footnote definition', '- :::note\n\n[^a]: note\n'],
  ])('after %s left open in a list item and a blank line, no cut before %s', (_open, _next, text) => {
    // micromark ends what is open at the blank line's start before a leaf directive (the chunk's
    // end), and at the next line's start before a block quote or footnote definition.
    expect(safeCuts(text, 1)).toEqual([]);
    expect(parseMarkdown(text, 1)).toEqual(whole(text));
  });

  it('a footnote definition after a blank line is a safe place that opens an item: no cut in the blank lines after it', () => {
    // Its container runs on over the blank lines to the paragraph; a cut there would end it sooner.
    const text = 'a\n\n[^a]: :::note\n\n\nb\n';
    expect(safeCuts(text, 1)).toEqual([3]);
    expect(parseMarkdown(text, 1)).toEqual(whole(text));
  });

  it('1 MB of blank lines is cut into chunks', () => {
    const text = '\n'.repeat(1024 * 1024);
    expect(safeCuts(text, 4096).length).toBeGreaterThan(200);
  });
});

/** The offsets of the lines starting `[^a`, indented or not (the ones each case is about). */
const footnotesAt = (text: string): number[] => [...text.matchAll(/(?<=^|\n) *\[\^a/g)].map((m) => m.index);

describe('cuts before a footnote definition, and after blank lines in an item', () => {
  // A footnote definition in the first column is a new container, a leaf directive (the chunk's
  // end) a lazy line: both end whatever is open above them, alike unless a fence, HTML block or
  // container is left open in an item (micromark closes its flow at the footnote's line start,
  // but at the line before, or the blank lines before, the leaf directive).
  it.each([
    ['list items each closing a footnote definition', '[^a]: b\n- c\n\n[^a]: b\n- c\n\n[^a]: b\n- c\n', true],
    ['footnote definitions each closing a list item', '- x\n[^a]: b\n\n- c\n\n- x\n[^a]: b\n\n- c\n', true],
    ['after a paragraph', 'x\ny\n[^a]: b\n', true],
    ['after a lazy line of an item', '- x\nlazy\n[^a]: b\n', true],
    ['after nested items', '- x\n  - y\n    1. z\n[^a]: b\n', true],
    ['after an ordered item', '2) x\n[^a]: b\n', true],
    ['after a task item', '- [x] y\n[^a]: b\n', true],
    ['after a block quote and its lazy line', '> x\nlazy\n[^a]: b\n', true],
    ['after a list in a block quote', '> - x\n[^a]: b\n', true],
    ['after a footnote definition with a list', '[^q]: - x\n    - y\n[^a]: b\n', true],
    ['after indented code in an item and a blank line', '- x\n\n      code\n\n[^a]: b\n', true],
    ['after an item and two blank lines', '- x\n\n\n[^a]: b\n', true],
    ['after a setext heading in an item', '- x\n  ===\n[^a]: b\n', true],
    ['after a definition in an item', '- [d]: /u\n[^a]: b\n', true],
    ['after a definition waiting for its title in an item', '- [d]: /u\n  "t\n[^a]: b\n', true],
    ['after a leaf directive that closed a fence left open in an item', '- ```\n::name\n[^a]: b\n', true],
    ['after a fence left open in an item (not taken)', '- ```\n[^a]: b\n', false],
    ['after a fence left open in an item, and a blank line (not taken)', '- ~~~\n\n[^a]: b\n', false],
    ['after a fence left open in a footnote (not taken)', '[^q]: x\n\n    ```\n\n[^a]: b\n', false],
    ['after a fence left open in a block quote (not taken)', '> ```\n[^a]: b\n', false],
    ['after a container left open in an item (not taken)', '- :::note\n[^a]: b\n', false],
    ['after a comment left open in an item (not taken)', '- <!--\n\n[^a]: b\n', false],
    ['after a fence closed in an item (not taken: it may be open)', '- ```\n  x\n  ```\n\n[^a]: b\n', false],
    ['in HTML (type 6, not taken)', '<div>\n[^a]: b\n', false],
    ['after a table (not taken)', '| x |\n| - |\n[^a]: b\n', false],
    ['in a fence (not taken)', '```\n[^a]: b\n```\n', false],
    ['in a container (not taken)', ':::note\n[^a]: b\n:::\n', false],
    ['indented (not taken)', '- x\n [^a]: b\n', false],
    ['a label with a space (not a footnote definition: a lazy line)', '- x\n[^a b]: c\n', false],
  ])('%s', (_name, text, cut) => {
    const cuts = safeCuts(text, 1);
    const at = footnotesAt(text).filter((offset) => offset > 0);
    expect(at.length).toBeGreaterThan(0);
    for (const offset of at) expect(cuts.includes(offset), `at ${offset}`).toBe(cut);
    for (const c of cuts) expect(cutIsSafe(text, c), `cut at ${c}`).toBe(true);
    expect(parseMarkdown(text, 1)).toEqual(whole(text));
  });

  it.each([
    ['a block quote', '- x\n\n> q\n', true],
    ['a block quote, after a fence left open in the item (not taken)', '- ```\n\n> q\n', false],
    ['a paragraph after two blank lines', '- x\n\n\nq\n', true],
    ['a paragraph after two blank lines and a fence left open in the item (not taken)', '- ```\n\n\nq\n', false],
    ['a paragraph after two blank lines and a footnote definition', '[^f]: x\n\n\nq\n', true],
  ])('after an item and blank lines, %s', (_name, text, cut) => {
    const at = text.lastIndexOf('\n', text.length - 2) + 1;
    const cuts = safeCuts(text, 1);
    expect(cuts.includes(at)).toBe(cut);
    for (const c of cuts) expect(cutIsSafe(text, c), `cut at ${c}`).toBe(true);
    expect(parseMarkdown(text, 1)).toEqual(whole(text));
  });

  /** Footnote definitions and list items of every kind, and what may be open in them, among other blocks. */
  const MIXED = [
    [
      '[^a]: b',
      '[^a]: b',
      '[^a]: b\nlazy',
      '[^a]: b\n    more',
      '[^a]: b\n\n    more',
      '[^a]:',
      '[^a b]: c',
      ' [^a]: b',
    ],
    [
      '[^a]: - b',
      '[^a]: > b',
      '[^a]: ```',
      '[^a]: b\n    ```\n    x\n    ```',
      '[^a]: :::note',
      '[^a]: <!--',
      '[^a]: b\n\n        code',
    ],
    ['- c', '* c', '+ c', '1. c', '2) c', '- [ ] c', '  - c', '   1. c', '-', '- c  '],
    ['- c\n  - d', '- c\n    - d\n      - e', '- c\nlazy', '- c\n\n  more', '- c\n  - d\nlazy', '1. c\n   - d'],
    [
      '- ```',
      '- ```\n  x\n  ```',
      '- ~~~\n  x',
      '- <!--',
      '- :::note',
      '- c\n\n      code',
      '- <div>',
      '- | a |\n  | - |',
    ],
    ['text', 'text\nmore', '# h', '::name', '***', 'a\n---', 'a\n===', '  text', ' > q', '   # h', '  ```\n  x\n  ```'],
    ['> q', '> q\nlazy', '> ```', '> - c', '> [^a]: b'],
    [
      '```\nx\n```',
      '```',
      '~~~\n[^a]: b\n~~~',
      '    code',
      ':::note\n- c\n:::',
      '<div>',
      '<!--\n-->',
      '| a |\n| - |',
      '[d]: /u',
    ],
  ] as const;

  function mixed(random: (n: number) => number): string {
    let text = '';
    for (let n = 2 + random(14); n > 0; n--) {
      // Footnote definitions and list items, mostly.
      const pick = random(5);
      const group = MIXED[pick < 2 ? pick : pick < 4 ? 2 + random(3) : 5 + random(3)]!;
      if (text !== '') text += ['\n', '\n', '\n\n', '\n\n\n'][random(4)];
      text += group[random(group.length)]!;
    }
    return text + (random(4) === 0 ? '' : '\n');
  }

  it('generated mixes of footnote definitions and list items: every cut is safe, and the tree is micromark’s', () => {
    const random = seededRandom(13);
    let taken = 0;
    let refused = 0;
    for (let k = 0; k < 600; k++) {
      const text = mixed(random);
      for (const every of [1, 24]) {
        const cuts = safeCuts(text, every);
        for (const cut of cuts) expect(cutIsSafe(text, cut), `${JSON.stringify(text)} cut at ${cut}`).toBe(true);
        expect(parseMarkdown(text, every), JSON.stringify(text)).toEqual(whole(text));
      }
      const cuts = new Set(safeCuts(text, 1));
      for (const offset of footnotesAt(text))
        if (offset > 0 && text[offset - 2] !== '\n') {
          if (cuts.has(offset)) taken++;
          else refused++;
        }
    }
    // Footnote definitions right after a line: both kinds are there.
    expect(taken).toBeGreaterThan(150);
    expect(refused).toBeGreaterThan(300);
  }, 120_000);
});

describe('generated mixes', () => {
  it('every cut is safe, and the tree is micromark’s of the whole text', () => {
    const random = seededRandom(Number(process.env.SEED ?? 5));
    let leafCuts = 0;
    let refused = 0;
    for (let k = 0; k < Number(process.env.DOCS ?? 400); k++) {
      const text = generate(random);
      for (const every of [1, 24]) {
        const cuts = safeCuts(text, every);
        for (const cut of cuts) {
          expect(cutIsSafe(text, cut), `${JSON.stringify(text)} cut at ${cut}`).toBe(true);
          if (every === 1 && text[cut - 2] !== '\n' && cut > 0) leafCuts++;
        }
      }
      // Headings' text and a chunk with a heading over lines are read in full: expectSame leaves that out.
      expectSame(text);
      for (const m of text.matchAll(/\n::name\n/g)) if (!safeCuts(text, 1).includes(m.index + 1)) refused++;
    }
    expect(leafCuts).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(100);
  }, 120_000);
});

/** Point objects reachable from more than one node (or twice from one): shift moves points in place. */
function sharedPoints(tree: Root): number {
  const seen = new Set<object>();
  let shared = 0;
  const stack: object[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop() as { position?: { start: object; end: object }; children?: object[] };
    for (const point of node.position ? [node.position.start, node.position.end] : []) {
      if (seen.has(point)) shared++;
      seen.add(point);
    }
    if (node.children) stack.push(...node.children);
  }
  return shared;
}

describe('chunks are moved into place in place', () => {
  /** Runs every builder of markdown-*.ts takes (16 lines at least for some), among other blocks. */
  const RUNS = [
    '- a\n# h\n'.repeat(20),
    '- a\n  - b\n    c\n- d\n\n- e\n',
    'Some prose.\nmore\n\nagain\n',
    '> a\n> b\n\n> > c\n',
    '::name\nwords\n'.repeat(20),
    '[a]: /u\n'.repeat(20),
    `| a | b |\n| - | - |\n${'| c | d |\n'.repeat(20)}`,
    '[^f]: note\n'.repeat(20),
    `${Array.from({ length: 20 }, (_, i) => `${':'.repeat(40 - i)}n${i}`).join('\n')}\n:::\n`,
    '# h *em*\n## h\n',
    ':::sql[q]{#q target=db}\n```sql\nselect 1\n```\n:::\n\n::assert{that="q"}\n'.repeat(20),
    '```js a\nx\n```\n\n    code\n\n  ~~~\n  y\n  ~~~\n'.repeat(20),
  ];

  it('no point object is in two nodes, so none is moved twice', () => {
    const random = seededRandom(9);
    for (let k = 0; k < 100; k++) {
      let text = generate(random);
      for (let n = random(4); n >= 0; n--) text += `\n${RUNS[random(RUNS.length)]!}`;
      // micromark's trees, and the ones the builders of markdown-*.ts make in its place.
      expect(sharedPoints(whole(text)), JSON.stringify(text)).toBe(0);
      for (const every of [1, 64, 4096]) expect(sharedPoints(parseMarkdown(text, every)), JSON.stringify(text)).toBe(0);
    }
  }, 120_000);
});
