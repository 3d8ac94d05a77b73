/**
 * A Markdown parser made once and used for every parse: what mdast-util-from-markdown's
 * fromMarkdown does, without building its micromark parser and its mdast compiler again at each
 * call. micromark combines its constructs with the extensions for every new parser, and the
 * compiler is some 150 closures with the extensions' handlers merged in: two thirds of a small
 * parse, and a document's chunks and containers' contents are many small parses (1 MB of list
 * items each holding an HTML block: 75,000 of them).
 *
 * A parser keeps what it learns of a document on itself (micromark's ParseContext): the link
 * definitions it saw (`defined`), which of its lines were lazy (`lazy`), and whatever an extension
 * adds (GFM footnotes keep the footnotes defined, `gfmFootnotes`). Before each parse those are set
 * as a new parser has them, and anything added to it since it was made is removed: the document
 * itself lives in the tokenizer each parse gets.
 */
import type { Root } from 'mdast';
import type { Extension as MdastExtension } from 'mdast-util-from-markdown';
import { parse, postprocess, preprocess } from 'micromark';
import type { Extension as MicromarkExtension } from 'micromark-util-types';
import { compiler } from './mdast-compiler.js';

export type MarkdownParser = (text: string) => Root;

/** A parser with these extensions (micromark's syntax, mdast's trees), as fromMarkdown takes them. */
export function markdownParser(
  extensions: MicromarkExtension[],
  mdastExtensions: (MdastExtension | MdastExtension[])[],
): MarkdownParser {
  const parser = parse({ extensions });
  const compile = compiler({ mdastExtensions });
  const made = new Set(Object.keys(parser));
  return (text) => {
    for (const key of Object.keys(parser))
      if (!made.has(key)) delete (parser as unknown as Record<string, unknown>)[key];
    parser.defined = [];
    parser.lazy = {};
    return compile(postprocess(parser.document().write(preprocess()(text, undefined, true))));
  };
}
