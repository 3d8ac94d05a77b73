/**
 * Long runs of link reference definitions, parsed without micromark's definition construct.
 *
 * A definition costs micromark about 26 events and a pass of its content tokenizer: 1 MB of
 * `[a]: u` lines took 13 times as long as 1 MB of prose (issue #13 item 5); and a run handed to it
 * as one long paragraph is worse (its text resolver splices once per line). Stepwise reads nothing
 * from a definition but its place and text (a heading's links are resolved against its chunk's
 * definitions, markdown.ts), so a run of simple one-line definitions is handed to micromark as a
 * fenced code block of the same extent (its first line's text becomes `~~~xxx`, its last line's
 * `~~~   `, every offset kept), which costs next to nothing, and the code block micromark finds
 * there is replaced by the definition nodes micromark would have made, built here from the lines.
 *
 * Only what is certain is taken: a definition whose label and destination have no escapes,
 * character references, brackets, parentheses or angle brackets, no trailing space, indented
 * no more than 3 spaces (and not at all where a list item may be open to hold it, as ATX
 * headings, markdown-headings.ts), with no title or a title on its line after spaces (TITLE: in `"…"`, `'…'` or `(…)`, with
 * no escape, character reference, tab or its closing mark in it, kept as written), or a title of
 * that form alone on the next line after up to 3 spaces (NEXT_TITLE: micromark looks for a title
 * past one line ending; the definition then ends with that line, a line of the run of its own);
 * a run of at least RUN lines of them after a blank line, an ATX heading or a leaf directive (or
 * at the text's start), with blank
 * lines between them or none (each is a block of its own either way). When
 * a run does not come back as a code block of exactly its extent (it was inside a fenced code
 * block, HTML, frontmatter), or the line after it would not be read the same after definitions
 * (which it continues, as a paragraph continues) as at the start of a block, nothing is replaced
 * and the caller parses the text as it is.
 */
import type { Definition, Root } from 'mdast';
import { itemMayBeOpen } from './markdown-items.js';
import { leadOf } from './markdown-literal.js';
import { HEADING, LEAF } from './markdown-plain.js';
import { restoreStandIns } from './markdown-stand-ins.js';

/** Runs shorter than this are parsed as they are: no real runbook has this many in a row. */
const RUN = 16;

/**
 * A title on the definition's line after white space, as micromark reads it and mdast keeps it
 * (as written, nothing in it to decode): in double or single quotes or parentheses, with no
 * backslash, `&`, tab, carriage return, NUL or closing mark (nor `(` in parentheses) in it.
 */
const TITLE = /[ \t]+(?:"([^"\\&\t\r\0]+)"|'([^'\\&\t\r\0]+)'|\(([^()\\&\t\r\0]+)\))/.source;

/** A title alone on the line after a definition's with none: up to 3 spaces, then TITLE's forms. */
const NEXT_TITLE = /^ {0,3}(?:"([^"\\&\t\r\0]+)"|'([^'\\&\t\r\0]+)'|\(([^()\\&\t\r\0]+)\))$/;

/** A one-line definition micromark reads as `[label]: url`, with a TITLE or none, and nothing more. */
const SIMPLE = new RegExp(
  `${/^\[([^\s[\]\\&^][^[\]\\&]{0,998})\]:[ \t]*([^\s<>()\\&\x00-\x1f\x7f]+)/.source}(?:${TITLE})?$`,
);

interface Line {
  start: number;
  /** Offset after the line's content, before its `\r\n` or `\n`. */
  end: number;
  /** The line's row in the text, from 0. */
  row: number;
  /** The spaces before the definition's `[` (0 to 3). */
  indent: number;
  label: string;
  url: string;
  /** The title as written between its marks, or null for none. */
  title: string | null;
  /** A title alone on its line (NEXT_TITLE): the definition on the line before ends here (no label, no url). */
  next?: true;
}

export interface DefinitionRun {
  start: number;
  end: number;
  lines: Line[];
}

/**
 * The runs of simple definitions in `text`, each after a blank line (or at the start), of at
 * least `min` (prose runs, markdown-prose.ts, take shorter ones).
 */
