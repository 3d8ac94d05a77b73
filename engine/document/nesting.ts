/**
 * A bound on nesting, checked before the Markdown parser sees the text. micromark's work per line
 * grows with the number of open containers (lists, block quotes, `:::` directive containers), and
 * the mdast utilities after it recurse once per level: 3,000 nested list markers on one line
 * overflow the stack, and 1,600 unclosed `:::if` containers take 18 s. No real runbook nests more
 * than a few levels, so a file that passes MAX_NESTING is one error at the line where it does
 * (markdown-it's `maxNesting` answers the same problem), and the rest of it is not read.
 *
 * The count is a line scan that over-estimates rather than misses: every list marker and `>` at the
 * start of a line, the list items still open by indentation from the lines before, and the open
 * `:::` containers (those opened in a list item close with it: 300 items each leaving `:::note`
 * open nest no deeper than one). Lines inside a fenced code block at the top level are not counted.
 */

/** Levels of nesting a runbook may have: far above any real one, far below what costs seconds. */
export const MAX_NESTING = 256;

export interface TooDeep {
  /** Offset of the marker (or line) where the nesting passes the limit. */
  offset: number;
  /** The nesting there: MAX_NESTING + 1. */
  depth: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Where the nesting first passes `limit`, or null when it never does. Linear in the text. */
export function findTooDeep(source: string, limit = MAX_NESTING): TooDeep | null {
  /** Content columns of the list items open by indentation, innermost last. */
  const items: number[] = [];
  /** The open `:::` containers: for each, how many list items were open around it. */
  const containers: number[] = [];
  let fence: string | null = null;
  let pos = 0;
  while (pos <= source.length) {
    const newline = source.indexOf('\n', pos);
    const end = newline === -1 ? source.length : newline;
    if (fence !== null) {
      const line = source.slice(pos, end);
      const m = FENCE.exec(line);
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.slice(m[0].length).trim() === '')
        fence = null;
    } else {
      const line = scanLine(source, pos, end, items, containers.length, limit);
      if (line.tooDeep) return line.tooDeep;
      // A list item this line closes closes the containers in it.
      while (containers.length > 0 && containers[containers.length - 1]! > line.kept) containers.pop();
      // Only a rest starting with a backtick, tilde or colon opens or closes anything (the rest
      // starts after the line's white space): no copy of every other line's rest.
      const c = source.charCodeAt(line.restStart);
      if (c === 96 /* ` */ || c === 126 /* ~ */ || c === 58 /* : */) {
        const rest = source.slice(line.restStart, end).replace(/\r$/, '');
        const f = FENCE.exec(rest);
        if (f && line.markers === 0 && line.indent < 4) {
          if (!(f[1]![0] === '`' && rest.slice(f[0].length).includes('`'))) fence = f[1]!;
        } else if (/^:{3,}[ \t]*$/.test(rest)) {
          containers.pop();
        } else if (/^:{3,}[A-Za-z]/.test(rest)) {
          containers.push(items.length);
          if (items.length + containers.length > limit) return { offset: line.restStart, depth: limit + 1 };
        }
      }
    }
    if (newline === -1) break;
    pos = newline + 1;
  }
  return null;
}

interface ScannedLine {
  tooDeep: TooDeep | null;
  /** Where the text after the line's indentation and markers starts. */
  restStart: number;
  indent: number;
  markers: number;
  /** How many list items from the lines before are still open (the line's indentation closes the rest). */
  kept: number;
}

/**
 * Counts the line's leading markers (`>`, list markers) on top of the list items still open from
 * the lines before and the open `:::` containers; says where the count passes `limit`. Updates
 * `items`: the items this line's indentation closes go, the ones it opens come.
 */
function scanLine(
  source: string,
  pos: number,
  end: number,
  items: number[],
  containers: number,
  limit: number,
): ScannedLine {
  let i = pos;
  let column = 0;
  while (i < end && (source[i] === ' ' || source[i] === '\t')) {
    column += source[i] === '\t' ? 4 - (column % 4) : 1;
    i++;
  }
  const indent = column;
  // A blank line closes nothing here.
  if (i === end || (i === end - 1 && source[i] === '\r'))
    return { tooDeep: null, restStart: i, indent, markers: 0, kept: items.length };
  while (items.length > 0 && items[items.length - 1]! > column) items.pop();
  const kept = items.length;
  const open = items.length + containers;
  let markers = 0;
  /** Made for a line with markers only. */
  let opened: number[] | null = null;
  for (;;) {
    const c = source.charCodeAt(i);
    let width = 0;
    if (c === 62 /* > */ || c === 45 /* - */ || c === 42 /* * */ || c === 43 /* + */) width = 1;
    else if (c >= 48 && c <= 57) {
      let j = i;
      while (j < end && j - i < 9 && source.charCodeAt(j) >= 48 && source.charCodeAt(j) <= 57) j++;
      if (j < end && (source[j] === '.' || source[j] === ')')) width = j - i + 1;
    }
    if (width === 0) break;
    const after = i + width;
    const spaced = after >= end || source[after] === ' ' || source[after] === '\t' || source[after] === '\r';
    if (c !== 62 && !spaced) break;
    markers++;
    if (open + markers > limit)
      return { tooDeep: { offset: i, depth: limit + 1 }, restStart: i, indent, markers, kept };
    let j = after;
    while (j < end && (source[j] === ' ' || source[j] === '\t')) j++;
    column += j - i;
    if (c !== 62) (opened ??= []).push(column);
    i = j;
  }
  if (opened !== null) for (const col of opened) items.push(col);
  return { tooDeep: null, restStart: i, indent, markers, kept };
}
