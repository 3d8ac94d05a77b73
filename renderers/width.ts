/**
 * How many terminal cells a text takes. Printable ASCII (nearly everything a run prints) takes
 * its length; any other text is measured by string-width, loaded the first time such a text comes.
 * Loading string-width builds Unicode-property regular expressions (RGI emoji) and an
 * Intl.Segmenter, about 50 ms that a headless run printing ASCII never needs to pay at start-up.
 */
import { createRequire } from 'node:module';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

let measure: ((text: string) => number) | undefined;

export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  measure ??= loadStringWidth();
  return measure(text);
}

/** string-width is an ES module: Node 20.19 and later load it synchronously with require(). */
function loadStringWidth(): (text: string) => number {
  const required = createRequire(import.meta.url)('string-width') as { default: (text: string) => number };
  return required.default;
}

let segmenter: Intl.Segmenter | undefined;

/** The grapheme clusters of a text (what a terminal draws as one character). */
export function graphemes(text: string): Iterable<{ segment: string }> {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return segmenter.segment(text);
}
