/**
 * `:::` containers of fenced code and plain paragraphs built without micromark
 * (engine/document/markdown-containers.ts) as parts of prose runs (markdown-prose.ts): the tree
 * is the one micromark and mdast-util-directive make of the text as it is, or the container is
 * left to micromark. Compared on labels, attributes, fences of colons, content, what is around
 * them, then on generated mixes with the other prose shapes, and through the whole parse and
 * `check` (a runbook of steps in the container form).
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import { findContainerRuns } from '../../engine/document/markdown-containers.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';
import { strip as blocksOnly, expectSame as expectSameWhole } from '../helpers/same-blocks.js';
import { expectReadAsMicromark, readStandingIn } from '../helpers/stand-in.js';

const parse = (text: string, first = false): Root => micromarkBlocks(text, first);
const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));

/** The text parsed with its prose runs standing in; how many containers were built. */
function fast(text: string): { tree: Root; built: number } {
  return readStandingIn(text, 'container');
}

const expectSame = (text: string, built: number): void => expectReadAsMicromark(text, 'container', built);

describe('containers', () => {
  it.each([
    ['empty', ':::a\n:::\n', 1],
    ['a step', ':::sql{#q1 target=db}\n```sql\nselect 1\n```\n:::\n', 1],
    ['a label', ':::sql[Count the rows]\n```sql\nselect 1\n```\n:::\n', 1],
    ['an empty label', ':::a[]\n:::\n', 1],
    ['a label with inline syntax, as written', ':::a[*a* _b_ <c> ! ~d~ www.e.com :f]\n:::\n', 1],
    ['a label and attributes', ':::sql[q]{#c0 .x .y target=db q="a b } c" r=\'d\' s}\n```\nx\n```\n:::\n', 1],
    ['attributes with quotes', `:::a{that='h.json.status == "ok"' b="it's"}\n:::\n`, 1],
    ['duplicate attributes and classes', ':::a{a=1 .b a=2 class=c}\n:::\n', 1],
    ['spaces after the opening and the closing', ':::a{b=c}   \n```\nx\n```\n:::   \n', 1],
    ['four colons', '::::a\n```\nx\n```\n::::\n', 1],
    ['closed by more colons', ':::a\n```\nx\n```\n:::::\n', 1],
    ['a name with dashes, underscores and digits', ':::a-b_c9\n:::\n', 1],
    ['a paragraph', ':::note\nSome words.\n:::\n', 1],
    ['paragraphs and code', ':::note\nFirst.\nmore\n\n```sh\necho\n```\n\nLast.\n:::\n', 1],
    ['a paragraph the fence interrupts', ':::note\ntext\n```\nx\n```\nafter\n:::\n', 1],
    ['blank lines around the content', ':::note\n\n\n```\nx\n```\n\n:::\n', 1],
    ['several fences', ':::a\n```\nx\n```\n```js\ny\n```\n:::\n', 1],
    // No stand-in fence holds lines of both characters: read apart only (expectSame).
    ['fences of both characters', ':::a\n```\nx\n```\n~~~\ny\n~~~\n:::\n', 0],
    ['an indented fence', ':::a\n  ```\n  x\n  ```\n:::\n', 1],
    ['a fence with a line of colons in it (not taken)', ':::a\n```\n:::\n```\n:::\n', 0],
    ['one after another', ':::a\n:::\n:::b\n```\nx\n```\n:::\n\n:::c\n:::\n', 3],
    ['after a paragraph line (it interrupts it)', 'para\n:::a\n```\nx\n```\n:::\n', 1],
    ['after a list item', '- a\n:::a\n:::\n', 1],
    ['after a block quote', '> a\n:::a\n:::\n', 1],
    ['after a heading, before a leaf directive', '# h\n:::a\n:::\n::b{c=d}\n', 1],
    ['after a blank line after a list item', '- a\n\n:::a\n:::\n', 1],
    ['after a footnote with a container open in it', '[^a]: :::note\n\n\n\n:::b\n```\nx\n```\n:::\n', 1],
    ['a paragraph line after it', ':::a\n:::\npara\n', 1],
    ['indented code after it', ':::a\n:::\n    code\n', 1],
    ['a character reference in a label', ':::a[&amp;]\n:::\n', 1],
    ['an escape in a label', ':::a[b \\* c]\nx\n:::\n', 1],
    ['an escape first, an escape last', ':::a[\\*b\\*]\n:::\n', 1],
    ['a label of one escape', ':::a[\\*]\n:::\n', 1],
    ['a label of one ampersand', ':::a[&]\n:::\n', 1],
    ['a backslash before a letter or a space, kept', ':::a[\\a b\\ c]\n:::\n', 1],
    ['an escaped backslash before the end (not last)', ':::a[a\\\\b]\n:::\n', 1],
    ['references: named, numeric, unknown, bad', ':::a[&lt;&#65;&#x42;&bogus;&#0;&amp]\n:::\n', 1],
    ['references to spaces at the ends (kept: trimmed as written)', ':::a[&#32;b&#9;]\n:::\n', 1],
    ['an escaped space-like character and a non-breaking space inside', ':::a[a\u00a0\\! b]\n:::\n', 1],
    ['references past ASCII', ':::a[&eacute; &#x1F600;]\n:::\n', 1],
    ['a decoded label and attributes, a fence in it', ':::sql[a \\_b\\_]{#q target=db}\n```sql\nx\n```\n:::\n', 1],
    ['a decoded label on a container inside', '::::if\n:::a[&amp; \\*]\nx\n:::\n::::\n', 1],
    // Not taken.
    ['a label with a space at its start', ':::a[ x]\n:::\n', 0],
    ['a label with a space at its end', ':::a[x ]\n:::\n', 0],
    ['a label of a space', ':::a[ ]\n:::\n', 0],
    ['a label ending in a backslash (no label)', ':::a[b\\]\n:::\n', 0],
    ['a label ending in an escaped backslash', ':::a[b\\\\]\n:::\n', 0],
    ['a label of a backslash', ':::a[\\]\n:::\n', 0],
    ['an escaped bracket in a label', ':::a[b\\]c]\n:::\n', 0],
    ['an escaped backtick in a label', ':::a[b\\`c]\n:::\n', 0],
    ['a character reference in an attribute', ':::a{b="&amp;"}\n:::\n', 0],
    ['spaces around =', ':::a{b = c}\n:::\n', 0],
    ['a tab after the opening', ':::a\t\n:::\n', 0],
    ['a tab after the closing', ':::a\n:::\t\n', 0],
    ['text after the attributes', ':::a{b=c} x\n:::\n', 0],
    ['an indented opening', ' :::a\n:::\n', 0],
    ['an indented closing', ':::a\n :::\n', 0],
    ['a closing of fewer colons', '::::a\n:::\n::::\n', 0],
    ['left open', ':::a\n```\nx\n```\n', 0],
    ['a fence left open in it', ':::a\n```\nx\n:::\n', 0],
    ['a heading in it', ':::a\n# h\n:::\n', 0],
    ['a list in it', ':::a\n- x\n:::\n', 0],
    ['a leaf directive in it', ':::a\n::b\n:::\n', 1],
    ['leaf directives with labels and attributes, a paragraph between', ':::a\n::b[l]{c=d}\ntext\n::e{#f}\n:::\n', 1],
    [
      'steps in an if',
      '::::if{that="q.rows.length > 0"}\n:::sql{#q target=db}\n```sql\nselect 1\n```\n:::\n\n::assert[ok]{that="q"}\n::::\n',
      1,
    ],
    ['containers three deep', ':::::a\n::::b\ntext\n:::c\n:::\n::::\n:::::\n', 1],
    ['a container right after a paragraph in one', '::::a\ntext\n:::b\n:::\n::::\n', 1],
    ['an inner closing of more colons than needed', ':::::a\n:::b\n::::\n:::::\n', 1],
    // Not taken.
    ['an inner closing that closes the outer first', '::::a\n:::b\n::::\n:::\n', 0],
    ['an inner container of as many colons', ':::a\n:::b\n:::\n:::\n', 0],
    ['an inner container of more colons', ':::a\n::::b\n::::\n:::\n', 0],
    ['an inner container left open', '::::a\n:::b\n::::\n', 0],
    ['a leaf directive not plain in it', ':::a\n::b[`x`]\n:::\n', 0],
    ['a leaf directive with a decoded label in it', ':::a\n::b[&amp; \\*]\n:::\n', 1],
    ['a text directive line in it', ':::a\n:b\n:::\n', 0],
    ['indented code in it', ':::a\n\n    code\n:::\n', 0],
    ['an escape in a paragraph in it', ':::a\nx \\* y\n:::\n', 0],
    ['a carriage return', ':::a\r\n:::\r\n', 0],
    ['in another container', ':::outer\n:::a\n:::\n:::\n', 0],
    ['in another container opened indented', ' ::::outer\n:::a\n```\nx\n```\n:::\n', 0],
    // micromark-extension-directive takes a tab for a name: `:::\t` opens a container.
    ['in a container named by a tab', ':::\t\n:::a\n```\nx\n```\n:::\n', 0],
    ['in a fence', '```\n:::a\n:::\n```\n', 0],
    ['in HTML', '<div>\n:::a\n:::\n', 0],
    ['after a table', '| a |\n| - |\n:::a\n:::\n', 0],
    ['in a list item', '- :::a\n  :::\n', 0],
  ])('%s', (_name, text, built) => {
    expectSame(text, built);
  });
});

