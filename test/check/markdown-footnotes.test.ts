/**
 * Runs of one-line footnote definitions built without micromark's footnote construct
 * (engine/document/markdown-footnotes.ts): the tree is the one micromark makes of the text as it
 * is, or the text is left to micromark. Compared on nested labels, case, lines around the run,
 * code and containers, then on generated mixes.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { findFootnoteRuns, restoreFootnotes } from '../../engine/document/markdown-footnotes.js';
import { runsAsFences } from '../../engine/document/markdown-stand-ins.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';

/** Blocks only, as markdown.ts parses them (inline constructs off). */
const parse = (text: string): Root => micromarkBlocks(text);

function fast(text: string): { tree: Root; used: boolean } {
  const runs = findFootnoteRuns(text);
  if (runs.length === 0) return { tree: parse(text), used: false };
  const tree = parse(runsAsFences(text, runs));
  return restoreFootnotes(tree, runs, text) ? { tree, used: true } : { tree: parse(text), used: false };
}

const run = (n: number, line = (i: number) => `[^a]: [^b${i}]: [^C-d_]: x y${i}`): string =>
  Array.from({ length: n }, (_, i) => line(i)).join('\n');

describe('footnote definition runs', () => {
  it.each([
    ['nested, alone', `${run(20)}\n`, true],
    ['at the end without a line ending', run(20), true],
    ['one level, between paragraphs', `para\n\n${run(20, (i) => `[^n${i}]: note ${i}`)}\n\nafter\n`, true],
    ['a label among the words (text)', `${run(20, () => '[^a]: x [^b]: y')}\n`, true],
    ['then a lazy line', `${run(20)}\nmore\n`, false],
    ['then blank lines and an indented line (it goes on in the definition)', `${run(20)}\n\n\n    x\n`, false],
    ['after a paragraph line', `para\n${run(20)}\n`, false],
    ['inside a fenced code block', `\`\`\`\n\n${run(20)}\n\n\`\`\`\n`, false],
    ['inside a directive container', `:::note\n\n${run(20)}\n\n:::\n`, true],
    ['with punctuation', `${run(20, () => '[^a]: x.')}\n`, true],
    ['with an escape', `${run(20, (i) => `[^a${i}]: b \\* c`)}\n`, true],
    ['with escapes, blank lines between', `${run(20, (i) => `[^a${i}]: b \\* c \\\\ \\q\n`)}\n`, true],
    ['starting with an escape', `${run(20, () => '[^a]: \\- b')}\n`, true],
    ['with references', `${run(20, () => '[^a]: [^b]: &amp; &#42; &#x2A; &nope; & x')}\n`, true],
    ['starting with a reference', `${run(20, () => '[^a]: &gt; b')}\n`, true],
    ['ending with a backslash', `${run(20, () => '[^a]: b\\')}\n`, true],
    ['with a backtick', `${run(20, () => '[^a]: `b` c')}\n`, true],
    ['with a pipe (not taken)', `${run(20, () => '[^a]: b | c')}\n`, false],
    ['with a tab', `${run(20, () => '[^a]: b\tc')}\n`, true],
    ['labels and text of punctuation', `${run(20, (i) => `[^@]: [^a.b${i}]: [^(x)]: @ *b* _c_ #d`)}\n`, true],
    ['text starting with an inline tag, a bracket', `${run(20, () => '[^a]: <b>x</b> [y] z')}\n`, true],
    ['text starting with a heading mark (not taken)', `${run(20, () => '[^a]: # b')}\n`, false],
    ['text starting with a quote mark (not taken)', `${run(20, () => '[^a]: > b')}\n`, false],
    ['a label past ASCII (not taken: its identifier is folded)', `${run(20, () => '[^ß]: b')}\n`, false],
    ['a label with a reference (not taken)', `${run(20, () => '[^a&amp;]: b')}\n`, false],
    ['indented 1 to 3 spaces', `${run(20, (i) => `${' '.repeat(1 + (i % 3))}[^a${i}]: b`)}\n`, true],
    ['indented, after a paragraph and a blank line', `para\n\n${run(20, () => '  [^a]: b')}\n`, true],
    [
      'indented, after a list item and a blank line (in the item; not taken)',
      `- a\n\n${run(20, () => '  [^a]: b')}\n`,
      false,
    ],
    ['indented 4 spaces (code; not taken)', `${run(20, () => '    [^a]: b')}\n`, false],
    ['with trailing spaces (not taken)', `${run(20, () => '[^a]: b \\* c  ')}\n`, false],
    ['starting with a list marker (not taken)', `${run(20, () => '[^a]: - b')}\n`, false],
    ['starting with an ordered list marker (not taken)', `${run(20, () => '[^a]: 1. b')}\n`, false],
    ['starting with a fence (not taken)', `${run(20, () => '[^a]: ```b')}\n`, false],
    ['with an escaped label (not taken)', `${run(20, () => '[^a\\b]: c')}\n`, false],
    ['too short', `${run(5)}\n`, false],
    ['blank lines between', `${run(20, (i) => `[^n${i}]: note ${i}${i % 3 ? '\n' : '\n \n'}`)}\nafter\n`, true],
    ['blank lines between, then an indented line', `${run(20, (i) => `[^n${i}]: note\n`)}\n  x\n`, false],
    ['blank lines between, then a lazy line', `${run(20, (i) => `[^n${i}]: note\n`)}\n[^z]: a\nmore\n`, false],
    // A list item is a new container: it ends the definition, whatever its number.
    ['then a list item', `${run(20)}\n- c\n`, true],
    ['then an ordered item of another number than 1', `${run(20)}\n7) c\n`, true],
    ['then a list item indented 3 spaces', `${run(20)}\n   * c d\n`, true],
    ['then a task item', `${run(20)}\n- [x] c\n`, true],
    ['then a list item indented 4 spaces (it is in the definition)', `${run(20)}\n    - c\n`, false],
    ['then a list item of inline syntax (not taken)', `${run(20)}\n- *c*\n`, false],
    ['then an empty list item (not taken)', `${run(20)}\n-\n`, false],
    ['then a list item, blank lines between', `${run(20, (i) => `[^n${i}]: note\n`)}\n[^z]: a\n- c\n`, true],
    ['then a leaf directive', `${run(20)}\n::stepwise-chunk-end\n`, true],
    ['then a heading', `${run(20)}\n# h\n`, true],
    ['then an indented heading (a lazy line? not taken)', `${run(20)}\n  # h\n`, false],
    ['then a leaf directive with attributes (not taken)', `${run(20)}\n::a{b=c}\n`, false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
  });

  it('generated mixes of runs and the lines around them read as micromark reads them', () => {
    const others = [
      '',
      'text',
      '    x',
      '# h',
      '#',
      '::leaf',
      '::a[b]',
      '  # h',
      '> q',
      '- l',
      '2. l',
      '   * l m',
      '    - l',
      '- [ ] l',
      '- *l*',
      '-',
      '```',
      '~~~',
      ':::note',
      ':::',
      '[^z]: w.',
      '[^z]: w \\* v',
      '[^z]: - w',
      '    [^z]: w \\_',
      '[a]: u',
      '===',
    ];
    const lines = [
      '[^a]: x',
      '[^a]: [^b]: y z',
      '[^Q]: 1 2',
      '[^a]: [^b]: [^c]: x',
      '[^a]: b \\* c',
      '[^a]: [^b]: \\# &amp; c.',
      '[^a]: &#42; b\\',
      '[^@]: @',
      '[^a.b]: [^(c)]: *d* _e_',
      '[^a]: <b>x</b> [y]',
      '[^a]: b\tc',
      '  [^a]: b',
      '   [^a]: [^b]: c',
      ' [^@]: @',
    ];
    const random = seededRandom(3);
    let used = 0;
    for (let k = 0; k < 600; k++) {
      const parts: string[] = [];
      for (let j = 1 + random(5); j > 0; j--)
        parts.push(
          random(3) === 0
            ? `${run(16 + random(3), () => lines[random(lines.length)]! + (random(4) === 0 ? '\n' : ''))}${random(2) ? '\n' : ''}`
            : others[random(others.length)]!,
        );
      const text = parts.join('\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) used++;
    }
    expect(used).toBeGreaterThan(20);
  });

  it('parseMarkdown, in small chunks: definitions with escapes and references among lists and other blocks read as micromark reads them', () => {
    const footnotes = [
      '[^a]: b \\* c',
      '[^a]: [^b]: &amp; c\\',
      '[^a]: \\- b',
      '[^a]: &#42; b. c',
      '[^a]: b \\* c\nlazy \\_',
      '[^a]: b \\*\n    - c',
      '[^a]: - b',
      '[^a]: b | c',
      '[^@]: @ *b*',
      '[^a-b.c]: [^:]: #x',
      '[^a]: > b',
      '[^a]: # b',
      '[^a]: b\tc',
      '  [^a]: b',
      '   [^a]: b \\* c',
      '    [^a]: b',
    ];
    const others = [
      '- c',
      '- c \\* d',
      '1. c',
      '  * c',
      '    - c',
      'Some prose \\* here.',
      '# h',
      '::leaf',
      '> q \\*',
      '```\ncode\n```',
      '    code',
      ':::note',
      ':::',
    ];
    const random = seededRandom(11);
    const pick = <T>(list: readonly T[]): T => list[random(list.length)]!;
    for (let k = 0; k < 300; k++) {
      let text = '';
      for (let j = 2 + random(14); j > 0; j--)
        text +=
          (text === '' ? '' : pick(['\n', '\n', '\n\n', '\n\n\n'])) + (random(2) ? pick(footnotes) : pick(others));
      text += random(4) ? '\n' : '';
      const whole = micromarkBlocks(text, true);
      for (const every of [1, 24, 200]) expect(parseMarkdown(text, every), JSON.stringify(text)).toEqual(whole);
    }
  }, 60_000);

  it('parseMarkdown: 1 MB-like runs of definitions with an escape read as micromark reads them whole', () => {
    const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
    for (const unit of ['[^a]: b \\* c\n\n', '[^a]: b \\* c\n', '[^a]: &amp; b\n- c\n', '[^a]: b\\\n# h\n']) {
      const text = unit.repeat(Math.ceil(12_000 / unit.length));
      expect(strip(parseMarkdown(text)), unit).toEqual(strip(micromarkBlocks(text, true)));
    }
  });
});
