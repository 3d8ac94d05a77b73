/**
 * How many parses the contents of list items take (engine/document/markdown-inner.ts, readInner):
 * a chunk's contents share one parse, up to BATCH at a time, those read alone share one where
 * they are alike, and so do those met 8 times or more. Each count is bounded so that a fall back
 * to a parse a content (tens of µs each, seconds a megabyte) fails here, and each document is
 * compared with micromark's tree of it.
 */
import { describe, expect, it } from 'vitest';
import { findItemRuns, readItemRuns } from '../../engine/document/markdown-item-runs.js';
import { parseMarkdown } from '../../engine/document/markdown.js';
import { expectSame } from '../helpers/same-blocks.js';

/** The items of `text`'s lists read here, and how many parses of contents that took (the whole parse reading them). */
function readCounted(text: string): { items: number; parses: number } {
  let parses = 0;
  const runs = readItemRuns(
    findItemRuns(text, false, (inner) => {
      parses++;
      return parseMarkdown(inner);
    }),
    text,
  );
  return { items: runs.reduce((n, run) => n + run.items.length, 0), parses };
}

describe('the parses list items take', () => {
  it.each([
    ['one-line lists', (i: number) => `- - a ${i}\n\n`],
    ['lists leaving a fence open', (i: number) => `- - ~~~ ${i}\n\n`],
    ['block quotes of two lines', (i: number) => `- > a ${i}\n  > b\n\n`],
  ])(
    '1,300 items of %s in one list (no place to cut it), unlike: read in a few batches, as micromark reads them',
    (_name, item) => {
      // A batch of every content was a tree of megabytes at 1 MB; they share parses 512 at a time.
      // (Unlike contents: alike ones are read from a kept parse, below.)
      const text = Array.from({ length: 1300 }, (_, i) => item(i)).join('');
      const { items, parses } = readCounted(text);
      expect(items).toBe(1300);
      expect(parses).toBeGreaterThanOrEqual(3);
      expect(parses).toBeLessThan(10);
      expect(expectSame(text)).toBe(true);
    },
  );

  it.each([
    ['one-line lists', '- - a\n\n'],
    ['lists leaving a fence open', '- - ~~~\n\n'],
    ['block quotes of two lines', '- > a\n  > b\n\n'],
  ])('1,300 items of %s in one list, alike: two parses for all its batches', (_name, unit) => {
    // The parses kept for alike contents serve every batch of the call (markdown-inner.ts, Kept):
    // kept a batch, they were 2 parses for each of its 512 contents (1 MB: 130 batches).
    const text = unit.repeat(1300);
    const { items, parses } = readCounted(text);
    expect(items).toBe(1300);
    expect(parses).toBe(2);
    expect(expectSame(text)).toBe(true);
  });

  it.each([
    // The separator between contents closes the container and what it left open: the contents share
    // a parse (one each was 3.5 s a megabyte of `- - ~~~`), the ends moved as one read alone has them.
    ['a list leaving a fence open', '- - ~~~\n'],
    ['a list leaving a fence open, then a heading', '- - ~~~ sql\n- - ~~~\n# h\n'],
    ['a list leaving an HTML block open (a blank line ends it)', '- - <div>\n'],
    ['a quote leaving a fence open', '- > ~~~\n'],
    ['a list of a quote leaving a container open', '1. - > :::x\n'],
    // One empty blank line after each: the code holds none of it, so the batch serves too.
    ['a list leaving a fence open, a blank line after each', '- - ~~~\n\n'],
    ['lists three deep leaving a fence open, a blank line after each', '1. - * ```sql\n\n'],
    // A comment or raw tag left open: placed from the batch too, its value given the line endings.
    ['a list leaving a comment open', '- - <!--\n'],
    ['a list leaving a raw tag open, a blank line after each', '1. - <pre>\n\n'],
    // Read alone with what follows each (InnerAfter), as only a parse of the content with it shows
    // (the code's value holds the spaces): alike contents share that parse (markdown-inner.ts, parseAlone).
    ['a list leaving a fence open, a blank line of spaces after each (read alone)', '- - ~~~\n  \n'],
  ])("items' contents alike, leaving %s in a container of their own: a parse or a few for all", (_name, unit) => {
    // 7 of them share the batch's parse, placed from it; 200 (8 or more) are read alone from a
    // kept parse (markdown-inner.ts, repeated).
    for (const [times, most] of [
      [7, 3],
      [200, 9],
    ] as const) {
      const text = unit.repeat(times);
      const { items, parses } = readCounted(text);
      // Every item read here (a copy of a parse keeps what place needs of it: movedToNext's marks).
      expect(items).toBe(text.split('\n').filter((line) => /^(?:[-*+]|\d+\.) /.test(line)).length);
      expect(parses).toBeLessThanOrEqual(most);
      expect(expectSame(text)).toBe(true);
    }
  });

  it.each([
    ['one-line lists', '- - a\n'],
    ['lists leaving a fence open, a blank line after each', '- - ~~~\n\n'],
    ['quotes of two lines', '- > a\n  > b\n'],
  ])('contents met 8 times or more (%s) among unlike ones: two parses, then copies', (_name, unit) => {
    // Read alone from a kept parse (markdown-inner.ts, repeated): copies cost less than their
    // share of the batch's parse (1 MB of `- - ~~~` and a blank line: 2.1 → 1.7 s, `> > > ~~~` 1.4 → 0.85 s).
    const text = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `- > b ${i}\n  > c\n` : unit)).join('');
    const { items, parses } = readCounted(text);
    expect(items).toBe(300);
    // One parse for the unlike contents' batch, two for the alike ones.
    expect(parses).toBe(3);
    expect(expectSame(text)).toBe(true);
  });

  it.each([
    ['a comment', (i: number) => `- - <!-- ${i}\n`],
    ['a raw tag', (i: number) => `1. * <pre> ${i}\n`],
    ['a fence', (i: number) => `- - ~~~ ${i}\n`],
    ['a fence, a blank line after it', (i: number) => `- 1. ~~~ ${i}\n\n`],
    // Empty blank lines after it: fenced code holds all but two of their line endings, an HTML
    // block every one (markdown-inner-place.ts).
    ['a fence, two blank lines after it', (i: number) => `- - ~~~ ${i}\n\n\n`],
    ['a comment, a blank line after it', (i: number) => `- - <!-- ${i}\n\n`],
    ['a raw tag, three blank lines after it', (i: number) => `* 1. <pre> ${i}\n\n\n\n`],
  ])("200 items' contents unlike, each leaving %s open in a list of its own: read in a batch", (_name, item) => {
    // The separator closes the list and the block; the block's end is moved to the next line's
    // start, an HTML block's value given the line ending it holds there (one parse each: 7.4 s a MB).
    const text = Array.from({ length: 200 }, (_, i) => item(i)).join('');
    const { items, parses } = readCounted(text);
    expect(items).toBe(200);
    expect(parses).toBeLessThan(10);
    expect(expectSame(text)).toBe(true);
  });
});
