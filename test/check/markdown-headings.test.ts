/**
 * ATX headings read without micromark (engine/document/markdown-headings.ts), in the first column
 * and indented 1 to 3 spaces: which lines are taken, and the whole parse's tree against
 * micromark's, listed and generated.
 */
import { describe, expect, it } from 'vitest';
import { findHeadingRuns } from '../../engine/document/markdown-headings.js';
import { parseMarkdown } from '../../engine/document/markdown.js';
import { expectSame, expectSameOfLines } from '../helpers/same-blocks.js';

/** The lines taken as headings, as written. */
const taken = (text: string): string[] => findHeadingRuns(text).map((run) => text.slice(run.start, run.end));

describe('ATX headings', () => {
  it.each([
    ['in the first column', '# a\n## b c\n', ['# a', '## b c']],
    ['indented 1 to 3 spaces', ' # a\n  ## b\n   ### c ###  \n', [' # a', '  ## b', '   ### c ###  ']],
    ['indented 4 (code)', '    # a\n', []],
    ['after a paragraph, indented (it interrupts it)', 'Some prose.\n  # h\n', ['  # h']],
    ['after a list item, indented as far as its content (in the item)', '- a\n  # h\n', []],
    [
      'after a list item, indented less than its content (not taken: where the content starts is not looked at)',
      '- a\n # h\n',
      [],
    ],
    ['after a list item and a blank line, indented', '- a\n\n  # h\n', []],
    ['after a list item and a line in the first column after a blank line', '- a\n\nSome prose.\n  # h\n', ['  # h']],
    ['after a list item and a heading in the first column', '- a\n# h\n  # i\n', ['# h', '  # i']],
    ['after a list item and a lazy line', '- a\nb\n  # h\n', []],
    ['after a block quote (it ends it)', '> a\n  # h\n', ['  # h']],
    ['after a footnote definition', '[^f]: a\n  # h\n', []],
    ['after a tab-indented line going on with a paragraph (no item open)', 'Some prose.\n\tb\n  # h\n', ['  # h']],
    ['after a tab-indented line in an item', '- a\n\tb\n  # h\n', []],
    ['in fenced code', '```\n  # h\n```\n', []],
    ['with escapes and references', '  # a \\* &amp; b\n', ['  # a \\* &amp; b']],
  ])('%s', (_name, text, headings) => {
    expect(taken(text)).toEqual(headings);
    expectSame(text);
    expectSame(`${text}\n`.repeat(20));
  });

  it('an indented heading has the position and text micromark gives it', () => {
    const [heading] = parseMarkdown('  ## Restart *now* ##  \n').children;
    expect(heading).toMatchObject({
      type: 'heading',
      depth: 2,
      position: { start: { line: 1, column: 3, offset: 2 }, end: { line: 1, column: 24, offset: 23 } },
      children: [{ type: 'text', value: 'Restart now' }],
    });
  });

  it('generated documents of headings, indented or not, and the blocks around them', () => {
    const lines = [
      '# h',
      ' # h',
      '  ## h',
      '   ### h ##',
      '    # code',
      '  #',
      '  #x',
      'Some prose.',
      '  text',
      '- a',
      '  - b',
      '1. n',
      '> q',
      '  > q',
      '[^f]: n',
      '```',
      '<div>',
      '| a |',
      ':::note',
      ':::',
      '\t# h',
      '',
      '',
    ];
    expectSameOfLines(lines, 71, 2, 10, 600);
  }, 60_000);
});