export function findDefinitionRuns(text: string, min = RUN): DefinitionRun[] {
  if (!text.includes(']:')) return [];
  const runs: DefinitionRun[] = [];
  let current: Line[] = [];
  let afterBlank = true;
  /** Since the last block in the first column: a line that may be (in) a list item (itemLine). */
  let inItem = false;
  let pos = 0;
  let row = 0;
  const close = (): void => {
    if (current.length >= min)
      runs.push({ start: current[0]!.start, end: current[current.length - 1]!.end, lines: current });
    current = [];
  };
  while (pos < text.length) {
    const newline = text.indexOf('\n', pos);
    const next = newline === -1 ? text.length : newline + 1;
    const end = newline > pos && text[newline - 1] === '\r' ? newline - 1 : newline === -1 ? text.length : newline;
    const line = text.slice(pos, end);
    const indent = leadOf(line);
    const simple =
      text[pos + indent] === '[' && (indent === 0 || !inItem)
        ? SIMPLE.exec(indent === 0 ? line : line.slice(indent))
        : null;
    const before = current[current.length - 1];
    const title =
      !simple && before !== undefined && before.row === row - 1 && before.title === null && !before.next
        ? NEXT_TITLE.exec(line)
        : null;
    const blank = !simple && !title && /^[ \t]*$/.test(line); // micromark's blank line: no other white space
    if (title) {
      current.push({
        start: pos,
        end,
        row,
        indent: 0,
        label: '',
        url: '',
        title: title[1] ?? title[2] ?? title[3]!,
        next: true,
      });
      afterBlank = false;
    } else if (simple && (afterBlank || current.length > 0)) {
      const title = simple[3] ?? simple[4] ?? simple[5] ?? null;
      current.push({ start: pos, end, row, indent, label: simple[1]!, url: simple[2]!, title });
      afterBlank = false;
      inItem = false; // after a blank line or a closer, it ends every list item above it
    } else if (!blank) {
      if (current.length > 0) close();
      // After an ATX heading or a leaf directive no paragraph is open: a definition may start.
      const closer = HEADING.test(line) || LEAF.test(line);
      inItem = itemMayBeOpen(inItem, line, afterBlank || closer);
      afterBlank = closer;
    } else afterBlank = true; // a run goes on through blank lines: definitions between them are blocks of their own
    pos = next;
    row++;
  }
  close();
  return runs;
}

/**
 * Nodes that start the same after definitions (continuing their content) as at a block's start;
 * not a setext heading, which micromark starts at the definitions' start.
 */
const SAME_AFTER = new Set(['paragraph', 'definition', 'heading', 'thematicBreak', 'leafDirective']);

/**
 * Replaces, in `tree` (parsed from asFences' text), each run's code block by the run's
 * definitions. False, with the tree untouched, when a run did not come back so, or the line after
 * it would be read differently after definitions.
 */
export function restoreDefinitions(tree: Root, runs: readonly DefinitionRun[], text: string): boolean {
  return restoreStandIns(tree, runs, (run, line) => buildDefinitions(run, line), {
    fits: (parent, index, run) => {
      const next = parent.children[index + 1];
      const nextLine = text.indexOf('\n', run.end) + 1;
      if (next?.position?.start.offset !== nextLine || nextLine === 0) return true;
      // The line right after the run continues its content in the original: not a title for
      // the last definition, nor a table's delimiter row under it.
      const setext = next.type === 'heading' && next.position.start.line !== next.position.end.line;
      const lineEnd = text.indexOf('\n', nextLine);
      const line = text.slice(nextLine, lineEnd === -1 ? text.length : lineEnd);
      return SAME_AFTER.has(next.type) && !setext && !/^[\s"'(]|^[\s|:-]+$/.test(line);
    },
  });
}

/** The run's definitions, as micromark and mdast build them; `firstLine`: the line it starts on. */
export function buildDefinitions(run: DefinitionRun, firstLine: number): Definition[] {
  const firstRow = run.lines[0]!.row;
  const nodes: Definition[] = [];
  for (const line of run.lines) {
    const end = { line: firstLine + line.row - firstRow, column: line.end - line.start + 1, offset: line.end };
    const last = nodes[nodes.length - 1];
    if (line.next && last !== undefined) {
      // The title on the line after the definition's: it ends there.
      last.title = line.title;
      last.position!.end = end;
      continue;
    }
    nodes.push({
      type: 'definition',
      identifier: normalizeIdentifier(line.label).toLowerCase(),
      label: line.label,
      title: line.title,
      url: line.url,
      position: {
        start: { line: firstLine + line.row - firstRow, column: line.indent + 1, offset: line.start + line.indent },
        end,
      },
    });
  }
  return nodes;
}

/** micromark-util-normalize-identifier's: how a label is matched. */
export function normalizeIdentifier(value: string): string {
  return value
    .replace(/[\t\n\r ]+/g, ' ')
    .replace(/^ | $/g, '')
    .toLowerCase()
    .toUpperCase();
}
