/**
 * A heading's text and slug (engine/document/text-of.ts, outline.ts) have fast paths for the
 * usual heading, one text node already a slug: each gives what the general path gives.
 */
import type { Heading, PhrasingContent } from 'mdast';
import { describe, expect, it } from 'vitest';
import { slowSlugify, slugify } from '../../engine/document/outline.js';
import { textOf } from '../../engine/document/text-of.js';
import { seededRandom } from '../helpers/generate.js';

const heading = (children: PhrasingContent[]): Heading => ({ type: 'heading', depth: 1, children });

describe('heading text and slugs', () => {
  it('a slug is what every step of slugify makes of the text', () => {
    const random = seededRandom(11);
    const chars = [
      'a',
      'z',
      'A',
      'Q',
      '0',
      '9',
      '_',
      '-',
      '--',
      ' ',
      '\t',
      '.',
      '!',
      'é',
      'É',
      'ß',
      'İ',
      '😀',
      '\u00a0',
    ];
    const texts = ['', 'h', 'a-b', '-a', 'a-', 'a--b', 'a_b', 'ab9-c_d', 'A', 'a b', ' a', 'a.b', 'é'];
    for (let k = 0; k < 3000; k++)
      texts.push(Array.from({ length: 1 + random(8) }, () => chars[random(chars.length)]!).join(''));
    for (const text of texts) expect(slugify(text), JSON.stringify(text)).toBe(slowSlugify(text));
  });

  it('the text of a heading of one text node is its value, as when it is deeper in', () => {
    for (const value of ['', 'h', 'some words *not* parsed', ' x ']) {
      const text = { type: 'text', value } as const;
      expect(textOf(heading([text]))).toBe(value);
      expect(textOf(heading([text]))).toBe(textOf(heading([{ type: 'emphasis', children: [text] }])));
    }
    expect(textOf(heading([]))).toBe('');
    expect(textOf(heading([{ type: 'inlineCode', value: 'c' }]))).toBe('c');
  });
});
