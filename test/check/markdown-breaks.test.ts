/**
 * Thematic breaks read without micromark (engine/document/markdown-breaks.ts): `***`, `___`, the
 * same with spaces or tabs between the marks (`* * *`, `_ _ _`, `- - -`, `*\t*\t*`), and `---`
 * where no paragraph may be open above it. Every break the finder takes is a thematic break in
 * micromark's tree, where it is; and the trees built with them are micromark's, on listed and
 * generated documents, and through the whole parse cut into chunks.
 */
import type { Nodes, Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { findBreakRuns } from '../../engine/document/markdown-breaks.js';
import { findProseRuns, restoreProse } from '../../engine/document/markdown-prose.js';
import { canStandIn, runsAsFences } from '../../engine/document/markdown-stand-ins.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';

const parse = (text: string, first = false): Root => micromarkBlocks(text, first);

/** The tree with the prose runs (breaks among them) stood in and built, as markdown.ts does. */
function fast(text: string, first = false): Root {
  const runs = findProseRuns(text, first, () => true).filter(canStandIn);
  if (runs.length === 0) return parse(text, first);
  const tree = parse(runsAsFences(text, runs), first);
  return restoreProse(tree, runs, text) ? tree : parse(text, first);
}

/** The node starting at `offset` that holds no other starting there (in containers too). */
function at(tree: Root, offset: number): Nodes | undefined {
  let found: Nodes | undefined;
  const visit = (node: Nodes): void => {
    if (node.position?.start.offset === offset) found = node;
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return found;
}

/** The breaks the finder takes, as `line:column-column` (offsets checked against micromark's). */
function taken(text: string, first = false): string[] {
  const tree = parse(text, first);
  return findBreakRuns(text, first).map((run) => {
    const node = at(tree, run.start + run.indent);
    expect(node?.type, `${JSON.stringify(text)} at ${run.start + run.indent}`).toBe('thematicBreak');
    expect(node?.position?.end.offset).toBe(run.end);
    const { start, end } = node!.position!;
    return `${start.line}:${start.column}-${end.column}`;
  });
}

describe('thematic breaks', () => {
  it.each([
    ['stars', '***\n', ['1:1-4']],
    ['stars with spaces between', '* * *\n', ['1:1-6']],
    ['underscores with spaces between, and after', '_ _ _  \n', ['1:1-8']],
    ['dashes with spaces between', '- - -\n', ['1:1-6']],
    ['dashes with two spaces between', '-  -  -\n', ['1:1-8']],
    ['dashes, one space among them', '-- -\n', ['1:1-5']],
    ['more than three marks', '* * * * *\n- - - -\n', ['1:1-10', '2:1-8']],
    ['tabs between the marks (a column each)', '*\t*\t*\n-\t-\t-\t\n_\t _\t_\n', ['1:1-6', '2:1-7', '3:1-7']],
    ['a tab after the marks', '***\t\n', ['1:1-5']],
    ['`- - -` under a paragraph: a break, not an underline', 'Some prose.\n- - -\n', ['2:1-6']],
    ['`* * *` closing a list of `*` items (a break before an item)', '* a\n* * *\n* b\n', ['2:1-6']],
    ['`- - -` closing a list', '- a\n- - -\n- b\n', ['2:1-6']],
    ['`- - -` closing a block quote', '> a\n- - -\n', ['2:1-6']],
    ['`- - -` closing a footnote definition', '[^a]: b\n- - -\n', ['2:1-6']],
    ['`- - -` after indented code', '    code\n- - -\n', ['2:1-6']],
    ['`---` after a blank line', 'Some prose.\n\n---\n', ['3:1-4']],
    ['`---` after a line of spaces', 'Some prose.\n  \n---\n', ['3:1-4']],
    ['`---` with trailing spaces and tabs after a blank line', 'a\n\n--- \t\n', ['3:1-6']],
    ['`---` after a heading', '# h\n---\n', ['2:1-4']],
    ['`---` after a leaf directive', '::name\n---\n', ['2:1-4']],
    ['`---` after a comment', '<!-- c -->\n---\n', ['2:1-4']],
    ['`---` after a break, and after that', '***\n---\n---\n', ['1:1-4', '2:1-4', '3:1-4']],
    ['`---` first in a chunk after the first', '---\nSome prose.\n', ['1:1-4']],
    ['`---` after a list and a blank line', '- a\n\n---\n', ['3:1-4']],
    ['`---` after fenced code', '```\nx\n```\n---\n---\n', ['4:1-4', '5:1-4']],
    ['`---` after fenced code in a list item', '- a\n\n  ```\n  x\n  ```\n---\n', ['6:1-4']],
    // A line starting `<` may open an HTML block of types 6 or 7: the lines after it up to a blank
    // one are left to micromark (OPAQUE), an HTML block of types 1 to 5 ended on one of them too.
    ['`---` after an HTML comment of lines (not taken)', '<!--\na\n-->\n---\n', []],
    ['`---` after an HTML block of type 1 (not taken)', '<pre>\na\n</pre> b\n---\n', []],
    // Not taken: a setext underline, frontmatter, or read elsewhere.
    ['`---` under a paragraph: a setext underline', 'Some prose.\n---\n', []],
    ['`---` under a setext heading (left to micromark)', 'a\n---\n---\n', []],
    ['`---` under a list item (a break, left to micromark)', '- a\n---\n', []],
    ['`---` under a quote (a break, left to micromark)', '> a\n---\n', []],
    ['`- - a`: a nested list', '- - a\n', []],
    ['`* * a`: a nested list', '* * a\n', []],
    ['`- -`: two marks, a nested list', '- -\n', []],
    ['indented breaks', ' - - -\n   * * *\n  ***\n', ['1:2-7', '2:4-9', '3:3-6']],
    ['indented `---` after a blank line', 'Some prose.\n\n  ---\n', ['3:3-6']],
    ['indented `---` under a paragraph (a setext underline; not taken)', 'Some prose.\n  ---\n', []],
    ['indented after a list item (in it; not taken)', '- a\n  ***\n', []],
    ['indented after a list item and a blank line (in it; not taken)', '- a\n\n  ***\n', []],
    ['indented after a list item and a line in the first column', '- a\n\nSome prose.\n  ***\n', ['4:3-6']],
    ['indented 4 (code; not taken)', 'Some prose.\n\n    ***\n', []],
    ['a tab before: indented code', '\t- - -\n', []],
    ['mixed marks: a list', '- * -\n', []],
    ['a break in a fence', '```\n- - -\n\n---\n```\n', []],
    ['a break in an HTML block of type 6', '<div>\n- - -\n', []],
    ['a break after a table row', '| a |\n| - |\n- - -\n', []],
    ['a carriage return after it (left to micromark)', '- - -\r\n', []],
  ])('%s', (_name, text, breaks) => {
    expect(taken(text)).toEqual(breaks);
    expect(fast(text)).toEqual(parse(text));
  });

  it.each([
    ['frontmatter', '---\na: b\n---\n\n---\n', ['5:1-4']],
    ['frontmatter of one blank line', '---\n\n---\n\n---\n', ['5:1-4']],
    ['`---` right after the frontmatter, and after that', '---\na: b\n---\n---\n---\n', ['4:1-4', '5:1-4']],
    ['empty frontmatter, then breaks', '---\n---\n---\n---\n', ['3:1-4', '4:1-4']],
    ['`---` first, no frontmatter closing it (left to micromark)', '---\n\nSome prose.\n', []],
    ['`- - -` first: no frontmatter', '- - -\na: b\n- - -\n', ['1:1-6', '3:1-6']],
  ])('in the first chunk: %s', (_name, text, breaks) => {
    expect(taken(text, true)).toEqual(breaks);
    expect(fast(text, true)).toEqual(parse(text, true));
  });

  it('generated documents read as micromark reads them', () => {
    const breaks = [
      '***',
      '* * *',
      '_ _ _',
      '- - -',
      '-  -  -',
      '-- -',
      '*\t*\t*',
      '- -\t-\t',
      '---',
      '---',
      '----  ',
      '___',
      ' - - -',
      '   * * *',
      '  ***',
      '  ---',
      '   ___  ',
      '  - - -',
      '- - a',
      '* * a',
      '- -',
      '--',
      '- * -',
      '=',
      '===',
    ];
    const others = [
      'Some prose.',
      'x y z',
      'a \\* b',
      '# h',
      '::leaf',
      '> q',
      '> q\nlazy',
      '- a',
      '* a',
      '- a\n  b',
      '1. a',
      '- a\n\n  b',
      '[^a]: b',
      // Not last: micromark reads an item of `-` after indented code as a paragraph `-` (the code
      // may go on), but a nested empty item after the break markdown-indented.ts stands in with.
      '    code\n\nSome prose.',
      '```\ncode\n```',
      '```\n- - -\n',
      '<!--\nc\n-->',
      '- a\n\n  ```\n  x\n  ```',
      '<div>',
      '<!-- c -->',
      '| a |\n| - |',
      ':::note',
      ':::',
      '[d]: /u',
    ];
    const random = seededRandom(59);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    let count = 0;
    for (let k = 0; k < 600; k++) {
      const parts: string[] = [];
      for (let j = 2 + random(10); j > 0; j--) parts.push(random(2) ? pick(breaks) : pick(others));
      let text = '';
      for (const part of parts) text += (text === '' ? '' : pick(['\n', '\n', '\n\n', '\n  \n'])) + part;
      text += random(4) ? '\n' : '';
      // A first line of `---` that no `---` closes (no frontmatter) makes micromark read later
      // list items and quotes as paragraphs, which no reader here follows: not generated.
      if (/^-{3,}[ \t]*(?:\n|$)/.test(text)) text = `Some prose.\n\n${text}`;
      const first = random(2) === 0;
      count += taken(text, first).length;
      expect(fast(text, first), JSON.stringify(text)).toEqual(parse(text, first));
      if (k % 4 === 0)
        for (const every of [1, 24])
          expect(parseMarkdown(text, every), JSON.stringify(text)).toEqual(parse(text, true));
    }
    expect(count).toBeGreaterThan(800);
  }, 120_000);

  it("breaks after a fence opened on an item's line read as micromark reads them", () => {
    // markdown-literal.ts does not follow a fence opened on an item's line: it takes the item's
    // closing fence for an opening one, and the last fence for a closing one, before breaks that
    // micromark reads as code. The parse still reads them as micromark does (a stand-in is not
    // found, a piece read apart goes on into the run after it), long or short.
    for (const unit of ['- - -\n\n', '***\n', '---\n\n']) {
      for (const count of [3, 300]) {
        const text = `- \`\`\`\n  x\n  \`\`\`\n\n\`\`\`\n${unit.repeat(count)}`;
        const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
        expect(strip(parseMarkdown(text)), unit).toEqual(strip(micromarkBlocks(text, true)));
      }
    }
  });

  it('long runs of breaks read apart from micromark read as micromark reads them whole', () => {
    // Each run's first line, and the line after its last, read apart from it: `---` after a
    // setext heading, a footnote, a list item, a quote, indented code or a fence is a break there.
    for (const unit of [
      '- - -\n\n',
      '* * *\n',
      '_ _ _\n\n',
      '---\n\n',
      'a\n- - -\n',
      '- a\n* * *\n',
      '# h\n---\n',
      'a\n---\n---\n\n',
      '[^a]: b\n---\n',
      '- a\n---\n',
      '> a\n---\n',
      '    code\n---\n',
      '```\nx\n```\n---\n',
      '| a |\n| - |\n- - -\n\n',
    ]) {
      const text = unit.repeat(Math.ceil(12_000 / unit.length));
      const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
      expect(strip(parseMarkdown(text)), unit).toEqual(strip(micromarkBlocks(text, true)));
    }
  }, 60_000);
});
