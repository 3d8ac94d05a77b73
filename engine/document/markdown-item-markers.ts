/**
 * A list item's or footnote definition's first line as the item runs read it
 * (markdown-item-runs.ts): its marker, where its content starts (tabs reach the next multiple of 4
 * columns), and how far its other lines are indented; and the columns of a line's indent.
 */

/**
 * An item's first line: up to 3 spaces, a marker, spaces and tabs (1 to 4 columns wide, or more
 * spaces before indented code: see markerOf), then something.
 */
const ITEM = /^( {0,3})(?:([-*+])|(\d{1,9})([.)]))([ \t]+)(?=\S)/;

/** A thematic break, which is no item (`* * *`, `- - -`). */
export const BREAK_LINE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/** A task item's box, which micromark reads as the item's and the inner parse would not. */
export const TASK = /^\[[ xX]\](?:[ \t]|$)/;

/**
 * A task item's box with a space and text after it: the item's content is read from that text.
 * micromark reads the box only at the start of a paragraph first in the item, and a line starting
 * `[` can only start a paragraph: that text is read as letters of its length (InnerBlock.standIn),
 * so that it starts a paragraph alone too (`- [ ] ---`, `- [ ] # h`), and put back in the
 * paragraph's text; not where micromark would decode it (a backslash or `&`), or where a `|`
 * could make it a table's head. The item is taken only where its content starts with that
 * paragraph (taskRead: not a setext heading or a table). Spaces after the box's own are that
 * text's too: the box started the paragraph, so micromark reads no code there (`- [ ]     a`,
 * its text `    a`; 1 MB of them took 6.4 s, each item micromark's).
 */
export const TASK_TEXT = /^\[([ xX])\] (?= *\S)/;
/** A task item's text that is read as letters of its length (TASK_TEXT). */
export const STAND_IN_TEXT = /^[^\\&|\t\r]*$/;

/** White space after a marker read as spaces (Marker.lead; InnerLine.lead, leadChars, leadAt). */
export interface MarkerLead {
  readonly text: string;
  readonly chars: number;
  readonly at: readonly number[];
}

/** A footnote definition's first line: its label, then `]:` and spaces, then something. */
const FOOTNOTE = /^\[\^([A-Za-z0-9_-]{1,64})\]:( +)(?=\S)/;

/**
 * An item line's marker (`-`, `1.`, `1)`; `^` for a footnote definition's label), its number for an
 * ordered item, where its first line's content starts, and how far its other lines are indented.
 */
export interface Marker {
  /** The bullet, or the delimiter after the number; `^` for a footnote definition. */
  kind: string;
  value: number | null;
  /** Spaces before the marker (0 to 3). */
  indent: number;
  column: number;
  /** The content column of its other lines: the first's for an item, 4 for a footnote definition. */
  content: number;
  /**
   * Where micromark's item prefix ends on the first line (a character index): `column`, or past a
   * tab split between the marker's space and the content (`-\t    a`: 2).
   */
  past: number;
  /**
   * The first line's white space after the marker read as the spaces it reaches from the content
   * column, where it holds a tab and that column is no tab stop (the content then starts a column
   * past the marker, with indented code): as InnerLine.lead has it, from `column`. A tab right
   * after the marker is split: its first column the marker's space, its others micromark's
   * virtual spaces, which the content starts with (`-\t    a`: 2; `column` is the tab's). null
   * for none.
   */
  lead: MarkerLead | null;
  /** A footnote definition's label, as written. */
  label: string | null;
}

/**
 * A container's start: a block quote's marker, a footnote definition's label (then white space),
 * or a list item's marker (its number, when ordered).
 */
const NESTED_START = /^[ \t]*(?:>[ \t]?|\[\^[^\]]+\]:[ \t]*|(?:[-*+]|(\d{1,9})[.)])(?=[ \t]|$))/;

/**
 * Whether the containers a line's content starts with (`- -`, `> 2. a`, `[^a]: -`) hold a list item that
 * micromark starts only where the line interrupts nothing: an empty one, or one numbered other
 * than 1. Where the line before leaves a paragraph or indented code going on, micromark reads
 * every container the line starts as interrupting it, the nested ones too (`a` then `> -` is a
 * quote of the text `-`), and a content read alone would not: the readers leave such a line to
 * micromark. Thematic breaks are taken as items here (`- * * *`): left to micromark too.
 */
export function nestsInterrupted(content: string): boolean {
  let rest = content;
  for (;;) {
    const m = NESTED_START.exec(rest);
    if (m === null) return false;
    rest = rest.slice(m[0].length);
    const c = m[0].trimStart().charCodeAt(0);
    if (c === 62 /* > */ || c === 91 /* [ */) continue;
    if ((m[1] !== undefined && m[1] !== '1') || /^[ \t]*$/.test(rest)) return true;
  }
}

/** How many spaces a line starts with. */
export function spacesOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 32) n++;
  return n;
}

