/**
 * SourceMap (engine/document/position.ts) finds an offset on the line of its last lookup, or the
 * next, without a binary search: every point is the one a search of the whole text gives, for
 * offsets asked in order, backwards, at random and out of range.
 */
import { describe, expect, it } from 'vitest';
import { type Point, SourceMap } from '../../engine/document/position.js';
import { seededRandom } from '../helpers/generate.js';

/** The point of `offset` by counting line endings from the text's start. */
function slowPoint(text: string, offset: number): Point {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  return { line, column: clamped - lineStart + 1, offset: clamped };
}

describe('SourceMap', () => {
  const texts = ['', 'a', '\n', '\n\n\n', 'ab\ncd', 'ab\ncd\n', '- a\n# h\n'.repeat(30), 'x\n\n\ny\r\nzz\n\n'];

  it('gives the point a search of the whole text gives, in any order', () => {
    const random = seededRandom(3);
    for (const text of texts) {
      const offsets = Array.from({ length: text.length + 5 }, (_, i) => i - 2);
      const orders = [offsets, [...offsets].reverse(), offsets.map(() => random(text.length + 6) - 3)];
      // Pairs on one line and a few lines on, as parse.ts asks for spans.
      orders.push(offsets.flatMap((o) => [o, o + random(4), o + random(12)]));
      for (const order of orders) {
        const map = new SourceMap(text);
        for (const offset of order)
          expect(map.point(offset), `${JSON.stringify(text)} at ${offset}`).toEqual(slowPoint(text, offset));
      }
    }
  });

  it('gives spans and line starts as before', () => {
    const text = 'ab\ncd\n\nef';
    const map = new SourceMap(text);
    expect(map.span(4, 8)).toEqual({ start: slowPoint(text, 4), end: slowPoint(text, 8) });
    expect(map.span(1, 0)).toEqual({ start: slowPoint(text, 1), end: slowPoint(text, 0) });
    expect([0, 1, 2, 3, 4, 5, 9].map((line) => map.lineStart(line))).toEqual([0, 0, 3, 6, 7, 7, 7]);
  });
});
