/**
 * Leaf directives with a label and attributes built without micromark
 * (engine/document/markdown-leaf-lines.ts) as parts of prose runs (markdown-prose.ts): the tree is
 * the one micromark and mdast-util-directive make of the text as it is, or the line is left to
 * micromark. Compared on every attribute form, duplicates, labels, what is not taken, then on
 * generated lines of random characters, generated mixes, and through the whole parse.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { buildLeafLine, findLeafLineRuns } from '../../engine/document/markdown-leaf-lines.js';
import { CLOSER, PLAIN_LEAF } from '../../engine/document/markdown-plain.js';
import { findProseRuns, restoreProse } from '../../engine/document/markdown-prose.js';
import { canStandIn, runsAsFences } from '../../engine/document/markdown-stand-ins.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';

/** Blocks only, as markdown.ts parses them (inline constructs off). */
const parse = (text: string, first = false): Root => micromarkBlocks(text, first);

/** The text parsed with its prose runs standing in; `leaves`: the leaf directive parts built. */
function fast(text: string, first = false): { tree: Root; leaves: number } {
  const runs = findProseRuns(text, first, () => true).filter(canStandIn);
  const leaves = runs.reduce((n, run) => n + run.parts.filter((part) => part.kind === 'leaf').length, 0);
  const none = { tree: parse(text, first), leaves: 0 };
  if (runs.length === 0) return none;
  const tree = parse(runsAsFences(text, runs), first);
  return restoreProse(tree, runs, text) ? { tree, leaves } : none;
}

/** The node built for a line alone, if it is taken. */
function built(line: string): Root | null {
  const runs = findLeafLineRuns(line);
  if (runs.length !== 1) return null;
  const end = { line: 1, column: line.length + 1, offset: line.length };
  return {
    type: 'root',
    children: [buildLeafLine(runs[0]!, 1)],
    position: { start: { line: 1, column: 1, offset: 0 }, end },
  };
}

