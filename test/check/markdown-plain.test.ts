/**
 * PLAIN_TEXT (markdown-plain.ts): text micromark's block parse keeps as written and reads as the
 * start of no block. Its first character may be any that starts no block, as a paragraph's line's
 * may: items, quotes and paragraphs of such text are read without micromark, alike.
 */
import { describe, expect, it } from 'vitest';
import { SIMPLE } from '../../engine/document/markdown-items.js';
import { findListRuns } from '../../engine/document/markdown-lists.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';

describe('text that starts with punctuation or past ASCII', () => {
  // PLAIN_TEXT (markdown-plain.ts) starts with any character that starts no block, as a
  // paragraph's line may: these items, quotes and paragraphs are read without micromark.
  const FIRST = ['@', '!', '"', "'", '(', ')', ',', '.', '/', ';', '?', '$', '%', '^', '{', '}', 'é', '😀'];
  const shapes = (c: string): string[] => [
    `- ${c}\n`,
    `- ${c}a\n- ${c}\n\n- b${c}\n`,
    `* ${c}a\n  ${c}b\n`,
    `1. ${c}a\n2. ${c}\n`,
    `- [ ] ${c}a\n- [x] ${c}\n`,
    `- - ${c}a\n  - ${c}\n`,
    `> ${c}a\n> ${c}\n`,
    `${c}a\n${c}\n\n${c}b\n- ${c}\n`,
    `- a\n${c}lazy\n`,
    `# h\n${c}a\n- ${c}b\n`,
  ];

  it.each(FIRST)('%s: read as micromark reads it, items without it', (c) => {
    for (const text of shapes(c)) {
      expect(parseMarkdown(text, 1), JSON.stringify(text)).toEqual(micromarkBlocks(text, true));
      expect(parseMarkdown(`${text}\n`.repeat(30)), JSON.stringify(text)).toEqual(
        micromarkBlocks(`${text}\n`.repeat(30), true),
      );
    }
    expect(findListRuns(`- ${c}a\n- ${c}b\n`, false)).toHaveLength(1);
    expect(SIMPLE.test(`- ${c}a`)).toBe(true);
  });

  it('white space past ASCII and a byte order mark start no plain text', () => {
    for (const c of ['\u00a0', '\u2003', '\ufeff']) expect(SIMPLE.test(`- ${c}a`), JSON.stringify(c)).toBe(false);
  });
});
