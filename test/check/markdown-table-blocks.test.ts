/**
 * Small GFM tables of plain cells built without micromark (engine/document/markdown-table-blocks.ts)
 * as parts of prose runs (markdown-prose.ts): the tree is the one micromark makes of the text as
 * it is, key for key (JSON), or the table is left to micromark. Compared on the cell shapes
 * (pipes, spaces, empty cells, alignment), where a table may start and end, the shapes near them
 * that micromark reads otherwise, then on generated mixes with the other prose shapes, and
 * through the whole parse.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { findTableRuns } from '../../engine/document/markdown-table-blocks.js';
import { findRowRuns } from '../../engine/document/markdown-tables.js';
import { seededRandom } from '../helpers/generate.js';
import { expectReadAsMicromark, readStandingIn } from '../helpers/stand-in.js';

const parse = (text: string, first = false): Root => micromarkBlocks(text, first);

/** The text read with its prose runs standing in gives micromark's tree, key order and all; `built` tables. */
function expectSame(text: string, built: number): void {
  expectReadAsMicromark(text, 'table', built);
  expect(JSON.stringify(readStandingIn(text, 'table').tree), JSON.stringify(text)).toBe(JSON.stringify(parse(text)));
}

describe('tables of plain cells', () => {
  it.each([
    ['one cell', '| a |\n| - |\n', 1],
    ['no spaces', '|a|\n|-|\n', 1],
    ['at the end, no line ending', '| a |\n| - |', 1],
    ['the delimiter row last, no line ending', '| a | b |\n|---|:-:|', 1],
    ['two columns, body rows', '| a | b |\n| - | - |\n| c | d |\n| e | f |\n', 1],
    ['alignment', '| a | b | c | d |\n|:-|-:|:-:|---|\n| 1 | 2 | 3 | 4 |\n', 1],
    ['alignment with spaces and long fillers', '|  a  |  b  |\n|  :----  |  ------:  |\n', 1],
    ['no trailing pipe on the head', '| a | b\n| - | - |\n', 1],
    ['no trailing pipe on the delimiter row', '| a | b |\n| - | -\n', 1],
    ['no trailing pipe on the delimiter row, spaces after', '| a | b |\n|:-|-:   \n', 1],
    ['no trailing pipes anywhere', '| a | b\n| - | -\n| c | d\n', 1],
    ['trailing spaces after the last pipe', '| a |   \n| - |  \n| b |    \n', 1],
    ['spaces inside cells kept', '|  a  b   |  c d |\n| - | - |\n|   x  y | z |\n', 1],
    ['empty head cells', '|| a |\n|-|-|\n', 1],
    // Lines of 2 characters: no stand-in can be written over them (read apart only, expectReadAsMicromark).
    ['a head of one empty cell', '||\n|-|\n', 0],
    ['a head of one empty cell, longer lines', '||  \n|-|\n|x|\n', 1],
    ['a head of spaces between pipes', '|   |\n| - |\n', 1],
    ['empty body cells', '| a | b | c |\n| - | - | - |\n| | | |\n||x||\n|  |  |\n', 1],
    ['body rows of other widths', '| a | b |\n| - | - |\n| x |\n| x | y | z | w |\n', 1],
    ['body rows of one pipe, or a pipe and spaces', '| a |\n| - |\n|\n|   \n| b |\n', 1],
    ['a body row with a cell after the last pipe', '| a | b |\n| - | - |\n| x | y\n|x \n', 1],
    ['body rows like delimiter rows', '| a |\n| - |\n|-|\n| :-: |\n', 1],
    [
      'cells of punctuation and markup',
      '| * | _ | ` |\n| - | - | - |\n| [a] | <b> | ~~c~~ |\n| # h | > q | - l |\n',
      1,
    ],
    ['cells like task items and footnote calls', '| [ ] a | [^b] |\n| - | - |\n| [x] | :a[b] |\n', 1],
    ['cells past ASCII', '| ü 日本 | 😀 |\n| - | - |\n| \u00a0x\u00a0 | é |\n', 1],
    ['tables between blank lines', '| a |\n| - |\n\n| b |\n| - |\n\n\n| c |\n|:-:|\n', 3],
    ['a blank line of spaces after it', '| a |\n| - |\n   \nafter\n', 1],
    ['after a paragraph and a blank line', 'Some prose.\n\n| a |\n| - |\n\nMore.\n', 1],
    ['after a heading', '# h\n| a |\n| - |\n', 1],
    ['after a heading with a closing sequence', '## h ##\n| a |\n| - |\n', 1],
    ['after a thematic break', '***\n| a |\n| - |\n', 1],
    ['after a leaf directive', '::a\n| a |\n| - |\n', 1],
    ['after a leaf directive with attributes', '::a[b]{c=d}\n| a |\n| - |\n', 1],
    ['after a comment', '<!-- c -->\n| a |\n| - |\n', 1],
    ['after a list and a blank line', '- a\n- b\n\n| a |\n| - |\n', 1],
    ['after a loose list item’s paragraph', '- a\n\n  b\n\n| a |\n| - |\n', 1],
    ['after a block quote and a blank line', '> q\n\n| a |\n| - |\n', 1],
    ['after a fence', '```\nx\n```\n\n| a |\n| - |\n', 1],
    ['after a fence, no blank line (not taken: not where the finder starts one)', '```\nx\n```\n| a |\n| - |\n', 0],
    ['after a list item holding an open fence, and a blank line', '- a\n  ```\n  x\n\n| a |\n| - |\n', 0],
    ['after a footnote holding an open fence, and a blank line', '[^a]: b\n    ```\n    x\n\n| a |\n| - |\n', 1],
    ['in a container, after a blank line', ':::note\n\n| a |\n| - |\n\n:::\n', 1],
    ['in a container, right after its opening (not where the finder starts one)', ':::note\n| a |\n| - |\n\n:::\n', 0],
    ['in a container, with prose', ':::note\ntext\n\n| a | b |\n|:-|-:|\n| c | d |\n\n- x\n:::\n', 1],
    ['then the frontmatter’s next chunk', '| a |\n| - |\n\n---\n', 1],
    // Not taken.
    ['then a line that goes on as a row', '| a |\n| - |\nmore\n', 0],
    ['then a heading', '| a |\n| - |\n# h\n', 0],
    ['then a list item', '| a |\n| - |\n- b\n', 0],
    ['then a block quote', '| a |\n| - |\n> b\n', 0],
    ['then a fence', '| a |\n| - |\n```\nx\n```\n', 0],
    ['then a leaf directive', '| a |\n| - |\n::a\n', 0],
    ['then a closing container line', ':::note\n| a |\n| - |\n:::\n', 0],
    ['a body row indented', '| a |\n| - |\n | b |\n', 1],
    ['a head of one pipe (no table)', '|\n|-|\n', 0],
    ['a head of a pipe and spaces (no table)', '|   \n|-|\n', 0],
    ['more head cells than delimiter cells (no table)', '| a | b |\n| - |\n', 0],
    ['fewer head cells than delimiter cells (no table)', '| a |\n| - | - |\n', 0],
    ['an empty delimiter cell (no table)', '| a | b | c |\n| - || - |\n', 0],
    ['a delimiter cell of spaces (no table)', '| a | b | c |\n| - |   | - |\n', 0],
    ['a lone colon (no table)', '| a |\n| : |\n', 0],
    ['colons inside the dashes (no table)', '| a |\n| -:- |\n', 0],
    ['spaces inside the dashes (no table)', '| a |\n| - - |\n', 0],
    ['no delimiter row', '| a |\n| b |\n', 0],
    ['a head alone', '| a |\n', 0],
    ['a head without a leading pipe', 'a | b\n| - | - |\n', 0],
    ['a delimiter row without a leading pipe', '| a | b |\n- | -\n', 0],
    ['a delimiter row indented', '| a |\n | - |\n', 1],
    ['a head indented', ' | a |\n| - |\n', 1],
    ['each row indented its own way, 1 to 3 spaces', '  | a | b |\n   | - | :-: |\n | c | d |\n|e|f|\n', 1],
    ['indented after a heading', '# h\n   | a |\n   | - |\n', 1],
    ['indented after a closed list', '- x\n\na\n\n  | a |\n  | - |\n', 1],
    ['indented after a list item (in the item: not taken)', '- x\n\n  | a |\n  | - |\n', 0],
    // An indented line where no item is open is in none: the table after it is no item's.
    ['indented after an indented HTML block', '  <div>\n\n  | a |\n  | - |\n', 1],
    [
      'indented after an indented item and an indented HTML block (in the item: not taken)',
      '  - x\n\n  <div>\n\n   | a |\n   | - |\n',
      0,
    ],
    ['indented after a list item lazily gone on (not taken)', '- x\ny\n\n | a |\n | - |\n', 0],
    ['indented after a footnote definition (not taken)', '[^x]: y\n\n  | a |\n  | - |\n', 0],
    ['a head indented 4 spaces (code: not taken)', '    | a |\n| - |\n', 0],
    ['a body row indented 4 spaces (not taken)', '| a |\n| - |\n    | b |\n', 0],
    ['after a paragraph, no blank line (not taken)', 'Some prose.\n| a |\n| - |\n', 0],
    ['after a list item, no blank line (lazy: not taken)', '- x\n| a |\n| - |\n', 0],
    ['after a block quote, no blank line (lazy: not taken)', '> x\n| a |\n| - |\n', 0],
    ['a head and delimiter row under a table: its rows', '| x |\n| - |\n| a |\n| - |\n', 1],
    ['after an HTML block tag (not taken)', '<div>\n| a |\n| - |\n\n', 0],
    ['an escaped pipe in a cell (no division, decoded)', '| a \\| b |\n| - |\n', 1],
    ['an escaped pipe in the body', '| a |\n| - |\n| b \\| c |\n', 1],
    ['a character reference in a cell', '| &amp; |\n| - |\n', 1],
    ['a character reference of a pipe (no division)', '| a &#124; b | &#x7C; |\n| - | - |\n| &nope; | &amp |\n', 1],
    ['an escaped backslash, then a pipe that divides', '| a \\\\| b |\n| - | - |\n', 1],
    ['three backslashes, then a pipe', '| a \\\\\\| b |\n| - |\n| \\\\\\\\| c |\n', 1],
    ['escapes of other marks, and a backslash kept', '| \\* \\# \\a | b\\ | \\ |\n| - | - | - |\n', 1],
    ['an escaped pipe first and last', '|\\| a \\|\n| - |\n|\\|\n', 1],
    ['an escaped last pipe: a cell of its own after it', '| a | b \\|\n| - | - |\n| c \\|   \n', 1],
    ['an escaped pipe makes a head of too few cells (no table)', '| a \\| b |\n| - | - |\n', 0],
    ['an escape in the delimiter row (not taken)', '| a |\n| \\- |\n', 0],
    ['a tab in a cell', '| a\t|\n| - |\n', 0],
    ['a tab in the delimiter row', '| a |\n|\t- |\n', 0],
    ['CRLF', '| a |\r\n| - |\r\n\r\n', 0],
    ['a NUL', '| a\0 |\n| - |\n', 0],
    ['in a fence', '```\n| a |\n| - |\n```\n', 0],
    ['in a list item', '- x\n\n  | a |\n  | - |\n', 0],
    ['in a block quote', '> | a |\n> | - |\n', 0],
  ])('%s', (_name, text, built) => {
    expectSame(text, built);
  });

  it('the frontmatter is not taken; a table after it and a blank line is', () => {
    const text = '---\na: |\n  | x |\n  | - |\n---\n\n| a |\n| - |\n';
    const { tree, built } = readStandingIn(text, 'table', true);
    expect(tree).toEqual(parse(text, true));
    expect(built).toBe(1);
    expect(findTableRuns('---\n| a |\n| - |\n---\n', true)).toEqual([]);
  });

  it('finds the rows up to the blank line, the alignment of each column', () => {
    const runs = findTableRuns('x\n\n| a | b | c |\n|:-|-:|:-:|\n| 1 |\n\n| d |\n|-|\n');
    expect(runs.map((run) => [run.lines.length, run.align])).toEqual([
      [3, ['left', 'right', 'center']],
      [2, [null]],
    ]);
  });
});

