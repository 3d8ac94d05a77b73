/**
 * A chunk parsed as markdown.ts parses it where its prose runs stand in (markdown-prose.ts): what
 * the tests of each prose part compare with micromark's tree of the text as it is.
 */
import type { Root } from 'mdast';
import { expect } from 'vitest';
import { findProseRuns, restoreProse, standInRuns } from '../../engine/document/markdown-prose.js';
import { canStandIn, runsAsFences } from '../../engine/document/markdown-stand-ins.js';
import { micromarkBlocks, parseMarkdown } from '../../engine/document/markdown.js';

/**
 * The text's tree with its prose runs standing in, and how many parts of `kind` were built (0,
 * and micromark's tree of the text as it is, when no run stood in or one did not come back).
 */
export function readStandingIn(text: string, kind: string, first = false): { tree: Root; built: number } {
  const runs = standInRuns(
    findProseRuns(text, first, () => true),
    text,
  ).filter(canStandIn);
  const none = { tree: micromarkBlocks(text, first), built: 0 };
  if (runs.length === 0) return none;
  const built = runs.reduce((n, run) => n + run.parts.filter((part) => part.kind === kind).length, 0);
  const tree = micromarkBlocks(runsAsFences(text, runs), first);
  return restoreProse(tree, runs, text) ? { tree, built } : none;
}

/**
 * The text read with its prose runs standing in (`built` parts of `kind`), and read apart with a
 * kilobyte of prose before and after it, gives micromark's tree of it.
 */
export function expectReadAsMicromark(text: string, kind: string, built: number): void {
  const result = readStandingIn(text, kind);
  expect(result.tree, JSON.stringify(text)).toEqual(micromarkBlocks(text));
  expect(result.built, JSON.stringify(text)).toBe(built);
  const strip = (tree: Root): unknown => JSON.parse(JSON.stringify(tree));
  for (const long of [`${text}\n\n${'Some prose.\n\n'.repeat(100)}`, `${'Some prose.\n\n'.repeat(100)}${text}`])
    expect(strip(parseMarkdown(long)), JSON.stringify(text)).toEqual(strip(micromarkBlocks(long, true)));
}
