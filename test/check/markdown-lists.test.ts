/**
 * Runs of bullet lines nested deep by indentation, built without micromark's list construct
 * (engine/document/markdown-lists.ts): the tree is the one micromark makes of the text as it is,
 * or the text is left to micromark. Compared on the pathological nest, siblings, lazy lines,
 * changes of bullet, the lines around a run, code and containers, then on generated runs.
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { findListRuns, restoreLists } from '../../engine/document/markdown-lists.js';
import { runsAsFences } from '../../engine/document/markdown-stand-ins.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from '../helpers/generate.js';

/** Blocks only, as markdown.ts parses them (inline constructs off). */
const parse = (text: string): Root => micromarkBlocks(text);

function fast(text: string): { tree: Root; used: boolean } {
  const runs = findListRuns(text);
  if (runs.length === 0) return { tree: parse(text), used: false };
  const tree = parse(runsAsFences(text, runs));
  return restoreLists(tree, runs, text) ? { tree, used: true } : { tree: parse(text), used: false };
}

/** CommonMark's pathological nest: each line indented one space more. */
const staircase = (n: number, bullet = '*'): string =>
  Array.from({ length: n }, (_, i) => `${' '.repeat(i)}${bullet} a`).join('\n');
/** Each line indented two more: one level deeper every line. */
const deep = (n: number): string => Array.from({ length: n }, (_, i) => `${' '.repeat(2 * i)}- w${i}`).join('\n');

describe('lists nested deep by indentation', () => {
  it.each([
    ['the staircase (siblings, lazy lines, nests)', `${staircase(120)}\n`, true],
    ['at the end without a line ending', staircase(120), true],
    ['a level deeper every line', `${deep(40)}\n`, true],
    ['back out, then deeper again', `${deep(30)}\n- top\n${deep(30)}\n`, true],
    ['bullets that change (new lists)', `${deep(20)}\n${deep(20).replaceAll('-', '+')}\n`, true],
    ['between paragraphs', `para\n\n${staircase(120)}\n\nafter\n`, true],
    [
      'two spaces after the bullet',
      `${Array.from({ length: 30 }, (_, i) => `${' '.repeat(3 * i)}-  w`).join('\n')}\n`,
      true,
    ],
    ['then a list item after a blank line (the list goes on, loose)', `${staircase(120)}\n\n* b\n`, true],
    [
      'nests one after another, blank lines between (one loose list)',
      `${staircase(100)}\n\n${staircase(100)}\n\n\n${staircase(100)}\n`,
      true,
    ],
    ['then another bullet after a blank line (a new list)', `${staircase(120)}\n\n- b\n`, true],
    ['then an item indented 2 after a blank line (the item goes on)', `${staircase(120)}\n\n  * b\n`, false],
    ['then an indented line after a blank line', `${staircase(120)}\n\n    more\n`, false],
    ['then a paragraph line at once', `${staircase(120)}\nmore\n`, false],
    ['after a list item and a blank line (a list, then another)', `- x\n\n${staircase(120)}\n`, true],
    ['after a list item that goes on and a blank line', `- x\n  more\n\n${staircase(120)}\n`, false],
    ['after an indented line and a blank line', `    x\n\n${staircase(120)}\n`, false],
    ['after a paragraph line at once', `para\n${staircase(120)}\n`, false],
    ['inside a fenced code block', `\`\`\`\n\n${staircase(120)}\n\n\`\`\`\n`, false],
    ['inside a directive container', `:::note\n\n${staircase(120)}\n\n:::\n`, true],
    ['with punctuation (not taken)', `${deep(30).replaceAll('w', 'w.')}\n`, false],
    ['a task item (not taken)', `${deep(30)}\n${' '.repeat(60)}- [ ] t\n`, false],
    ['too shallow', `${deep(5)}\n`, false],
  ])('%s', (_name, text, used) => {
    const result = fast(text);
    expect(result.tree).toEqual(parse(text));
    expect(result.used).toBe(used);
  });

  it('generated runs and the lines around them read as micromark reads them', () => {
    const others = ['', 'text', '    x', '# h', '> q', '- l', '```', ':::note', ':::', '1. n', '***', '---'];
    const words = ['a', 'b c', '1 2', 'x9'];
    const random = seededRandom(13);
    let used = 0;
    for (let k = 0; k < 150; k++) {
      const parts: string[] = [];
      for (let j = 1 + random(4); j > 0; j--) {
        if (random(3) > 0) {
          parts.push(others[random(others.length)]!);
          continue;
        }
        // A walk of indentation: mostly into the last item (at its content column, or a little
        // past it), sometimes a sibling or a lazy line (4 or more past), sometimes back out.
        const lines: string[] = [];
        let indent = random(4);
        let content = 0;
        const bullet = '-*+'[random(3)]!;
        for (let i = 16 + random(24); i > 0; i--) {
          const step = random(20);
          if (lines.length > 0)
            indent =
              step < 14
                ? content + random(3)
                : step < 16
                  ? indent
                  : step < 18
                    ? Math.max(0, indent - random(12))
                    : indent + 4 + random(3);
          const spaces = 1 + random(4);
          content = indent + 1 + spaces;
          const mark = random(15) === 0 ? '-*+'[random(3)]! : bullet;
          lines.push(`${' '.repeat(indent)}${mark}${' '.repeat(spaces)}${words[random(words.length)]}`);
        }
        parts.push(lines.join('\n'));
      }
      const text = parts.join(random(2) ? '\n\n' : '\n') + (random(2) ? '\n' : '');
      const result = fast(text);
      expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
      if (result.used) used++;
    }
    expect(used).toBeGreaterThan(10);
  }, 60_000);

  it('the staircase of 1,000 lines is read in a blink, as one nest', () => {
    const text = `${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}* a`).join('\n')}\n`;
    const started = performance.now();
    const tree = parseMarkdown(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(tree.children.map((c) => c.type)).toEqual(['list']);
  });
});