describe('generated mixes', () => {
  /** A cell's text: plain, or (rarely) what a table is not taken with. */
  const CELLS = ['a', ' a ', 'b c', '  ', '', 'x  y', '-', ':a', '*', '`a`', 'ü', '[b]', '<i>', '\\|', '&amp;'];
  CELLS.push('\\\\', '\\*', 'a \\', ' &#124; ', '\\\\\\|', '&nope;', '\\\\|', '\t');
  const ALIGNS = ['-', '---', ':-', '-:', ':-:', ' - ', '  :--:  '];

  /** A table of `columns` columns (its rows sometimes of other widths), each line in a shape GFM allows. */
  function table(random: (n: number) => number): string {
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    const plain = random(4) !== 0;
    const cell = (): string => (plain ? pick(CELLS.slice(0, -1)) : pick(CELLS));
    const row = (width: number): string => {
      let line = '|';
      for (let i = 0; i < width; i++) line += `${cell()}${i < width - 1 || random(4) !== 0 ? '|' : ''}`;
      return line + pick(['', '', '', ' ', '   ', ' x']);
    };
    const columns = 1 + random(4);
    const head = random(10) === 0 ? row(columns + 1) : row(columns);
    let delimiter = '|';
    for (let i = 0; i < columns; i++) delimiter += `${pick(ALIGNS)}${i < columns - 1 || random(3) !== 0 ? '|' : ''}`;
    if (random(12) === 0) delimiter += ' | ';
    const lines = [head, delimiter];
    for (let i = random(4); i > 0; i--) lines.push(random(6) === 0 ? row(1 + random(5)) : row(columns));
    return lines.join('\n');
  }

  const OTHERS = [
    'Some prose.',
    'para\nmore',
    '- a\n- b',
    '- a\n\n  b',
    '1. n',
    '# h',
    '## h ##',
    '> q',
    '::leaf{a=b}',
    '***',
    '<!-- c -->',
    '<div>',
    '```\ncode\n```',
    '```\n| a |\n| - |\n```',
    '    code',
    '[a]: b',
    '[^a]: note',
    ':::note',
    ':::',
    'a | b',
    '| lone row |',
    '',
  ];
  const SEPARATORS = ['\n', '\n\n', '\n\n', '\n\n\n', '\n  \n'];

  it('read as micromark reads them, standing in and read apart', () => {
    const random = seededRandom(83);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    let built = 0;
    for (let k = 0; k < 400; k++) {
      const blocks: string[] = [];
      for (let j = 2 + random(8); j > 0; j--) blocks.push(random(2) === 0 ? table(random) : pick(OTHERS));
      let text = blocks[0]!;
      for (const block of blocks.slice(1)) text += pick(SEPARATORS) + block;
      if (random(2)) text += '\n';
      const result = readStandingIn(text, 'table');
      expect(JSON.stringify(result.tree), JSON.stringify(text)).toBe(JSON.stringify(parse(text)));
      built += result.built;
      const long = `${text}\n\n${'Some prose.\n\n'.repeat(80)}${text}`;
      const whole = JSON.stringify(micromarkBlocks(long, true));
      // Read apart, and in chunks cut at every safe place after 64 characters.
      for (const every of [4096, 64])
        expect(JSON.stringify(parseMarkdown(long, every)), JSON.stringify(text)).toBe(whole);
    }
    expect(built).toBeGreaterThan(400);
  }, 120_000);

  it('long documents of tables parse as micromark parses them whole', () => {
    for (const unit of [
      '| a |\n| - |\n\n',
      '| a | b |\n|:-|-:|\n| c | d |\n\n',
      '# h\n| a |\n| - |\n\n- x\n\n',
      'p\n\n| a |\n| - |\n| b\n\n',
      '| a |\n| - |\n\n| b | c |\n| - |\n\n',
      '| a \\| b |\n| - |\n\n',
      '| a &amp; \\\\| b |\n| - | - |\n| \\| |\n\n',
    ]) {
      const text = unit.repeat(Math.ceil(40_000 / unit.length));
      expect(JSON.stringify(parseMarkdown(text)), unit).toBe(JSON.stringify(micromarkBlocks(text, true)));
    }
  }, 60_000);

  it('a table of 16 rows or more is one part, its rows not read by markdown-tables.ts too', () => {
    // Under 1 KB: standing in, not read apart, where markdown.ts also looks for runs of rows. Were
    // both to stand in, their stand-ins would overlap and the chunk be parsed again as it is: the
    // same tree, at micromark's cost (markdown.ts drops row runs inside prose runs).
    const text = `Some prose.\n\n| a | b |\n|-|-|\n${'| x | y |\n'.repeat(20)}\nafter\n`;
    expect(findRowRuns(text)).toHaveLength(1);
    expectSame(text, 1);
    expect(JSON.stringify(parseMarkdown(text))).toBe(JSON.stringify(micromarkBlocks(text, true)));
    const inContainer = `:::note\n\n${text}:::\n`;
    expect(JSON.stringify(parseMarkdown(inContainer))).toBe(JSON.stringify(micromarkBlocks(inContainer, true)));
  });
});