describe('code or HTML left open in a container', () => {
  // micromark ends it at the container's closing line (the container is asked first): a fence
  // line after would otherwise look like its closing, and the lines after it outside every container.
  it.each([
    ['a fence, then containers after a blank line', ':::t\n```\n:::\n\n::::o\n:::l\n```\n:::\n\n::::\n'],
    ['a fence, then containers right after', ':::t\n```\n:::\n::::o\n:::l\n```\n:::\n\n::::'],
    ['a comment, then a container', ':::t\n<!--\n:::\n\n::::o\n:::l\n-->\n:::\n\n::::\n'],
    ['a fence in an inner container closed by the outer one', '::::o\n:::l\n```\n::::\n```\n# h\n:::\n'],
    ['a fence, then a fence and text', ':::t\n~~~\n:::\n\n~~~\n:::\n# h\n~~~\n\ntext\n'],
    // The same for a list item's code ended by a line indented less (the item ends there).
    ['a fence in an empty item, then a container', '1.\n   ```\n:::h\n```"\n```\n:::'],
    ['a fence in an item, then a container of text', '- a\n  ~~~\n:::h\ntext\n~~~\n:::\n\n# h\n'],
  ])('%s', (_name, text) => {
    expectSameWhole(text);
  });
});

describe('generated mixes', () => {
  const CONTAINERS = [
    ':::a\n:::',
    ':::sql{#q target=db}\n```sql\nselect 1\n```\n:::',
    ':::sql[Count]{#c .x key="a b"}\n```sql\nselect count(*)\n\nfrom t\n```\n:::',
    '::::if{that="x"}\n~~~\nx\n~~~\n::::',
    ':::note\nSome words.\n\n```\ncode\n```\n:::',
    ':::note\ntext\n```\nx\n```\n:::',
    ':::a[ x ]\n:::',
    ':::a\n# h\n:::',
    ':::outer',
    ':::',
    '::::',
    ':::a\n```\nleft open\n:::',
    '::::if{that="x"}\n:::sql{#q}\n```sql\nselect 1\n```\n:::\n::assert{that="q"}\n::::',
    '::::if\n:::a\n::::',
    ':::a\n::b[l]{c=d}\ntext\n:::',
    ':::a[b \\* c]\nx\n:::',
    ':::sql[&amp; \\_q\\_]{#q}\n```sql\nx\n```\n:::',
    ':::a[\\]\n:::',
  ];
  const OTHERS = [
    'Some prose.',
    'para\nmore',
    '- a\n- b',
    '- a\n\n  b',
    '1. n',
    '# h',
    '> q',
    '::assert[ok]{that="q.rows[0].n == 1"}',
    '***',
    '```\ncode\n```',
    '    indented',
    '<div>',
    '| a |\n| - |',
    '[^a]: note',
    '',
  ];
  const SEPARATORS = ['\n', '\n\n', '\n\n', '\n\n\n'];

  it('read as micromark reads them, standing in and read apart', () => {
    const random = seededRandom(67);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    let built = 0;
    for (let k = 0; k < 300; k++) {
      const blocks: string[] = [];
      for (let j = 2 + random(8); j > 0; j--) blocks.push(random(2) ? pick(CONTAINERS) : pick(OTHERS));
      let text = blocks[0]!;
      for (const block of blocks.slice(1)) text += pick(SEPARATORS) + block;
      if (random(2)) text += '\n';
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      built += result.built;
      const long = `${text}\n\n${'Some prose.\n\n'.repeat(80)}${text}`;
      const whole = strip(micromarkBlocks(long, true));
      // Read apart, and in chunks cut at every safe place after 64 characters.
      for (const every of [4096, 64]) expect(strip(parseMarkdown(long, every)), JSON.stringify(text)).toEqual(whole);
    }
    expect(built).toBeGreaterThan(200);
  }, 120_000);
});