describe('leaf directives with labels and attributes, alone', () => {
  it.each([
    ['a label', '::name[some label]'],
    ['an empty label', '::name[]'],
    ['a label of a space', '::name[ ]'],
    ['spaces at both ends of a label', '::name[  a b  ]'],
    ['inline syntax in a label, as written', '::name[*a* _b_ <c> ! ~d~ www.e.com http://f.g :i]'],
    ['a label past ASCII', '::name[ü 😀 ñ]'],
    ['a character reference in a label', '::name[a &amp; b]'],
    ['an escape in a label', '::name[a \\* b]'],
    ['escapes, references and backslashes kept in a label', '::name[ \\# &#42; \\\\ \\a &nope; & x ]{k=v}'],
    ['an escape first in a label', '::name[\\*]'],
    ['empty attributes', '::name{}'],
    ['spaces in empty attributes', '::name{  }'],
    ['an id', '::name{#c0}'],
    ['a class', '::name{.big}'],
    ['classes, joined with a space', '::name{.a .b .c}'],
    ['shortcuts one after another', '::name{#a.b.c#d}'],
    ['ids, the last kept', '::name{#a #b}'],
    ['a shortcut with punctuation', '::name{#a:b-c_d/e}'],
    ['class attributes and shortcuts joined', '::name{class=a .b class="c d"}'],
    ['an empty class then one (replaced)', '::name{class="" .a}'],
    ['an unquoted value', '::name{target=db}'],
    ['an unquoted value with punctuation', '::name{path=/health?x;y(1)!@$%^*+,~}'],
    ['an unquoted value with brackets, hashes and dots', '::name{a=b[0].c#d\\e/f}'],
    ['a double-quoted value', '::name{query="SELECT count(*)::int AS n FROM items"}'],
    ['a single-quoted value', `::name{that='h0.json.status == "ok"'}`],
    ['quotes holding braces, hashes and the other quote', `::name{a="}{#.x'" b='"}'}`],
    ['a backslash in a quoted value, as written', '::name{a="x\\\\y\\"}'],
    ['empty quoted values', `::name{a="" b=''}`],
    ['an attribute with no value', '::name{a}'],
    ['attributes with no value', '::name{a b c=d e}'],
    ['duplicates, the last kept', '::name{a=1 b=2 a=3}'],
    ['names of digits (ordered first in the object)', '::name{b=1 2=x 1=y}'],
    ['names with dots, colons, dashes and underscores', '::name{a.b:c=d -e=f _g=h}'],
    ['a __proto__ attribute (dropped, as there)', '::name{__proto__=a b=c}'],
    ['spaces inside the braces', '::name{  a=b   #c  }'],
    ['a label and attributes', '::assert[count 0]{that="c0.rows[0].n == 100"}'],
    ['an empty label and attributes', '::name[]{a=b}'],
    ['trailing spaces', '::name[l]{a=b}   '],
    ['a trailing space after a name', '::name '],
    ['every form', `::sql[a label]{#c0 .x .y target=db q="a b } c" r='d' s t=u}`],
    ['a character reference in a value', '::name{a="&amp;"}'],
    ['a character reference in an unquoted value', '::name{a=&amp;}'],
    ['a character reference in a single-quoted value', "::name{a='&lt;&gt;'}"],
    ['a character reference in a shortcut', '::name{#a&amp;}'],
    ['character references in classes, joined', '::name{.a&amp;b .c&lt; class="&quot;"}'],
    ['numeric references, decimal and hex', '::name{a="&#65;&#x42;&#X43;&#x1F600;"}'],
    ['numeric references out of range or control', '::name{a="&#0;&#1;&#128;&#x110000;&#xD800;&#9;"}'],
    ['references with no semicolon', '::name{a="&amp &copy x &lt3 &ampx &amp=1 &notit; &not"}'],
    ['unknown references and lone ampersands', '::name{a="&bogus; & && &; &#; &#x;" b=&}'],
    ['a reference to a hash or dot in a shortcut', '::name{#a&#35;b .c&#46;d}'],
    ['references past ASCII', '::name{a="&eacute;&NotNestedGreaterGreater;&fjlig;"}'],
    ['a reference in a value after a decoded label', '::name[a \\* &amp;]{a="&amp;" b=c&d}'],
    ['brackets in a label', '::name[a [b] c]'],
    [
      'a confirm reading a row in its label',
      '::confirm[Grant {{ u.rows[0].id }} ({{ u.rows[0].n }})?]{#ok on-decline=skip}',
    ],
    ['brackets first, last and empty in a label', '::name[[a] b []]'],
    ['a reference among brackets in a label', '::name[a [&amp;] b]'],
  ])('%s', (_name, line) => {
    for (const text of [line, `${line}\n`]) {
      expect(built(line), text).toEqual(parse(line));
      const result = fast(text);
      expect(result.tree, text).toEqual(parse(text));
      expect(result.leaves, text).toBe(1);
    }
  });

  it.each([
    ['a backslash last in a label (an escaped bracket)', '::name[a \\]'],
    ['an escaped backslash last in a label', '::name[a \\\\]'],
    ['a backtick in a label', '::name[`code`]'],
    ['brackets two deep in a label', '::name[a [b [c]] d]'],
    ['an escaped bracket among brackets in a label', '::name[a \\[b] c]'],
    ['a backslash in a label with brackets', '::name[a [b\\]] c]'],
    ['a tab in a label', '::name[a\tb]'],
    ['spaces around =', '::name{a = b}'],
    ['a space after =', '::name{a= b}'],
    ['an = in an unquoted value', '::name{path=/a?b=c}'],
    ['a tab between attributes', '::name{a=b\tc=d}'],
    ['a tab after it', '::name{a=b}\t'],
    ['a name then a shortcut', '::name{a#b}'],
    ['a quoted value then a shortcut', '::name{a="b"#c}'],
    ['an unquoted value with a brace', '::name{a=b{c}'],
    ['a shortcut with a brace', '::name{#a{}'],
    ['non-ASCII in a name', '::name{ü=a}'],
    ['a name starting with a dot', '::name{.=a}'],
    // Not leaf directives at all: micromark reads a paragraph.
    ['text after the attributes', '::name{a=b} x'],
    ['a quoted value then text', '::name{a="b"c}'],
    ['a quote in an unquoted value', '::name{a=b"}'],
    ['two sets of attributes', '::name{a=b}{c=d}'],
    ['attributes then a label', '::name{a=b}[l]'],
    ['an unclosed quote', '::name{a="b}'],
    ['an unclosed brace', '::name{a=b'],
    ['an empty shortcut', '::name{#}'],
    ['a name ending in a dash', '::name-{a=b}'],
  ])('%s (not taken)', (_name, line) => {
    const text = `Some prose.\n${line}\nMore prose.\n`;
    expect(built(line)).toBeNull();
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.leaves).toBe(0);
  });

  it('reads the attributes in order, as mdast-util-directive does', () => {
    const [run] = findLeafLineRuns('::x[label]{#i .a k=v .b k="w x" e}\n');
    const node = buildLeafLine(run!, 3);
    expect(Object.entries(node.attributes!)).toEqual([
      ['id', 'i'],
      ['class', 'a b'],
      ['k', 'w x'],
      ['e', ''],
    ]);
    expect(node.children).toEqual([
      {
        type: 'text',
        value: 'label',
        position: { start: { line: 3, column: 5, offset: 4 }, end: { line: 3, column: 10, offset: 9 } },
      },
    ]);
  });
});

