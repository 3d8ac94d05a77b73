/**
 * Runs of link definitions read without micromark's definition construct
 * (engine/document/markdown-definitions.ts): the tree is the one micromark makes of the text as it
 * is, or the text is left to micromark. Compared on the cases where a definition is read
 * differently from a block's start (a title on the next line, a setext underline, a table's
 * delimiter row, an indented line) and in code, HTML, frontmatter and containers, then on
 * generated mixes of them.
 */
import type { Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { findDefinitionRuns, restoreDefinitions } from '../../engine/document/markdown-definitions.js';
import { runsAsFences } from '../../engine/document/markdown-stand-ins.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { textOf } from '../../engine/document/text-of.js';
import { seededRandom } from '../helpers/generate.js';
import { expectReadAsMicromark, readStandingIn } from '../helpers/stand-in.js';

/** Blocks only, as markdown.ts parses them (inline constructs off). */
const parse = (text: string): Root => micromarkBlocks(text, true);

/** The tree through markdown-definitions, and whether it was used. */
function fast(text: string): { tree: Root; used: boolean } {
  const runs = findDefinitionRuns(text);
  if (runs.length === 0) return { tree: parse(text), used: false };
  const tree = parse(runsAsFences(text, runs));
  return restoreDefinitions(tree, runs, text) ? { tree, used: true } : { tree: parse(text), used: false };
}

const run = (n: number, line = (i: number) => `[l${i}]: u${i}`): string =>
  Array.from({ length: n }, (_, i) => line(i)).join('\n');

describe('link definition runs', () => {
  it.each([
    ['alone', `${run(20)}\n`, true],
    ['then a reference', `${run(20)}\n[l1]\n`, true],
    [
      'then text and a setext underline (micromark starts that heading at the definitions)',
      `${run(20)}\n[a]\n===\n`,
      false,
    ],
    ['then an underline alone (a paragraph, as after definitions)', `${run(20)}\n===\n`, true],
    ['then an ordered list not at 1 (a paragraph after definitions)', `${run(20)}\n2. x\n`, false],
    ['then an indented line', `${run(20)}\n    x\n`, false],
    ['then a title (the last definition’s)', `${run(20)}\n"t"\n`, true],
    ['then a title and another (a paragraph)', `${run(20)}\n"t"\n"u"\n`, false],
    ['each with a title on the next line', `${run(20, (i) => `[l${i}]: u${i}\n  '${i}'`)}\n`, true],
    ['then a delimiter row (the last definition is its header)', `${run(20)}\n| - |\n`, false],
    ['then HTML', `${run(20)}\n<div>\nx\n`, false],
    ['then a heading', `${run(20)}\n# [l1]\n`, true],
    ['then a footnote definition', `${run(20)}\n[^a]: x\n`, false],
    ['with CRLF', `${run(20).replace(/\n/g, '\r\n')}\r\n\r\nfoo\r\n`, true],
    ['inside a fenced code block', `\`\`\`\n\n${run(20)}\n\`\`\`\n`, false],
    ['inside an unclosed tilde fence', `~~~\n\n${run(20)}\nx\n`, false],
    ['inside an HTML comment', `<!--\n\n${run(20)}\n-->\n`, false],
    ['inside frontmatter', `---\na: 1\n\n${run(20)}\n---\n`, false],
    ['inside a directive container', `:::note\n\n${run(20)}\n:::\n`, true],
    ['right after a heading', `# h\n${run(20)}\n`, true],
    ['right after a leaf directive, then another', `::x\n${run(20)}\n::y\n`, true],
    ['right after a paragraph line (its text going on: not taken)', `p\n${run(20)}\n`, false],
    ['two runs', `${run(20)}\n\npara\n\n${run(30)}\n`, true],
    ['blank lines between', `${run(20, (i) => `[l${i}]: u${i}\n${i % 3 === 0 ? '\n  \n' : '\n'}`)}para\n`, true],
    ['blank lines between, then a title (the last definition’s)', `${run(20, (i) => `[l${i}]: u${i}\n`)}"t"\n`, true],
    ['blank lines between, then a blank line and a title', `${run(20, (i) => `[l${i}]: u${i}\n`)}\n"t"\n`, true],
    ['titles on the next line, blank lines between', `${run(20, (i) => `[l${i}]: u${i}\n(t ${i})\n`)}para\n`, true],
    ['labels with case and spaces', `${run(20, (i) => `[Ab  C${i}]:\tu`)}\n`, true],
    ['too short', `${run(5)}\n`, false],
    ['indented 1 to 3 spaces', `${run(20, (i) => `${' '.repeat(1 + (i % 3))}[l${i}]: u${i}`)}\n`, true],
    ['indented, a title on each', `${run(20, (i) => `  [l${i}]: u${i} "t"`)}\n`, true],
    ['indented, after a paragraph and a blank line', `para\n\n${run(20, (i) => `  [l${i}]: u${i}`)}\n`, true],
    [
      'indented, after a list item and a blank line (in the item; not taken)',
      `- a\n\n${run(20, (i) => `  [l${i}]: u${i}`)}\n`,
      false,
    ],
    ['indented 4 spaces (code; not taken)', `${run(20, (i) => `    [l${i}]: u${i}`)}\n`, false],
    ['after a line of no-break spaces (paragraph text, not a blank line)', `x\n\u00a0\n${run(20)}\n`, false],
    [
      'a title in the middle, in angle brackets',
      `${run(20, (i) => (i === 7 ? '[a]: <u> "t"' : `[l${i}]: u${i}`))}\n`,
      false,
    ],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
  });

  it('generated mixes of runs and the lines around them read as micromark reads them', () => {
    const others = ['', 'text', '===', '---', '# h', '2. x', '    ind', '"t"', '<div>', '```', '~~~', '> q', '- l'];
    others.push(':::note', ':::', '[^f]: x', '| a |', '| - |', 'x | y', ':-', '[a]', '<!--', '-->', '\t[a]: u');
    others.push(
      '::leaf',
      '::x[label]',
      '[a]: u "t"',
      '***',
      '[a]:u',
      '  [a]: u',
      '- [a]: u',
      '> [a]: u',
      '(x)',
      '1. x',
      '<script>',
      '</script>',
    );
    const definitions = ['[a]: u', '[b]: v', '[Foo Bar]: http://x.y/z'];
    const random = seededRandom(7);
    let used = 0;
    for (let k = 0; k < 600; k++) {
      const lines: string[] = [];
      for (let j = 1 + random(6); j > 0; j--)
        lines.push(
          random(3) === 0
            ? run(16 + random(3), () => definitions[random(3)]! + (random(4) === 0 ? '\n' : ''))
            : others[random(others.length)]!,
        );
      const text = lines.join('\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) used++;
    }
    expect(used).toBeGreaterThan(40);
  });

  it('parseMarkdown: a heading still resolves its links against a run of definitions in its chunk', () => {
    const tree = parseMarkdown(`# See [the guide][l3]\n\n${run(40)}\n`);
    const heading = tree.children[0]!;
    expect(heading.type === 'heading' && heading.children).toEqual([
      expect.objectContaining({ type: 'text', value: 'See the guide' }),
    ]);
    expect(tree.children.filter((c) => c.type === 'definition')).toHaveLength(40);
  });

  it('parseMarkdown: headings resolve references as a full parse does (labels matched as CommonMark matches them, the first of each wins)', () => {
    const full = unified().use(remarkParse).use(remarkGfm).use(remarkDirective);
    const labels = ['Foo  Bar', 'foo bar', 'ß', 'SS', 'l1', 'l2', 'a\\]b', 'x', '&#65;b', 'İ'];
    const refs = [
      '[foo bar]',
      '[FOO BAR][]',
      '[ss]',
      '[l1][]',
      '[l2]',
      '[t][l1]',
      '[a\\]b]',
      '[none]',
      '*em* [x]',
      '[&#65;B]',
      '[Ab]',
      '[i̇]',
      '[İ]',
    ];
    const random = seededRandom(19);
    for (let k = 0; k < 60; k++) {
      const lines: string[] = [];
      for (let j = 0; j < 12; j++)
        lines.push(
          random(2) === 0
            ? `[${labels[random(labels.length)]}]: /u${j}`
            : `# h ${refs[random(refs.length)]} ${refs[random(refs.length)]}`,
          '',
        );
      const text = lines.join('\n');
      const expected = full.parse(text).children.flatMap((c) => (c.type === 'heading' ? [textOf(c)] : []));
      const actual = parseMarkdown(text).children.flatMap((c) =>
        c.type === 'heading' && c.children[0]?.type === 'text' ? [c.children[0].value] : [],
      );
      expect(actual, text).toEqual(expected);
    }
  });
});

describe('link definitions with a title on their line', () => {
  const titled = [
    '[a]: b "t"',
    "[a]: b 't'",
    '[a]: b (t)',
    '[a]: b "a\'b(c) *d*"',
    "[a]: b 'x\"y'",
    '[a]: b (a"b\')',
    '[Foo Bar]:\thttp://x.y/z\t"a title"',
    '[a]: b   "spaced"',
    '[a]: b"t"', // no title: the url's
  ];
  it.each(titled)('%s, in a run and in prose, read as micromark reads it', (line) => {
    const text = `${run(20, (i) => line.replace('[a]', `[a${i}]`))}\n`;
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(true);
    expectReadAsMicromark(`para\n\n${line}\n\npara\n`, 'definitions', 1);
  });

  it.each([
    ['a trailing space', '[a]: b "t" \n'],
    ['text after the title', '[a]: b "t" x\n'],
    ['an escape in the title', '[a]: b "a \\" b"\n'],
    ['a character reference in the title', '[a]: b "a &amp; b"\n'],
    ['a tab in the title', '[a]: b "a\tb"\n'],
    ['a parenthesis in a title in parentheses', '[a]: b (a(b)\n'],
    ['an empty title (mdast: null)', '[a]: b ""\n'],
    ['an empty title in parentheses', '[a]: b ()\n'],
    ['an unclosed title', '[a]: b "t\n'],
    ['a title going on to the next line', '[a]: b "t\nu"\n'],
    ['a title then a title on the next line', '[a]: b "t"\n"u"\n'],
    ['a title on the next line with a trailing space', '[a]: b\n"t" \n'],
    ['a title on the next line with text after it', '[a]: b\n"t" x\n'],
    ['a title on the next line indented 4 spaces', '[a]: b\n    "t"\n'],
    ['a title on the next line after a tab', '[a]: b\n\t"t"\n'],
    ['a title on the next line with an escape', '[a]: b\n"a \\" b"\n'],
    ['a title on the next line with a reference', '[a]: b\n(a &amp; b)\n'],
    ['an empty title on the next line', "[a]: b\n''\n"],
    ['a title on the next line going on', '[a]: b\n"t\nu"\n'],
  ])('%s: not taken', (_name, line) => {
    expectReadAsMicromark(`para\n\n${line}\npara\n`, 'definitions', 0);
  });

  it.each([
    ['a title on the next line', '[a]: b\n"t"\n'],
    ['in single quotes, indented', '[a]: b\n   \'x "y" (z)\'\n'],
    ['in parentheses', '[a]: b\n(a "b" \'c\')\n'],
    ['after a url with quotes in it', '[a]: b"c"\n"t"\n'],
    ['with a bar and markup in it', '[a]: b\n"a | *b* <c> # d"\n'],
    ['past ASCII', '[Ü]: b\n"日本 😀"\n'],
    ['then a definition', '[a]: b\n"t"\n[c]: d\n(u)\n[e]: f "g"\n'],
    ['a title two lines down (a paragraph: the definition has none)', '[a]: b\n\n"t"\n'],
    ['with CRLF', '[a]: b\r\n"t"\r\n'],
  ])('%s: taken, as micromark reads it', (_name, lines) => {
    expectReadAsMicromark(`para\n\n${lines}\npara\n`, 'definitions', 1);
  });

  it('a title on the next line at the end, no line ending: taken', () => {
    expectReadAsMicromark('para\n\n[a]: b\n"t"', 'definitions', 1);
  });

  it('generated titled definitions among other blocks read as micromark reads them', () => {
    const others = [
      '',
      'text',
      '"t"',
      '(x)',
      "'y'",
      '===',
      '---',
      '# h',
      '- l',
      '> q',
      '```',
      '| a |',
      '| - |',
      '<div>',
    ];
    const definitions = ['[a]: u "t"', "[b]: v 'w x'", '[c]: w (y z)', '[d]: x', '[e]: y ""', '[f]: z "a" b'];
    definitions.push('[g]: u\n"t"', "[h]: v\n  'w x'", '[i]: w\n(y z) q', '[j]: x\n"t"\n"u"');
    const random = seededRandom(23);
    let built = 0;
    for (let k = 0; k < 400; k++) {
      const lines: string[] = [];
      for (let j = 1 + random(8); j > 0; j--)
        lines.push(random(2) === 0 ? definitions[random(definitions.length)]! : others[random(others.length)]!);
      const text = lines.join(random(2) ? '\n' : '\n\n') + (random(2) ? '\n' : '');
      const result = readStandingIn(text, 'definitions');
      expect(result.tree, JSON.stringify(text)).toEqual(micromarkBlocks(text));
      built += result.built;
    }
    expect(built).toBeGreaterThan(100);
  });

  it('parseMarkdown in small chunks reads a megabyte shape as micromark does', () => {
    const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
    for (const unit of [
      '[a]: b "t"\n\n',
      "[a]: b 't'\n\n# h\n\n[c]: d (e)\n\nSome prose.\n\n",
      '[a]: b\n"t"\n\n',
      '[a]: b\n"t"\n[c]: d\n(e)\n\n- x\n\n[f]: g\n"h"\n"i"\n\n',
    ]) {
      const text = unit.repeat(Math.ceil(12_000 / unit.length));
      expect(strip(parseMarkdown(text)), unit).toEqual(strip(micromarkBlocks(text, true)));
    }
  });
});
