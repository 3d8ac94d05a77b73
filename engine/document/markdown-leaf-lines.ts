/**
 * Leaf directives of plain text (`::name`, `::name[label]{#id .class key=value key="a value"}`),
 * built without micromark: with them, prose runs (markdown-prose.ts) go on through the leaf
 * directives between lists, paragraphs, headings and block quotes, as they go on through
 * headings, and a document of list items each followed by one (100,000 blocks to the megabyte,
 * each costing micromark a child tokenizer and tens of µs; 1 MB took 18 s), or of steps parted by
 * blank lines (a runbook: 19,000 steps to the megabyte, 2.3 s of micromark), is read apart from
 * micromark like any prose.
 *
 * A line `::`, a name, a plain label or none, plain attributes or none, and spaces or nothing
 * (PLAIN_LEAF, markdown-plain.ts), is a leaf directive wherever it stands in the first column,
 * outside fenced code, HTML blocks of types 1 to 5 and the frontmatter (markdown-literal.ts): it
 * interrupts a paragraph and closes every list, block quote and footnote above it. Not where a
 * line since the last blank one may have opened an HTML block of types 6 or 7 or be a table's
 * (OPAQUE), which run on to a blank line. Its node is built as micromark-extension-directive and
 * mdast-util-directive build it: the label's text as written, and the attributes in order, a
 * later one replacing an earlier one of the same name but for classes, which are joined with a
 * space (`#x` is an `id`, `.x` a `class`, an attribute with no value is an empty string); the
 * label's escapes and character references are decoded, its text node spanning it as written;
 * character references in values (quoted or not) and in `#id` and `.class` shortcuts are decoded
 * with parse-entities in its attribute mode, as mdast-util-directive decodes them (OPENING: the
 * form of PLAIN_LEAF with `&` in values and shortcuts). Any other leaf directive (brackets or
 * backticks in the label, a backslash last in it, spaces around `=`, a tab) is left to micromark.
 */
import type { LeafDirective } from 'mdast-util-directive';
import { decodeString } from 'micromark-util-decode-string';
import { parseEntities } from 'parse-entities';
import { type ChunkLine, eachClearLine } from './markdown-literal.js';
import { PLAIN_LEAF } from './markdown-plain.js';

/** PLAIN_LEAF's values and shortcuts (markdown-plain.ts), with no `&`: each also with `&` here. */
const NO_REFERENCE: [string, string][] = [
  [/"[^"&\t\r\0]*"/.source, /"[^"\t\r\0]*"/.source],
  [/'[^'&\t\r\0]*'/.source, /'[^'\t\r\0]*'/.source],
  [/[^\s"'<=>`{}&\0]+/.source, /[^\s"'<=>`{}\0]+/.source],
  [/[^\s"#'.<=>`{}&\0]+/.source, /[^\s"#'.<=>`{}\0]+/.source],
];

/** PLAIN_LEAF, but with character references in attribute values and shortcuts (same groups). */
export const OPENING = new RegExp(
  NO_REFERENCE.reduce((source, [plain, referenced]) => {
    if (!source.includes(plain)) throw new Error('markdown-leaf-lines.ts: PLAIN_LEAF changed');
    return source.replaceAll(plain, referenced);
  }, PLAIN_LEAF.source),
);

export interface LeafLineRun {
  start: number;
  end: number;
  lines: [ChunkLine];
  name: string;
  /** The label with its brackets, if it has one. */
  label?: string;
  /** The attributes with their braces, if it has them. */
  attributes?: string;
}

/** The plain leaf directives of `text`, each a run of its own; `first`: the document's first chunk. */
export function findLeafLineRuns(text: string, first = false): LeafLineRun[] {
  if (!text.startsWith('::') && !text.includes('\n::')) return [];
  const runs: LeafLineRun[] = [];
  eachClearLine(text, first, (line, at) => {
    const leaf = line.charCodeAt(0) === 58 /* : */ ? OPENING.exec(line) : null;
    if (!leaf) return;
    const run: LeafLineRun = { start: at.start, end: at.end, lines: [at], name: leaf[1]! };
    if (leaf[2] !== undefined) run.label = leaf[2];
    if (leaf[3] !== undefined) run.attributes = leaf[3];
    runs.push(run);
  });
  return runs;
}

/**
 * The attributes object mdast-util-directive makes of plain attributes (PLAIN_ATTRIBUTES, with
 * their braces; its exitAttributes): in order, a class joined to a class before it (if that is
 * not empty), any other name replacing the one before it. A plain object assigned to, as there
 * (so `__proto__` does what it does there). Read by character, as the form is already checked:
 * a shortcut ends at `#`, `.`, a space or the `}`, a name at `=`, a space or the `}`, a quoted
 * value at its quote, an unquoted one at a space or the `}` (a regular expression over each
 * attribute took as long as the rest of the parse of a runbook's steps).
 */
export function leafAttributes(source: string): Record<string, string> {
  const cleaned: Record<string, string> = {};
  const add = (name: string, raw: string): void => {
    const value = raw.includes('&') ? parseEntities(raw, { attribute: true }) : raw;
    if (name === 'class' && cleaned.class) cleaned.class += ` ${value}`;
    else cleaned[name] = value;
  };
  const end = source.length - 1;
  let i = 1;
  while (i < end) {
    const c = source.charCodeAt(i);
    if (c === 32 /* space */) {
      i++;
    } else if (c === 35 /* # */ || c === 46 /* . */) {
      let j = i + 1;
      for (; j < end; j++) {
        const d = source.charCodeAt(j);
        if (d === 35 || d === 46 || d === 32) break;
      }
      add(c === 35 ? 'id' : 'class', source.slice(i + 1, j));
      i = j;
    } else {
      let j = i + 1;
      for (; j < end; j++) {
        const d = source.charCodeAt(j);
        if (d === 61 /* = */ || d === 32) break;
      }
      const name = source.slice(i, j);
      if (source.charCodeAt(j) !== 61) {
        add(name, '');
        i = j;
        continue;
      }
      const quote = source[j + 1];
      if (quote === '"' || quote === "'") {
        const close = source.indexOf(quote, j + 2);
        add(name, source.slice(j + 2, close));
        i = close + 1;
      } else {
        let k = j + 1;
        while (k < end && source.charCodeAt(k) !== 32) k++;
        add(name, source.slice(j + 1, k));
        i = k;
      }
    }
  }
  return cleaned;
}

/** The leaf directive, as micromark and mdast build it; `line`: the line it is on. */
export function buildLeafLine(run: LeafLineRun, line: number): LeafDirective {
  const node: LeafDirective = {
    type: 'leafDirective',
    name: run.name,
    attributes: run.attributes === undefined ? {} : leafAttributes(run.attributes),
    children: [],
    position: {
      start: { line, column: 1, offset: run.start },
      end: { line, column: run.end - run.start + 1, offset: run.end },
    },
  };
  if (run.label !== undefined && run.label.length > 2) {
    // The text between the brackets: after `::`, the name and `[`.
    const column = 2 + run.name.length + 2;
    const offset = run.start + column - 1;
    const raw = run.label.slice(1, -1);
    const value = raw.includes('\\') || raw.includes('&') ? decodeString(raw) : raw;
    node.children.push({
      type: 'text',
      value,
      position: {
        start: { line, column, offset },
        end: { line, column: column + raw.length, offset: offset + raw.length },
      },
    });
  }
  return node;
}