describe('leaf directives with labels and attributes among other blocks', () => {
  it.each([
    ['closing a list', '- a\n::x{a="b"}\n- b\n::y[l]{#i}\n', 2],
    ['interrupting a paragraph', 'para\n::x{a="b"}\nMore prose.\n', 1],
    ['closing a quote', '> q\n::x{a=b}\n> r\n', 1],
    ['after a heading', '# H\n::x[l]{.c}\n# I\n', 1],
    ['between paragraphs parted by blank lines', 'a b\n\n::x{a=b}\n\n::y[z]\n\nc d\n', 2],
    ['in a container (one markdown-containers.ts leaves: a quote in it)', ':::note\n> q\n::x{a=b}\n:::\n', 1],
    ['a list after it', '::x{a=b}\n- a\n- b\n', 1],
    ['a paragraph after it', '::x[l]\nSome text\n', 1],
    ['closing a footnote definition', '[^1]: foot\n::x{a=b}\n', 1],
    ['inside a fence (not taken)', '```\n::x{a=b}\n```\n', 0],
    ['inside an HTML block (not taken)', '<div>\n::x{a=b}\n', 0],
    ['after a table row (not taken)', '| a |\n| - |\n::x{a=b}\n', 0],
    ['holding a pipe, no table open', 'para\n::x{a="b | c"}\n', 1],
    ['holding a pipe in a table (not taken: a table row)', 'a | b\n- | -\n::x{a="b | c"}\n', 0],
    ['a CRLF line ending (not taken)', 'para\r\n::x{a=b}\r\nmore\r\n', 0],
  ])('%s', (_name, text, leaves) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.leaves).toBe(leaves);
  });

  it('is a closer (it ends lists, quotes and paragraphs) wherever it is taken', () => {
    for (const line of ['::x{a=b}', '::x[l]{#i .c k="v w"}', '::x[]', '::x ']) {
      expect(CLOSER.test(line), line).toBe(true);
      expect(PLAIN_LEAF.test(line), line).toBe(true);
    }
  });
});

/** Random leaf directive lines, most of them of the forms taken, some near misses. */
function leafLine(random: (n: number) => number): string {
  const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
  const names = ['x', 'sql', 'assert', 'http', 'a-b_c', 'x9'];
  const labels = ['', '[]', '[ ]', '[count 0]', '[ a b ]', '[ü]', '[a*b_c]', '[a&amp;b]', '[a\\]b]', '[a[b]c]'];
  labels.push('[a \\* b]', '[&#x41;\\\\ ]', '[\\]', '[a\\\\]', '[ \\_ &lt; ]');
  labels.push('[rows[0].n]', '[a [b] [c] d]', '[a[b[c]]]', '[a\\[b]c]', '[[]]', '[a [&amp;] b]', '[x]]', '[[x]');
  const values = [
    'db',
    '/health',
    'a.b#c',
    '"SELECT count(*)::int AS n FROM items"',
    '"c0.rows[0].n == 100"',
    `'h0.json.status == "ok"'`,
    '"a } b"',
    '""',
    "''",
    '"x\\y"',
    '&amp;',
    '"a&amp;"',
    "'&#128; &copy &notit; &amp'",
    '&lt3&#x41;',
  ];
  const attributeNames = ['a', 'b', 'class', 'id', 'target', 'k.l', 'x:y', '-z', '1', '_'];
  const attribute = (): string => {
    const kind = random(6);
    if (kind === 0) return `#${pick(['c0', 'h1', 'a:b', 'x', 'a&amp;', '&#35;b'])}`;
    if (kind === 1) return `.${pick(['big', 'a-b', 'c', '&lt;'])}${random(3) === 0 ? '.d' : ''}`;
    if (kind === 2) return pick(attributeNames);
    return `${pick(attributeNames)}${pick(['=', '=', '=', ' = '])}${pick(values)}`;
  };
  let attributes = '';
  if (random(4) !== 0) {
    const items = Array.from({ length: random(5) }, attribute);
    const space = (): string => ' '.repeat(random(3) === 0 ? random(3) : 1);
    attributes = `{${random(4) === 0 ? ' ' : ''}${items.join(space())}${random(4) === 0 ? ' ' : ''}}`;
  }
  const tail = pick(['', '', '', ' ', '  ', '\t', ' x']);
  return `::${pick(names)}${pick(labels)}${attributes}${tail}`;
}