/** The marker of an item line (up to 3 spaces in), or null. */
export function markerOf(line: string): Marker | null {
  const f = line.charCodeAt(0) === 91 /* [ */ ? FOOTNOTE.exec(line) : null;
  if (f !== null)
    return {
      kind: '^',
      value: null,
      indent: 0,
      column: f[0].length,
      content: 4,
      label: f[1]!,
      past: f[0].length,
      lead: null,
    };
  const m = ITEM.exec(line);
  if (m === null || BREAK_LINE.test(line)) return null;
  const indent = m[1]!.length;
  const width = indent + (m[2] !== undefined ? 1 : m[3]!.length + 1);
  const kind = m[2] ?? m[4]!;
  const value = m[3] !== undefined ? Number(m[3]) : null;
  const spaces = m[5]!;
  // A tab reaches the next multiple of 4 columns. Past 4 columns the item's content starts one
  // column past its marker, with indented code.
  const content = columnsOf(spaces, width);
  if (content - width > 4) {
    const column = width + 1;
    if (!spaces.includes('\t'))
      return { kind, value, indent, column, content: column, label: null, past: column, lead: null };
    // A tab that is the marker's space alone, or a space: the content column then is where the
    // first character past it stands, which is a tab stop or not.
    const split = spaces.charCodeAt(0) === 9 && width % 4 !== 3;
    if (!split && column % 4 === 0)
      return { kind, value, indent, column, content: column, label: null, past: column, lead: null };
    const lead = leadOf(line, split ? width : column, width + spaces.length, column);
    if (lead === null) return null;
    return { kind, value, indent, column: split ? width : column, content: column, label: null, past: column, lead };
  }
  return {
    kind,
    value,
    indent,
    column: width + spaces.length,
    content,
    label: null,
    past: width + spaces.length,
    lead: null,
  };
}

/**
 * The white space of an item's first line from `from` (where it ends: `end`) up to its last tab,
 * read as the spaces it reaches from the content column `content` (a tab at `from` is split with
 * the marker's space), and where micromark stands at each of them: at a character's first
 * column, there (past the prefix, `from`); past it (a tab's), after it. The content is indented
 * code, which keeps its columns past the first 4: micromark holds a tab split there as spaces, as
 * they are read here, but one wholly past them as a tab (`-\t  \ta`), which they are not: null.
 */
function leadOf(line: string, from: number, end: number, content: number): MarkerLead | null {
  const last = line.lastIndexOf('\t', end - 1);
  let text = '';
  const at: number[] = [];
  let column = from;
  for (let i = from; i <= last; i++) {
    const tab = line.charCodeAt(i) === 9;
    if (tab && column - content >= 4) return null;
    const next = tab ? column + 4 - (column % 4) : column + 1;
    for (let v = Math.max(column, content); v < next; v++) {
      text += ' ';
      at.push(v === column ? i - from : i + 1 - from);
    }
    column = next;
  }
  return { text, chars: last + 1 - from, at };
}

/** The column that spaces and tabs starting at column `from` reach (a tab, the next multiple of 4). */
function columnsOf(spaces: string, from: number): number {
  let column = from;
  for (let i = 0; i < spaces.length; i++) column = spaces.charCodeAt(i) === 9 ? column + 4 - (column % 4) : column + 1;
  return column;
}

/** A line's indent: the column its leading spaces and tabs reach. */
export function indentOf(line: string): number {
  let column = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 32) column++;
    else if (c === 9) column += 4 - (column % 4);
    else break;
  }
  return column;
}

/**
 * How many characters of a line indented at least `column` make up that many columns: -1 where a
 * tab spans it (micromark would take part of the tab, which a line of the content cannot show).
 */
export function charsTo(line: string, column: number): number {
  let at = 0;
  let i = 0;
  while (at < column) at = line.charCodeAt(i++) === 9 ? at + 4 - (at % 4) : at + 1;
  return at === column ? i : -1;
}

/**
 * Whether the content of an item's line (from `from`, its content column `content`) reads in a
 * document of its own as in the item: a tab in it is as wide there as here where the content
 * column is a multiple of 4 (tab stops are), and only then.
 */
export const tabsRead = (line: string, from: number, content: number): boolean =>
  content % 4 === 0 || line.indexOf('\t', from) === -1 || tabsInText(line, from);

/** A marker of a block whose content's column counts: a block quote's, a list item's. */
const MARKER = /^(?:>|[-*+]|\d{1,9}[.)])/;

/**
 * Whether every tab of a content (a line from `from`) is in its text, where its width counts for
 * nothing: the content's indent, and that of any block quote or list item opened on the line
 * (`> - `), holds no tab, and the text after them starts with no `[` (a footnote definition's or
 * a task's). The text is then a paragraph's, a heading's, code's, a leaf's, which keep a tab as
 * written (`> a\tb`, `- see\tbelow`); a tab in an indent (the width of indented code, of a nested
 * item's content) is as wide in the content read alone as in the container only where the
 * content's column is a tab stop.
 */
export function tabsInText(line: string, from: number): boolean {
  let at = from;
  for (;;) {
    while (line.charCodeAt(at) === 32) at++;
    const marker = MARKER.exec(line.slice(at, at + 11));
    if (marker === null) break;
    const after = line.charCodeAt(at + marker[0].length);
    if (after === 9) return false;
    // `-a`, `1.5`: text; `>a`: a quote all the same.
    if (after !== 32 && marker[0] !== '>') break;
    at += marker[0].length;
  }
  const first = line[at];
  return first !== undefined && first !== '\t' && first !== '[';
}
