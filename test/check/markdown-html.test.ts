/**
 * HTML blocks of one line, built without micromark (engine/document/markdown-html.ts) as parts of
 * prose runs (markdown-prose.ts): comments that close on their line, and block tags with a blank
 * line after them. The tree is the one micromark makes of the text as it is, or the text is left
 * to micromark. Compared on the blocks around them, the shapes near them that are other blocks,
 * then on generated mixes, and through the whole parse.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { endsAtBlankLine, findHtmlRuns, htmlDocument } from '../../engine/document/markdown-html.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';
import { expectSame } from '../helpers/same-blocks.js';
import { readStandingIn } from '../helpers/stand-in.js';

/** Blocks only, as markdown.ts parses them (inline constructs off). */
const parse = (text: string, first = false): Root => micromarkBlocks(text, first);

/** The text parsed with its prose runs standing in; `html`: the HTML parts built. */
function fast(text: string, first = false): { tree: Root; html: number } {
  const { tree, built } = readStandingIn(text, 'html', first);
  return { tree, html: built };
}

describe('HTML blocks of one line', () => {
  it.each([
    ['a comment', '<!-- a -->\n', 1],
    ['comments, one a line', '<!-- a -->\n<!-- b -->\n<!-- c -->\n', 3],
    ['a comment with text after it', '<!-- a --> and more  \nMore prose.\n', 1],
    ['the shortest comments', '<!-->\n<!--->\n<!---->\n', 3],
    ['a comment closing a paragraph', 'Some prose.\n<!-- c -->\nMore prose.\n', 1],
    ['a comment closing a list', '- a\n- b\n<!-- c -->\n- d\n', 1],
    ['a comment closing a quote', '> a\n<!-- c -->\n> b\n', 1],
    ['a comment after a heading', '# H\n<!-- c -->\n## H2\n', 1],
    ['a comment between leaf directives', '::a\n<!-- c -->\n::b{c=d}\n', 1],
    ['a comment over two lines', '<!-- a\nb -->\n', 1],
    ['a comment of three lines', '<!--\na\n-->\n\n', 1],
    // The lines after a comment over lines are not CLEAR up to a blank line (markdown-literal.ts
    // counts its opening line as OPAQUE): no finder takes them.
    ['comments of three lines, no blank line between (the second not taken)', '<!--\na\n-->\n<!--\nb\n-->\n', 1],
    ['comments of three lines, a blank line between', '<!--\na\n-->\n\n<!--\nb\n-->\n', 2],
    ['a comment with blank lines and markup in it', '<!--\n\n# h\n- a\n```\n\n<div>\n  x -->  y\n', 1],
    ['a comment closing at its first --> (text after it kept)', '<!-- a\nb --> c --> d\ne\n', 1],
    ['a comment closed by --->, another on the next line', '<!--\na --->\n<!--\n-->\n', 1],
    ['a comment not closed by -- > or ->', '<!--\na -- > b ->\n-->\n', 1],
    ['a comment over lines closing a paragraph', 'Some prose.\n<!--\na\n-->\nMore prose.\n', 1],
    ['a comment over lines closing a list', '- a\n- b\n<!--\nc\n-->\n- d\n', 1],
    ['a comment over lines closing a quote', '> a\n<!--\n> c\n-->\n> b\n', 1],
    ['a comment over lines after a heading, a heading after it', '# H\n<!--\nc\n-->\n## H2\n', 1],
    ['a comment over lines with a bar in it', '<!-- a |\n| b |\n| - |\n-->\n| c |\n', 1],
    ['a comment over lines at the end, no line ending', '<!--\na\n-->', 1],
    ['a comment over lines in a container', ':::note\n<!--\nc\n-->\n- a\n:::\n', 1],
    ['a comment over lines, then a block tag', '<!--\nc\n-->\n<div>\n\n', 1],
    ['a comment over lines left open (not taken)', '<!--\na\n', 0],
    ['a comment over lines with a line of colons (not taken)', '<!--\n:::\n-->\n', 0],
    ['a comment over lines in a container, a closing line in it (not taken)', ':::a\n<!--\n:::\n-->\n', 0],
    ['a comment over lines with a tab (not taken)', '<!--\n\ta\n-->\n', 0],
    ['a comment over lines with a tab in its opening (not taken)', '<!--\t\na\n-->\n', 0],
    ['a comment over lines indented (not taken)', ' <!--\na\n-->\n', 0],
    ['a comment over lines after a table row (not taken)', '| a |\n| - |\n<!--\nc\n-->\n', 0],
    ['a comment over lines in a list item (indented: not taken)', '- a\n\n  <!--\n  c\n  -->\n', 0],
    ['a comment over lines in a fence (not taken)', '```\n<!--\na\n-->\n```\n', 0],
    ['a comment closing itself with a bar (not taken)', '<!-- a | -->\nb\n', 0],
    ['an indented comment (not taken)', ' <!-- a -->\n', 0],
    ['a comment with a tab (not taken)', '<!--\ta -->\n', 0],
    ['a comment with a bar (not taken)', '<!-- a | b -->\n', 0],
    ['a comment in a fence (not taken)', '```\n<!-- a -->\n```\n', 0],
    ['a comment in an open HTML block (not taken: the block, to the end of the text, is)', '<div>\n<!-- a -->\n', 1],
    ['a comment after a table row (not taken)', '| a |\n| - |\n<!-- c -->\n', 0],
    ['a comment in a container', ':::note\n<!-- c -->\n- a\n:::\n', 1],
    ['a comment in a list item (indented: not taken)', '- a\n\n  <!-- c -->\n', 0],
    ['a block tag', '<div>\n\n', 1],
    ['block tags', '<div>\n\n</div>\n\n<p class="x">\n\n<hr/>\n\n<TABLE>  \n\n', 5],
    ['a block tag closing a paragraph', 'Some prose.\n<div>\n\nMore.\n', 1],
    ['a block tag closing a list', '- a\n<section>\n\n- b\n', 1],
    ['a block tag with a line after it (it runs on to the blank line)', '<div>\n# H\n\n', 1],
    ['a block of three lines', '<div>\na\n</div>\n\n', 1],
    ['blocks of several lines, trailing spaces kept', '<div class="x">  \n  *a*  \n- b\n</div>\n\n<p>\n> q\n\n', 2],
    ['a block closing a paragraph', 'Some prose.\n<div>\na\n</div>\n\nMore.\n', 1],
    ['a block closing a list', '- a\n<section>\n::leaf\n</section>\n\n- b\n', 1],
    ['a block with lines like other blocks', '<div>\n| a |\n| - |\n    code\n<!-- c -->\n::x{a=b}\n***\n</div>\n\n', 1],
    ['a block holding a raw text tag that closes (not taken)', '<div>\n<pre>\n</div>\n\n', 0],
    ['a block of lines in the first column and indented', '<table>\n  <tr>\n    <td>x</td>\n  </tr>\n</table>\n\n', 1],
    ['a block of lines of no-break spaces (not blank)', '<div>\n\u00a0\nxyz\n\n', 1],
    ['a block in a container, its closing line after it', ':::note\n<div>\nabc\n\n:::\n', 1],
    ['a block in a container, closed by its closing line (not taken)', ':::note\n<div>\nabc\n:::\n\nafter\n', 0],
    ['a block in a nested container (not taken)', '::::a\n:::b\n<div>\nabc\n:::\n\n::::\n', 0],
    ['a block in a container, an indented closing line (not taken)', ':::note\n<div>\nabc\n  :::  \n\nafter\n', 0],
    ['a block holding a line of colons, no container (not taken)', '<div>\nabc\n::::\n\n', 0],
    ['a block after a footnote definition', '[^a]: x\n<div>\n  y\n\n', 1],
    ['a block after a quote, quoted lines in it', '> a\n<div>\n> b\n\n', 1],
    ['a block holding a fence opening (not taken)', '<div>\n```\n\nx\n```\n\n', 0],
    ['a block holding a raw text tag (not taken)', '<div>\n<script>\n\n</script>\n\n', 0],
    ['a block holding a comment left open (not taken)', '<div>\n<!-- a\n\n-->\n\n', 0],
    ['a block with a tab in it (not taken)', '<div>\n\ta\n\n', 0],
    ['a block at the end, no blank line after it (the end of the text ends it)', '<div>\na\n</div>\n', 1],
    ['a block at the end, a blank line with no line ending (not taken)', '<div>\na\n  ', 0],
    ['a block tag at the end, no blank line after it', '<div>\n', 1],
    ['a block tag at the end with no line ending, after a paragraph it ends', 'a\n<div>', 1],
    ['a block tag, then spaces on the blank line', '<div>\n   \n- a\n', 1],
    ['a tag not of a block element (type 7: not taken)', '<span>\n\n<divx>\n\n', 0],
    ['raw text tags (type 1: not taken)', '<pre>\n\n</pre>\n\n<script>\n\n', 0],
    ['a declaration and an instruction (not taken)', '<!DOCTYPE html>\n\n<?x?>\n\n', 0],
    ['a block tag after an open table (not taken)', '| a |\n| - |\n<div>\n\n', 0],
    ['CRLF (not taken)', '<!-- a -->\r\n<div>\r\n\r\n', 0],
    ['a block tag indented 1 to 3 spaces', ' <div>\n\n  <p>\n  a\n\n   </table>\n\n', 3],
    ['an indented block tag closing a paragraph', 'Some prose.\n  <div>\n\nMore.\n', 1],
    ['an indented block tag after a heading and a break', '# h\n  <div>\n\n***\n   <p>\n\n', 2],
    ['an indented block tag after a closed list', '- a\n\nb\n  <div>\n\n', 1],
    ['an indented block tag after a list item, a blank line between (in the item: not taken)', '- a\n\n  <div>\n\n', 0],
    ['an indented block tag after a list item (in its paragraph: not taken)', '- a\n  <div>\n\n', 0],
    ['an indented block tag after an item lazily gone on (not taken)', '- a\nb\n <div>\n\n', 0],
    ['an indented block tag after a footnote definition (not taken)', '[^a]: b\n  <div>\n\n', 0],
    ['a block tag indented 4 spaces (code: not taken)', '    <div>\n\n', 0],
    ['an indented comment (not taken)', '  <!-- a -->\n\n', 0],
  ])('%s', (_name, text, html) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.html).toBe(html);
  });

  it('finds each shape where a block may start', () => {
    expect(findHtmlRuns('a\n<!-- c -->\n').map((r) => r.closer)).toEqual([true]);
    expect(findHtmlRuns('<div>\n\n').map((r) => r.closer)).toEqual([false]);
    expect(findHtmlRuns('<x-y>\n\n<div class\n\n')).toHaveLength(1);
  });

  it('generated documents read as micromark reads them', () => {
    const html = [
      '<!-- a -->',
      '<!-- b --> c',
      '<!-->',
      '<!-- a\nb -->',
      '<!--\na\n-->',
      '<!--\n\n- x\n--> y',
      '<!--\n:::\n-->',
      '<!--\nleft open',
      '<div>',
      '<div>\na\n</div>',
      '<p>\n# h\n- x',
      '<div>\n```',
      '<div>\n:::',
      '<div>\nabc',
      '</div>',
      '<p>',
      '<hr/>',
      '<span>',
      '<pre>',
      ' <!-- x -->',
      '  <div>',
      ' <p>\na',
      '   </div>\n  - x',
      '    <div>',
    ];
    const others = [
      '# h',
      '> q',
      '- a',
      '- a\n- b',
      '1. n',
      '::leaf',
      '***',
      '```\ncode\n```',
      '| a |\n| - |',
      ':::note',
      ':::',
    ];
    const plain = ['Some prose.', 'x y z', 'ab'];
    const random = seededRandom(47);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    let taken = 0;
    for (let k = 0; k < 500; k++) {
      const parts: string[] = [];
      for (let j = 2 + random(10); j > 0; j--) {
        const kind = random(3);
        parts.push(kind === 0 ? pick(html) : kind === 1 ? pick(others) : pick(plain));
      }
      const text = parts.map((part) => part + pick(['\n', '\n', '\n\n', '\n\n\n'])).join('');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      taken += result.html;
    }
    expect(taken).toBeGreaterThan(300);
  }, 60_000);

  it('long documents of them parse as micromark parses them whole', () => {
    for (const unit of [
      '<!-- a -->\n',
      '<div>\n\n',
      'a\n<!-- c -->\n',
      '- a\n<!-- c -->\n',
      '<!-- a -->\n# h\n<p>\n\n',
      '<div>\na\n</div>\n\n',
      '# h\n<div>\n<p>a</p>\n</div>\n\n- x\n\n',
      '<!--\na\n-->\n\n',
      '<!--\na\n-->\n- x\n<!-- b\n\n-->\n',
      '  <div>\n\n',
      '- a\n\n   <p>\n\nb\n <div>\n\n',
    ]) {
      const text = unit.repeat(Math.ceil(40_000 / unit.length));
      const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
      expect(strip(parseMarkdown(text)), unit).toEqual(strip(micromarkBlocks(text, true)));
    }
  }, 60_000);

  it('comments over lines among other blocks, in small chunks', () => {
    const text = Array.from(
      { length: 400 },
      (_, i) => `<!--\n${i}\n-->\n\n- a\n<!-- b\n\n--> c\n# h\n\n<!--\n:::\n-->\n\nSome prose.\n`,
    ).join('\n');
    const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
    const whole = strip(micromarkBlocks(text, true));
    for (const every of [256, 64]) expect(strip(parseMarkdown(text, every))).toEqual(whole);
  }, 60_000);
});

