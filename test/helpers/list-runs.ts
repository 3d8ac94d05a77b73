/**
 * The list reader (engine/document/markdown-lists.ts) as markdown.ts uses it, for the tests that
 * compare its trees with micromark's: its runs stood in by fences, micromark's tree of the rest,
 * the runs' lists put back.
 */
import type { Root } from 'mdast';
import { expect } from 'vitest';
import { findListRuns, restoreLists } from '../../engine/document/markdown-lists.js';
import { canStandIn, runsAsFences } from '../../engine/document/markdown-stand-ins.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';
import { seededRandom } from './generate.js';

/** Blocks only, as markdown.ts parses them (inline constructs off); `first`: frontmatter read. */
export const parse = (text: string, first = false): Root => micromarkBlocks(text, first);

export function fast(text: string, first = false): { tree: Root; used: boolean } {
  // A run whose first or last line is too short to write a stand-in over is not stood in (as
  // markdown-prose.ts leaves it): a line of text going on with an item's may be.
  const runs = findListRuns(text, first)
    .map((run) => {
      // The stand-in's fence as markdown-prose.ts picks it: one no line inside closes.
      const inside = text.slice(run.lines[0]!.end, run.lines[run.lines.length - 1]!.start);
      const marker = !/(?:^|\n) {0,3}~~~/.test(inside) ? '~' : /(?:^|\n) {0,3}```/.test(inside) ? null : '`';
      return { ...run, marker } as typeof run & { marker: '~' | '`' | null };
    })
    .filter(canStandIn);
  if (runs.length === 0) return { tree: parse(text, first), used: false };
  const tree = parse(runsAsFences(text, runs), first);
  return restoreLists(tree, runs, text) ? { tree, used: true } : { tree: parse(text, first), used: false };
}

/**
 * 400 generated documents of lists among other blocks (`around`), each compared with micromark's
 * tree whole and in small chunks; how many of them the list reader took. Each item's text is one
 * of `words` or, one time in four, of `more` (none: `words` only); of its items after the first,
 * `flat` in 8 are top-level, the rest nested under the item before or 4 columns past its content.
 */
export function compareGeneratedLists(
  seed: number,
  words: readonly string[],
  more: readonly string[] | null,
  around: readonly string[],
  flat: number,
): number {
  const random = seededRandom(seed);
  let used = 0;
  for (let k = 0; k < 400; k++) {
    const parts: string[] = [];
    for (let j = 1 + random(4); j > 0; j--) {
      if (random(3) === 0) {
        parts.push(around[random(around.length)]!);
        continue;
      }
      const lines: string[] = [];
      let content = 0;
      for (let i = 1 + random(8); i > 0; i--) {
        const step = random(8);
        const indent = lines.length === 0 || step < flat ? 0 : step < 7 ? content : content + 4;
        if (lines.length > 0 && random(7) === 0) lines.push('');
        if (lines.length > 0 && random(9) === 0) lines.push(around[random(around.length)]!);
        const mark = random(3) === 0 ? `${1 + random(3)}${random(2) ? '.' : ')'}` : '-*+'[random(3)]!;
        content = indent + mark.length + 1;
        const word = more !== null && random(4) === 0 ? more[random(more.length)]! : words[random(words.length)]!;
        lines.push(`${' '.repeat(indent)}${mark} ${word}`);
      }
      parts.push(lines.join('\n'));
    }
    const text = parts.join(random(3) ? '\n\n' : '\n') + (random(2) ? '\n' : '');
    const result = fast(text);
    expect(result.tree, JSON.stringify(text)).toEqual(parse(text));
    if (result.used) used++;
    if (k % 2 === 0) expect(parseMarkdown(text, 1 + random(64)), JSON.stringify(text)).toEqual(parse(text, true));
  }
  return used;
}
