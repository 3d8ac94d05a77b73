/**
 * Runs of leaf directives among short paragraphs built without micromark
 * (engine/document/markdown-leaves.ts): the tree is the one micromark makes of the text as it is,
 * or the text is left to micromark. Compared on the lines a run may not take, the blocks before
 * and after a run, runs inside other blocks, a text that is one run, then on generated mixes.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { findLeafRuns, leavesAlone, restoreLeaves } from '../../engine/document/markdown-leaves.js';
import { runsAsFences } from '../../engine/document/markdown-stand-ins.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';

/** Blocks only, as markdown.ts parses them (inline constructs off). */
const parse = (text: string): Root => micromarkBlocks(text, true);

function fast(text: string): { tree: Root; used: boolean } {
  const runs = findLeafRuns(text);
  if (runs.length === 0) return { tree: parse(text), used: false };
  const tree = parse(runsAsFences(text, runs));
  return restoreLeaves(tree, runs, text) ? { tree, used: true } : { tree: parse(text), used: false };
}

/** The pathological unit (micromark-extension-directive#13): a leaf directive, then link-like text. */
const UNIT = '::name\n:name[\ntext:name[\n]:name]:name:name\n';
const run = (n = 6): string => UNIT.repeat(n);

describe('leaf directives among short paragraphs', () => {
  it.each([
    ['the pathological unit', run(), true],
    ['without a last line ending', run().slice(0, -1), true],
    ['with CRLF', run().replace(/\n/g, '\r\n'), true],
    ['names with - and _, digits, one letter', '::a\n::a-b_c\n::9\nword\n'.repeat(5), true],
    ['words of other scripts', '::n\nx été über 😀 [x]\n'.repeat(10), true],
    ['after a paragraph', `para\n${run()}`, true],
    ['after a list and a block quote', `- a\n> q\n${run()}`, true],
    ['after a table', `| a |\n| - |\n${run()}`, true],
    ['after a definition waiting for its destination', `[a]:\n${run()}`, true],
    ['after indented code', `    code\n${run()}`, true],
    ['then a blank line and more', `${run()}\nafter\n`, true],
    ['then a setext underline (the last paragraph is a heading)', `${run()}abc\n===\n`, true],
    ['then a delimiter row (the last paragraph line is a table head)', `${run()}abc\n| - |\n`, true],
    ['then an indented line (it goes on with the last paragraph)', `${run()}abc\n    more\n`, true],
    ['then a line with a trailing space', `${run()}abc \n`, true],
    ['a short last line', `${run()}ab\n`, true],
    ['a delimiter row without pipes between runs (a table)', `${run()}ab\n:-\n${run()}`, true],
    ['a table head with a pipe between runs', `${run()}a | b\n:-|-\n${run()}`, true],
    ['inside a directive container', `:::note\n${run()}:::\n`, true],
    ['inside a block quote (ends it)', `> q\n${run()}`, true],
    ['inside a fenced code block', `\`\`\`\n${run()}\`\`\`\n`, false],
    ['inside HTML (type 6)', `<div>\n${run()}`, false],
    ['inside an HTML comment', `<!--\n${run()}-->\n`, false],
    ['inside frontmatter', `---\n${run()}---\n`, false],
    ['too short', run(3), false],
    [
      'paragraph lines that start a block (not taken)',
      '::n\n# h\n- l\n> q\n1. x\n    c\n[a]: u\n*x\n'.repeat(3),
      false,
    ],
    [
      'paragraph lines decoded or read as more (not taken)',
      '::n\na\\*b\na &amp; b\na | b\n<b>x\n:-\na\tb\n'.repeat(3),
      false,
    ],
    ['leaf directives with more (not taken)', '::n[l]\n::n{a=1}\n::n \n::-n\n::n-\n :: n\n'.repeat(4), false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
  });

  it.each([
    ['one run', run(), true],
    ['without a last line ending', run().slice(0, -1), true],
    ['with CRLF', run().replace(/\n/g, '\r\n'), true],
    ['ending in a leaf directive', `${run()}::end\n`, true],
    ['then a blank line', `${run()}\n`, false],
    ['after a paragraph', `para\n${run()}`, false],
  ])('a text that is %s is built without micromark', (_name, text, alone) => {
    const tree = leavesAlone(text, findLeafRuns(text));
    expect(tree !== null).toBe(alone);
    if (tree !== null) expect(tree).toEqual(parse(text));
  });

  it('generated mixes read as micromark reads them, alone, through the stand-in and in chunks', () => {
    const leaves = ['::name', '::a', '::x-1', '::b_c'];
    const plain = [':name[', 'text:name[', ']:name]:name:name', 'ab', 'a b c', 'xé😀', 'x ]', ':a-b', 'é😀'];
    const others = ['', ' ', '# h', '- l', '> q', '===', '---', '| a |', '| - |', ':-', '    c', '```', '~~~'];
    others.push(
      'a | b',
      ':-|-',
      '-:',
      ':::note',
      ':::',
      '<div>',
      '<!--',
      '-->',
      '[a]: u',
      'a\\*',
      'a &amp;',
      'tail ',
      '::n[l]',
      '::n{a=1}',
    );
    const random = seededRandom(11);
    let used = 0;
    let alone = 0;
    for (let k = 0; k < 300; k++) {
      const lines: string[] = [];
      const pure = random(5) === 0; // leaf directives and paragraph lines only, from a leaf directive
      if (pure) lines.push(leaves[random(leaves.length)]!);
      for (let j = 1 + random(5); j > 0; j--) {
        if (random(3) === 0 && !pure) lines.push(others[random(others.length)]!);
        else
          for (let i = 10 + random(30); i > 0; i--)
            lines.push(
              random(3) === 0 ? leaves[random(leaves.length)]! : plain[random(plain.length - (pure ? 1 : 0))]!,
            );
      }
      const text = lines.join(random(4) === 0 ? '\r\n' : '\n') + (random(2) ? '\n' : '');
      const expected = parse(text);
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(expected);
      if (result.used) used++;
      const tree = leavesAlone(text, findLeafRuns(text));
      if (tree !== null) {
        expect(tree, JSON.stringify(text)).toEqual(expected);
        alone++;
      }
      // (parseMarkdown parses a heading's text in full, micromarkBlocks does not)
      if (!expected.children.some((node) => node.type === 'heading'))
        expect(parseMarkdown(text, 64), JSON.stringify(text)).toEqual(expected);
    }
    expect(used).toBeGreaterThan(100);
    expect(alone).toBeGreaterThan(20);
  }, 120_000);
});