describe('runbooks of steps in the container form', () => {
  /** Steps: a query in a container, an assert, sometimes a heading or prose between. */
  function steps(count: number, random: (n: number) => number): string {
    let text = '---\ntargets:\n  db: { kind: postgres, url: "postgres://127.0.0.1/x" }\n---\n\n# Steps\n\n';
    for (let i = 0; i < count; i++) {
      if (random(8) === 0) text += `## Part ${i}\n\nSome words about it.\n\n`;
      text += `:::sql${random(3) === 0 ? `[Step ${i}]` : ''}{#q${i} target=db}\n\`\`\`sql\nSELECT ${i} AS n\n\`\`\`\n:::\n\n`;
      text += `::assert[ok]{that="q${i}.rows[0].n == ${i}"}\n\n`;
    }
    return text;
  }

  it('parse as micromark parses them whole', () => {
    const text = steps(400, seededRandom(71));
    expect(text.length).toBeGreaterThan(30_000);
    expect(strip(parseMarkdown(text))).toEqual(strip(micromarkBlocks(text, true)));
  });

  it('check reads the steps, their bodies, places and problems', () => {
    const text = `${steps(200, seededRandom(73))}:::sql[Last]{#last target=nowhere}\n\`\`\`sql\nSELECT 1\n\`\`\`\n:::\n`;
    const noIncludes = (): string => {
      throw Object.assign(new Error('no includes'), { code: 'ENOENT' });
    };
    const { document, diagnostics } = checkSource(text, '/tmp/steps.md', noIncludes);
    expect(document.steps).toHaveLength(401);
    const line = text.split('\n').length - 5;
    const last = document.steps[400]!;
    expect([last.id, last.form, last.body?.lang, last.span.start.line, last.span.end.line]).toEqual([
      'last',
      'container',
      'sql',
      line,
      line + 4,
    ]);
    expect(diagnostics.map((d) => [d.rule, d.span.start.line])).toEqual([['unknown-target', line]]);
  });
});