/**
 * HTML blocks that a blank line ends (CommonMark's types 6 and 7, endsAtBlankLine): a document
 * that is one of them and nothing else is built without micromark (htmlDocument), and a
 * container's content that ends in one is read as a document (markdown-inner-ends.ts, endsOpen):
 * such a block ends at the content's end at the latest. 1 MB of `- - <div>` lines was a
 * micromark parse an item, 41 s.
 */
describe('HTML blocks a blank line ends', () => {
  it.each([
    ['a block tag', '<div>', true],
    ['a closing block tag', '</div>', true],
    ['a block tag closing itself', '<hr/>', true],
    ['a block tag in capitals, attributes', '<DIV class="a" id=b>', true],
    ['a block tag, lines after it', '<div>\n  - a\n# h\n```\n> q', true],
    ['a complete tag', '<span>', true],
    ['a complete tag with attributes', '<a href="x" title=\'y\' data-z=w hidden>', true],
    ['a complete tag closing itself, spaces after it', '<x-y a=b />  ', true],
    ['a complete closing tag', '</x-y >', true],
    ['a complete tag, a line after it', '<span>\ntext', true],
    ["blank lines after it (as an item's content is read with them)", '<div>\nx\n\n  \n', true],
    ['a blank line in it', '<div>\n\nx', false],
    ['a tab', '<div>\tx', false],
    ['a carriage return', '<div>\r\nx', false],
    ['a line of colons', '<div>\n:::', false],
    ['indented', ' <div>', true],
    ['indented 3 spaces, a line after it', '   <div>\nx', true],
    ['indented 4 spaces (code)', '    <div>', false],
    ['a raw tag', '<pre>\nx', false],
    ['a raw closing tag', '</pre>', false],
    ['a comment', '<!-- a -->', true],
    ['a comment, indented, blank lines after it', '  <!-- a -->\n\n ', true],
    ['a comment, a line after it', '<!-- a -->\nx', false],
    ['text after a complete tag', '<span> x', false],
    ['a tag left open', '<a b', false],
    ['an unquoted value holding =', '<a b=c=d>', false],
    ['not a tag', '<1a>', false],
  ])('%s', (_name, raw, whole) => {
    const text = raw.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\r/g, '\r');
    expect(htmlDocument(text) !== null).toBe(whole);
    expect(expectSame(text)).toBe(true);
    expect(expectSame(`- ${text.replace(/\n/g, '\n  ')}\n- b\n`)).toBe(true);
  });

  it('a line it takes for one starts an HTML block that ends at the next blank line, as micromark reads it', () => {
    const random = seededRandom(53);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    const names = ['div', 'P', 'span', 'x-y', 'a', 'pre', 'script', 'custom-tag', 'b1', 'table'];
    const attributes = ['', ' a', ' a=b', ' a="b c"', " a='b'", ' a = b', ' _:x.y-z', ' a=b/', ' a="', ' =b', ' a=b=c'];
    let taken = 0;
    for (let k = 0; k < 3000; k++) {
      const closing = random(4) === 0;
      const attrs = closing ? '' : Array.from({ length: random(3) }, () => pick(attributes)).join('');
      const line = `${pick(['', '', ' ', '   '])}<${closing ? '/' : ''}${pick(names)}${attrs}${pick(['', ' ', '/'])}${pick(['>', '>', '> ', ' >', ''])}${pick(['', '', ' x'])}`;
      if (!endsAtBlankLine(line)) continue;
      taken++;
      const tree = micromarkBlocks(`${line}\nmore\n\nafter`);
      expect(tree.children[0], JSON.stringify(line)).toMatchObject({ type: 'html', value: `${line}\nmore` });
      expect(tree.children[1], JSON.stringify(line)).toMatchObject({ type: 'paragraph' });
    }
    expect(taken).toBeGreaterThan(500);
  });

  it('generated containers ending in HTML blocks read as micromark reads them', () => {
    const random = seededRandom(59);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    const html = ['<div>', '</p>', '<span>', '<a href="x">', '<pre>', '<!-- c -->', '<!--', '<x-y/>', '<span> x'];
    const lines = [...html, 'text', '- a', '> q', '```', '', '# h'];
    for (let k = 0; k < 400; k++) {
      const blocks: string[] = [];
      for (let j = 1 + random(5); j > 0; j--) {
        const content = Array.from({ length: 1 + random(3) }, () => pick(lines));
        if (random(2) === 0) content.push(pick(html));
        const marker = pick(['- ', '* ', '1. ', '> ', '[^f]: ', '- - ', '> - ']);
        const indent = marker.startsWith('>') ? '> ' : ' '.repeat(marker.length);
        blocks.push(content.map((line, i) => (i === 0 ? marker : indent) + line).join('\n'));
      }
      expectSame(`${blocks.join(pick(['\n', '\n\n']))}\n`);
    }
  }, 60_000);

  it('a thousand list items holding a list holding an HTML block, as micromark reads them', () => {
    const text = '- - <div>\n'.repeat(1000);
    expect(expectSame(text)).toBe(true);
  });
});
