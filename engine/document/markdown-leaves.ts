/**
 * Long runs of leaf directives among short paragraphs, built without micromark.
 *
 * micromark spends a document, a content and a text tokenizer's work on every block, however
 * small: 1 MB of `::name` lines between paragraphs of two or three lines of link-like text (the
 * directive extension's own slow case, micromark-extension-directive#13) took 6 s, seven times as
 * long as 1 MB of prose, and as long in chunks of 4 KB as in one. Stepwise reads a leaf
 * directive's name and place and a paragraph's extent, so a run of simple leaf directives and the
 * plain paragraph lines between them is handed to micromark as a fenced code block of the same
 * extent (markdown-stand-ins.ts), and the code block micromark finds there is replaced by the
 * leaf directives and paragraphs micromark would have made, built here from the lines.
 *
 * Only what is certain is taken. A leaf directive with a name only: no label, attributes or
 * trailing space. A paragraph line that starts with a letter, `]` or one `:` (no block starts so),
 * holds no `|` (table rows), `<`, `\` or `&` (decoded in text), tab or control character, ends in
 * no space (a hard break), and is not all colons, dashes and spaces (a table's delimiter row).
 * A run starts at a leaf directive, which ends any block above it as the stand-in's opening fence
 * line does, and ends at one, or at a paragraph line before a blank line or the text's end, so
 * that the line after it is read the same after the run as after the stand-in; it has at least
 * RUN lines. When it does not come back as a code block of exactly its extent (it was in a fenced
 * code block, HTML, frontmatter), nothing is replaced and the caller parses the text as it is.
 */
import type { Paragraph, Root, RootContent } from 'mdast';
import type { LeafDirective } from 'mdast-util-directive';
import { restoreStandIns } from './markdown-stand-ins.js';
import { copyPoint } from './markdown-shift.js';

/** Runs shorter than this are parsed as they are. */
const RUN = 16;

/** A leaf directive micromark reads as its name and nothing more. */
const LEAF = /^::([A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)$/;
/** A line micromark reads as paragraph text, as written, where it starts a paragraph or goes on with one. */
const PLAIN = /^(?:[A-Za-z\]]|:(?!:))[^|<\\&\t\x00-\x1f\x7f]*$/;

interface Line {
  start: number;
  /** Offset after the line's content, before its `\r\n` or `\n`. */
  end: number;
  /** A leaf directive's name; undefined for a paragraph line. */
  name?: string;
}

export interface LeafRun {
  start: number;
  end: number;
  lines: Line[];
}

/** The runs of leaf directives and plain paragraph lines in `text`, each from a leaf directive. */
export function findLeafRuns(text: string): LeafRun[] {
  if (!text.startsWith('::') && !text.includes('\n::')) return [];
  const runs: LeafRun[] = [];
  let current: Line[] = [];
  /** The line after the run ends its last paragraph: a blank line or the text's end. */
  const close = (endsParagraph: boolean): void => {
    let last = current.length - 1;
    const tail = current[last];
    if (tail !== undefined && tail.name === undefined && (!endsParagraph || tail.end - tail.start < 3))
      while (last >= 0 && current[last]!.name === undefined) last--; // (the stand-in's last line is `~~~` and spaces)
    if (last + 1 >= RUN)
      runs.push({ start: current[0]!.start, end: current[last]!.end, lines: current.slice(0, last + 1) });
    current = [];
  };
  let pos = 0;
  while (pos < text.length) {
    const newline = text.indexOf('\n', pos);
    const next = newline === -1 ? text.length : newline + 1;
    const end = newline > pos && text[newline - 1] === '\r' ? newline - 1 : newline === -1 ? text.length : newline;
    const line = text.slice(pos, end);
    const leaf = text[pos] === ':' && text[pos + 1] === ':' ? LEAF.exec(line) : null;
    if (leaf) current.push({ start: pos, end, name: leaf[1]! });
    else if (current.length > 0 && PLAIN.test(line) && !/ $/.test(line) && !/^[: -]+$/.test(line))
      current.push({ start: pos, end });
    else if (current.length > 0) close(/^[ \t]*$/.test(line)); // micromark's blank line: no other white space
    pos = next;
  }
  if (current.length > 0) close(true);
  return runs;
}

/** Replaces each run's stand-in by its leaf directives and paragraphs; false, tree untouched, when one is missing. */
export function restoreLeaves(tree: Root, runs: readonly LeafRun[], text: string): boolean {
  return restoreStandIns(tree, runs, (run, line) => blocks(run, text, line));
}

/**
 * The tree of a text that is one run from its start to its end (but a last line ending), as
 * micromark would make it, without micromark: at a text's start no block is open, so the run's
 * first leaf directive is one, and so on. Null for any other text.
 */
export function leavesAlone(text: string, runs: readonly LeafRun[]): Root | null {
  const run = runs[0];
  if (runs.length !== 1 || run!.start !== 0 || !/^(\r?\n)?$/.test(text.slice(run!.end))) return null;
  const last = run!.lines[run!.lines.length - 1]!;
  const lastLine = run!.lines.length;
  const end =
    text.length === run!.end
      ? { line: lastLine, column: last.end - last.start + 1, offset: text.length }
      : { line: lastLine + 1, column: 1, offset: text.length };
  return { type: 'root', children: blocks(run!, text, 1), position: { start: { line: 1, column: 1, offset: 0 }, end } };
}

/** The run's leaf directives and paragraphs, as micromark and mdast build them. */
function blocks(run: LeafRun, text: string, firstLine: number): RootContent[] {
  const nodes: RootContent[] = [];
  for (let i = 0; i < run.lines.length; ) {
    const first = run.lines[i]!;
    let j = i;
    if (first.name === undefined) while (run.lines[j + 1]?.name === undefined && j + 1 < run.lines.length) j++;
    const last = run.lines[j]!;
    const start = { line: firstLine + i, column: 1, offset: first.start };
    const end = { line: firstLine + j, column: last.end - last.start + 1, offset: last.end };
    if (first.name !== undefined) {
      const leaf: LeafDirective = {
        type: 'leafDirective',
        name: first.name,
        attributes: {},
        children: [],
        position: { start, end },
      };
      nodes.push(leaf);
    } else {
      const value = text.slice(first.start, last.end);
      const paragraph: Paragraph = {
        type: 'paragraph',
        children: [{ type: 'text', value, position: { start: copyPoint(start), end: copyPoint(end) } }],
        position: { start, end },
      };
      nodes.push(paragraph);
    }
    i = j + 1;
  }
  return nodes;
}
