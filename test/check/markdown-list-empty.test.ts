/**
 * Empty list items (`-`, `1.`, `-   `: nothing but spaces after the marker), read by the list
 * reader (engine/document/markdown-lists.ts) as micromark reads them: no children, a blank line
 * right after one ends it, text right after it in its content column is its first paragraph, and
 * it interrupts no paragraph. A list holding one was micromark's whole, about 150 µs an item.
 */
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';
import { findListRuns } from '../../engine/document/markdown-lists.js';
import { fast, parse } from '../helpers/list-runs.js';

describe('empty list items', () => {
  it.each([
    ['alone', '-\n', true],
    ['alone, no line ending', '-', true],
    ['spaces after the marker (in the item)', '-   \n', true],
    ['more than 4 spaces after the marker', '-      \n', true],
    ['ordered', '1.\n', true],
    ['ordered with `)`, a larger number', '12)\n', true],
    ['indented', '  -\n', true],
    ['two', '-\n-\n', true],
    ['between items', '- a\n-\n- b\n', true],
    ['between ordered items', '1. a\n2.\n3. b\n', true],
    ['a loose list', '- a\n\n-\n\n- b\n', true],
    ['a loose list ending with one', '- a\n\n- b\n\n-', true],
    ['a new list (another bullet)', '- a\n*\n', true],
    ['then text in its content column (its paragraph, tight)', '-\n  c\n', true],
    ['with spaces after the marker, then its paragraph', '-      \n  c\n', true],
    ['ordered, then its paragraph', '1.\n   c\n', true],
    ['then text 2 past its content (its paragraph)', '-\n    c\n', true],
    ['then its paragraph and a lazy line', '-\n  c\n d\n', true],
    ['then its paragraph, a blank line and another', '-\n  c\n\n  d\n', true],
    ['then a nested item', '-\n  - b\n', true],
    ['then a nested ordered item of any number', '-\n  2. b\n', false],
    ['then a nested empty item', '-\n  -\n', true],
    ['then fenced code in it', '-\n  ~~~\n  x\n  ~~~\n', true],
    ['then a sibling after its paragraph', '- a\n-\n  b\n- c\n', true],
    ['a sibling of a nested item, then a paragraph in the outer', '- a\n  - b\n  -\n  c\n', true],
    ['a sibling of a nested item, a blank line, a paragraph in the outer', '- a\n  - b\n  -\n\n  c\n', true],
    ['then a blank line and an item 2 in (a sibling)', '-\n\n  - b\n', false],
    ['then text in the first column (a paragraph after the list)', '-\nc\n', false],
    ['then a blank line and text in its column (a paragraph after the list)', '-\n\n  c\n', false],
    ['then indented code in it', '-\n      c\n', false],
    ['then a heading', '-\n# h\n', true],
    ['after a heading', '# h\n-\n', true],
    ['after a paragraph and a blank line', 'a\n\n-\n', true],
    ['after a footnote definition', '[^x]: b\n-\n', true],
    ['under a paragraph: a setext underline', 'a\n-\n', false],
    ["under an item's paragraph, in it: a setext underline", '- a\n  -\n', false],
    ["under an item's paragraph, in it: text going on", '- a\n  *\n', false],
    ["under an item's lazy line, in it", '- a\nb\n  *\n', false],
    ['under a paragraph in an item, in it', '- a\n\n  b\n  1.\n', false],
    ['after a nested item, in the outer item (a new list there)', '- a\n  - b\n  *\n', true],
    ["inside a block quote (micromark's)", '> -\n> - a\n', false],
    ["nested on the item's line (micromark's)", '- -\n', false],
  ])('%s', (_name, text, taken) => {
    // Whether the reader takes the empty item (a run's first or last line of 1 or 2 characters
    // cannot be written over by a stand-in: such a short run is micromark's, a long one is built
    // apart, markdown.ts's parseAround, as parseMarkdown builds every run of these texts).
    expect(findListRuns(text).some((run) => run.lines.some((line) => line.empty))).toBe(taken);
    expect(fast(text).tree).toEqual(parse(text));
    expect(parseMarkdown(text, 1), JSON.stringify(text)).toEqual(parse(text, true));
    expect(parseMarkdown(`${text}\n\n\`\`\`\nx\n\`\`\`\n`), JSON.stringify(text)).toEqual(
      parse(`${text}\n\n\`\`\`\nx\n\`\`\`\n`, true),
    );
  });

  it('generated lists with empty items among other blocks read as micromark reads them, whole and in small chunks', () => {
    const words = ['a', 'b c', 'x \\* y', '- k', '1. j', '```', '# h'];
    const around = ['para', 'two\nlines', '# h', '***', '> q', '    code', '[^f]: n', '```\nx\n```', '-', '  -'];
    const random = seededRandom(Number(process.env.SEED ?? 41));
    let used = 0;
    let empties = 0;
    for (let k = 0; k < 500; k++) {
      const parts: string[] = [];
      for (let j = 1 + random(4); j > 0; j--) {
        if (random(4) === 0) {
          parts.push(around[random(around.length)]!);
          continue;
        }
        const lines: string[] = [];
        let content = 0;
        let empty = false;
        for (let i = 1 + random(8); i > 0; i--) {
          if (lines.length > 0 && random(4) === 0) {
            // Text after a blank line or not: at the content, near it, past it, or lazily.
            if (random(3) === 0) lines.push('');
            const step = random(8);
            const indent = step < 4 ? content : step < 6 ? random(content + 2) : content + 1 + random(5);
            lines.push(`${' '.repeat(indent)}${words[random(random(3) === 0 ? words.length : 2)]}`);
            continue;
          }
          if (lines.length > 0 && random(4) === 0) lines.push('');
          const step = random(6);
          const indent = lines.length === 0 || step < 3 ? 0 : step < 5 ? content : random(content + 1);
          const mark = random(3) === 0 ? `${1 + random(2)}${random(4) ? '.' : ')'}` : '-*'[random(2)]!;
          empty = random(2) === 0;
          content = indent + mark.length + 1;
          const after = empty ? ' '.repeat(random(4) === 0 ? 1 + random(6) : 0) : ` ${words[random(2)]}`;
          lines.push(`${' '.repeat(indent)}${mark}${after}`);
        }
        if (empty && random(3) === 0)
          lines.push(`${' '.repeat(content)}~~~\n${' '.repeat(content)}x\n${' '.repeat(content)}~~~`);
        parts.push(lines.join('\n'));
      }
      const text = parts.join(random(3) ? '\n\n' : '\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) used++;
      if (findListRuns(text).some((run) => run.lines.some((line) => line.empty))) empties++;
      if (k % 3 === 0) expect(parseMarkdown(text, 1 + random(64)), JSON.stringify(text)).toEqual(parse(text, true));
    }
    expect(used).toBeGreaterThan(100);
    expect(empties).toBeGreaterThan(60);
  }, 120_000);
});