describe('generated', () => {
  it('lines of random characters after a name: taken only as micromark reads them', () => {
    const random = seededRandom(21);
    const alphabet = [...'ab  #.="\'[]{}\\&<`:\tü-_|'];
    let taken = 0;
    for (let k = 0; k < 20_000; k++) {
      let line = `::n${random(2) ? '[' : '{'}`;
      for (let i = random(14); i > 0; i--) line += alphabet[random(alphabet.length)];
      if (random(2)) line += random(2) ? '}' : ']';
      const ours = built(line);
      if (ours === null) continue;
      taken++;
      expect(ours, JSON.stringify(line)).toEqual(parse(line));
    }
    expect(taken).toBeGreaterThan(1000);
  }, 60_000);

  it('leaf directive lines: taken only as micromark reads them', () => {
    const random = seededRandom(5);
    let taken = 0;
    for (let k = 0; k < 5000; k++) {
      const line = leafLine(random);
      const ours = built(line);
      if (ours === null) continue;
      taken++;
      expect(ours, JSON.stringify(line)).toEqual(parse(line));
    }
    expect(taken).toBeGreaterThan(1500);
  });

  it('mixes of leaf directives and other blocks read as micromark reads them', () => {
    const others = [
      'text',
      'Some prose.',
      '    x',
      '# h',
      '- l',
      '- item one',
      '1. n',
      '> q',
      '```',
      ':::note',
      ':::',
      '::name',
      '<div>',
      '| a |',
      '[^1]: f',
      '===',
      '---',
    ];
    const random = seededRandom(13);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    let leaves = 0;
    for (let k = 0; k < 600; k++) {
      const parts: string[] = [];
      for (let j = 1 + random(8); j > 0; j--) parts.push(random(2) === 0 ? leafLine(random) : pick(others));
      const text = parts.join(pick(['\n', '\n', '\n\n'])) + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      leaves += result.leaves;
    }
    expect(leaves).toBeGreaterThan(300);
  }, 60_000);
});

describe('whole documents', () => {
  /** A drill-style runbook: frontmatter, then steps parted by blank lines, with some prose between. */
  function drill(steps: number, seed: number): string {
    const random = seededRandom(seed);
    const lines = ['---', 'title: Drill', 'targets:', '  db: { kind: postgres, url: "postgres://x" }', '---', ''];
    for (let i = 0; i < steps; i++) {
      const kind = random(10);
      if (kind === 0) lines.push(`## Part ${i}`, '');
      else if (kind === 1) lines.push('Some prose about the next step.', 'And a second line.', '');
      else if (kind === 2) lines.push(`- item ${i}`, `- another`, '');
      lines.push(`::sql{#c${i} target=db query="SELECT count(*)::int AS n FROM items"}`, '');
      lines.push(`::assert[count ${i}]{that="c${i}.rows[0].n == 100"}`, '');
      lines.push(`::http{#h${i} .smoke target=api path=/health}`, '');
      lines.push(`::assert[health ${i}]{that='h${i}.json.status == "ok"'}`, random(3) === 0 ? '::pause' : '');
    }
    return lines.join('\n');
  }

  const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));

  it('a few hundred KB of steps parse as micromark reads them whole, every step built apart', () => {
    const text = drill(3000, 3);
    expect(text.length).toBeGreaterThan(300_000);
    const steps = (text.match(/^::/gm) ?? []).length;
    const runs = findProseRuns(text, true, () => true);
    expect(runs.reduce((n, run) => n + run.parts.filter((part) => part.kind === 'leaf').length, 0)).toBe(steps);
    expect(strip(parseMarkdown(text))).toEqual(strip(micromarkBlocks(text, true)));
  }, 60_000);

  it('in small chunks too, and with a leaf directive on every line', () => {
    const text = drill(300, 8);
    expect(strip(parseMarkdown(text, 256))).toEqual(strip(micromarkBlocks(text, true)));
    const dense = Array.from({ length: 2000 }, (_, i) => `::s[${i}]{#x${i} a="b c"}\n- item\nSome text.`).join('\n');
    expect(strip(parseMarkdown(dense))).toEqual(strip(micromarkBlocks(dense, true)));
  }, 60_000);

  it('labels and attributes with escapes and character references, in small chunks and read apart', () => {
    const escaped = Array.from(
      { length: 1500 },
      (_, i) => `::a[b \\* c ${i} &amp;]\n- item\n\n> q \\#\n::s[\\\\]{k=v}\n::a{b="&amp;" #c&lt;${i}}`,
    ).join('\n');
    for (const every of [undefined, 256])
      expect(strip(parseMarkdown(escaped, every))).toEqual(strip(micromarkBlocks(escaped, true)));
  }, 60_000);
});
