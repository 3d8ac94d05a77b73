// Types of mdast-compiler.js (mdast-util-from-markdown's compiler, kept to be called many times).
import type { Root } from 'mdast';
import type { Options } from 'mdast-util-from-markdown';
import type { Event } from 'micromark-util-types';

/** A compiler of micromark's events into an mdast tree, for any number of documents, one at a time. */
export function compiler(options?: Pick<Options, 'mdastExtensions'> | null): (events: Event[]) => Root;