/** Whether `text`'s first container is read with its content as a document (markdown-containers.ts, documentContainer). */
const asDocument = (text: string): boolean =>
  findContainerRuns(text, false, (inner) => micromarkBlocks(inner))[0]?.content[0]?.kind === 'document';

/** Containers of any content (an `if` region around a runbook's section), their content read as a document. */
describe('containers of any content', () => {
  it.each([
    [
      "an `if` region around a section: a heading, task items, a leaf and a step's container",
      '::::::if{that="true"}\n### H\n\n- [ ] a\n- [ ] b\n\n::confirm[ok?]{#c}\n\n:::sql{#q target=db}\nSELECT 1;\n:::\n\n1. x\n2. y\n::::::\n',
      true,
    ],
    ['a list between blank lines', ':::note\n\n- a\n\n:::\n', true],
    ['a block quote and a lazy line', ':::note\n> q\nlazy\n:::\n', true],
    ['HTML ended by the closing line', ':::note\n<div>\n:::\nafter\n', true],
    ['a table', ':::note\n| a |\n| - |\n:::\n', true],
    ['indented code', ':::note\n    indented\n:::\n', true],
    ['a label and attributes, then a heading', ':::note[label *x*]{.a}\n# h\n:::\n', true],
    ['interrupting a paragraph', 'p\n:::note\n# h\n:::\n', true],
    ['a container inside, then a heading', '::::outer\n:::inner\n# h\n:::\n# g\n::::\n', true],
    ['a loose item', ':::note\n- a\n\n  b\n:::\n', true],
    ['closed by more colons', ':::note\n# h\n::::\n', true],
    ['blank lines before the closing line', ':::note\n# h\n\n\n:::\n', true],
    ['a tab first on a line', ':::note\n\t# h\n:::\n', true],
    ['a fence its closing line ends (not taken: the line looks like code)', ':::note\n- a\n  ```\n:::\n  x\n', false],
    ['an HTML comment left open (not taken)', ':::note\n<!-- open\n:::\n-->\n', false],
    ['closed by an indented line (not taken)', ':::note\n # h\n :::\n:::\n', false],
    ['a tab after the closing colons (not taken)', ':::note\n# h\n:::\t\n', false],
    ['left open (not taken)', ':::note\n# h\n', false],
  ])('%s', (_name, text, document) => {
    expect(asDocument(text)).toBe(document);
    const whole = blocksOnly(micromarkBlocks(text, true));
    for (const every of [1, 24, 4096])
      expect(blocksOnly(parseMarkdown(text, every)), JSON.stringify(text)).toEqual(whole);
    // Read apart from micromark too, among a kilobyte of prose.
    const long = `${'Some prose here.\n\n'.repeat(80)}${text}\n\n${'More prose.\n\n'.repeat(80)}`;
    expect(blocksOnly(parseMarkdown(long)), JSON.stringify(text)).toEqual(blocksOnly(micromarkBlocks(long, true)));
  });

  it('generated containers of any content read as micromark reads them', () => {
    const lines = [
      '# h',
      'text',
      '- a',
      '  - b',
      '1. c',
      '> q',
      '```',
      '~~~sh',
      '    code',
      '| a | b |',
      '| - | - |',
      '<div>',
      '<!-- c -->',
      '[a]: http://x',
      '[^f]: note',
      '::leaf{#x}',
      ':::inner',
      ':::',
      '::::',
      '***',
      '===',
      '---',
      '',
      '',
      'lazy *text*',
      '\tx',
    ];
    const random = seededRandom(2027);
    let documents = 0;
    for (let k = 0; k < 300; k++) {
      const colons = ':'.repeat(3 + random(4));
      const body: string[] = [];
      for (let n = random(8); n > 0; n--) body.push(lines[random(lines.length)]!);
      const before = ['', 'p\n', 'Some prose.\n\n', '- x\n\n'][random(4)]!;
      const after = ['', 'after\n', '\n- y\n', '```\n'][random(4)]!;
      const text = `${before}${colons}note\n${body.join('\n')}${body.length > 0 ? '\n' : ''}${colons}\n${after}`;
      if (asDocument(text.slice(before.length))) documents++;
      // Headings' text as written (parseMarkdown reads its inline syntax: markdown-heading-text.ts).
      const whole = blocksOnly(micromarkBlocks(text, true));
      expect(blocksOnly(parseMarkdown(text, 1 + random(40))), JSON.stringify(text)).toEqual(whole);
      expect(blocksOnly(parseMarkdown(text)), JSON.stringify(text)).toEqual(whole);
    }
    expect(documents).toBeGreaterThan(100);
  }, 60_000);
});
