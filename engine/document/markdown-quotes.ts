/**
 * Long runs of lines quoted many levels deep, built without micromark's block quote construct.
 *
 * micromark re-checks every open block quote on every line and makes events of each `>`: 1 MB of
 * lines 200 quotes deep took 2.6 times as long as 1 MB of prose, past 2 s (issue #13 item 5). A
 * run of lines each quoted exactly the same DEPTH or more levels deep (`> ` repeated, then plain
 * words) between blank lines or the text's ends is one paragraph in that many nested block
 * quotes; it is handed to micromark as a fenced code block of the same extent (every offset kept)
 * and the block quotes and paragraph are built here as micromark and mdast build them. When the
 * run does not come back as a code block of its extent, nothing is replaced and the caller parses
 * the text as it is.
 */
import type { Blockquote, Root } from 'mdast';
import { restoreStandIns } from './markdown-stand-ins.js';

/** Runs shorter than this, or quoted less deep, are parsed as they are. */
const RUN = 16;
const DEPTH = 16;

/** `> ` repeated, then plain words: nothing in them starts a block or is decoded. */
const SIMPLE = /^((?:> ){16,})[A-Za-z0-9](?:[A-Za-z0-9 ]*[A-Za-z0-9])?$/;

export interface QuoteRun {
  start: number;
  end: number;
  depth: number;
  lines: { start: number; end: number }[];
}

/** Runs of lines quoted alike, with a blank line (or the text's end) on each side. */
export function findQuoteRuns(text: string): QuoteRun[] {
  if (!text.includes('> > ')) return [];
  const runs: QuoteRun[] = [];
  let current: { start: number; end: number }[] = [];
  let depth = 0;
  let afterBlank = true;
  let pos = 0;
  const close = (): void => {
    if (current.length >= RUN && depth >= DEPTH)
      runs.push({ start: current[0]!.start, end: current[current.length - 1]!.end, depth, lines: current });
    current = [];
  };
  while (pos <= text.length) {
    const newline = text.indexOf('\n', pos);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(pos, end);
    const simple = text[pos] === '>' ? SIMPLE.exec(line) : null;
    const lineDepth = simple ? simple[1]!.length / 2 : 0;
    if (simple && current.length > 0 && lineDepth === depth) current.push({ start: pos, end });
    else {
      const blank = /^[ \t]*$/.test(line);
      if (blank) close();
      current = [];
      if (simple && afterBlank) {
        current.push({ start: pos, end });
        depth = lineDepth;
      }
      afterBlank = blank;
    }
    if (newline === -1) break;
    pos = newline + 1;
  }
  close();
  return runs;
}

/** Replaces each run's stand-in by its block quotes; false, tree untouched, when one is missing. */
export function restoreQuotes(tree: Root, runs: readonly QuoteRun[], text: string): boolean {
  return restoreStandIns(tree, runs, (run, line) => [quotes(run, text, line)]);
}

/** The run's block quotes around its paragraph, as micromark and mdast build them. */
function quotes(run: QuoteRun, text: string, firstLine: number): Blockquote {
  const last = run.lines[run.lines.length - 1]!;
  const lastLine = firstLine + run.lines.length - 1;
  const end = { line: lastLine, column: last.end - last.start + 1, offset: last.end };
  const contentStart = run.start + 2 * run.depth;
  const start = { line: firstLine, column: 2 * run.depth + 1, offset: contentStart };
  const value = run.lines.map((l) => text.slice(l.start + 2 * run.depth, l.end)).join('\n');
  let node: Blockquote['children'][number] = {
    type: 'paragraph',
    children: [{ type: 'text', value, position: { start: { ...start }, end: { ...end } } }],
    position: { start: { ...start }, end: { ...end } },
  };
  for (let i = run.depth - 1; i >= 0; i--) {
    node = {
      type: 'blockquote',
      children: [node],
      position: { start: { line: firstLine, column: 2 * i + 1, offset: run.start + 2 * i }, end: { ...end } },
    };
  }
  return node as Blockquote;
}
