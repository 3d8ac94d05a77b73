/**
 * A container's content line whose leading white space holds a tab (markdown-inner.ts): read with
 * that white space as the spaces it reaches (`lead`), as a block quote's content column is no tab
 * stop, and what values that keep white space as written (code, HTML) hold of it.
 */
import type { Nodes, RootContent } from 'mdast';
import { CLOSING_FENCE } from './markdown-inner-ends.js';
import { opensFence } from './markdown-literal.js';

/** A container's lines, as far as their leading white space goes. */
interface Lines {
  readonly lines: readonly InnerLine[];
}

/** A line of a container: where it is in the chunk's text, and how much of it is the container's. */
export interface InnerLine {
  /** The line's row in the chunk's text, from 0. */
  readonly row: number;
  /** Where the line starts in the chunk's text. */
  readonly start: number;
  /** Where it ends, before its line ending. */
  readonly end: number;
  /** How many characters of it are the container's (`> `: 2); its content starts after them. */
  readonly prefix: number;
  /**
   * The content's leading white space as read, where it holds a tab (a block quote's: its content
   * column is no tab stop): spaces to the columns the line's own reach, standing for `leadChars`
   * characters of it (markdown-quotes.ts, innerLines).
   */
  readonly lead?: string;
  readonly leadChars?: number;
  /** For each character of `lead`, where micromark stands there: characters past the prefix. */
  readonly leadAt?: readonly number[];
  /**
   * `lead` is all micromark's virtual spaces (a tab split with a list item's marker: `-\t    a`),
   * which values hold as spaces: code or HTML over it is read as the content is (rawOverLead).
   */
  readonly virtual?: boolean;
}

/** A content line's text as read: past the prefix, its leading white space as `lead` has it. */
export function lineText(line: InnerLine, text: string): string {
  const from = line.start + line.prefix;
  return line.lead === undefined
    ? text.slice(from, line.end)
    : line.lead + text.slice(from + line.leadChars!, line.end);
}

/**
 * A content line as micromark's values hold it: as written past the prefix, but where the prefix
 * took the first column of a tab right after a `>` (`>\t`), the rest of that tab's columns are
 * spaces (micromark's virtual spaces).
 */
function rawLine(line: InnerLine, text: string): string {
  const from = line.start + line.prefix;
  if (line.lead === undefined || text.charCodeAt(from - 1) !== 62 /* > */ || text.charCodeAt(from) !== 9)
    return text.slice(from, line.end);
  return ' '.repeat(3 - (line.prefix % 4)) + text.slice(from + 1, line.end);
}

/**
 * An HTML block at the content's top level over lines whose leading white space was read as spaces
 * (`lead`) gets its value as written (rawLine), where its value is those lines as read, whole; true
 * when it does (`> \t<div>`: micromark's value is `\t<div>`, 1 MB of them 8 s).
 */
function rawHtml(node: RootContent, block: Lines, row: number, text: string): boolean {
  if (node.type !== 'html' || node.position!.start.column !== 1) return false;
  const from = node.position!.start.line - 1 - row;
  const to = node.position!.end.line - 1 - row;
  if (from < 0 || to >= block.lines.length) return false;
  const lines = block.lines.slice(from, to + 1);
  if (node.value !== lines.map((line) => lineText(line, text)).join('\n')) return false;
  node.value = lines.map((line) => rawLine(line, text)).join('\n');
  return true;
}

/**
 * Whether code or HTML, whose value keeps white space as written (a tab a tab), spans a line whose
 * leading white space was read as spaces (`lead`): its value would hold the spaces. Not a fence's
 * opening line, or its closing one (`content`: the content as read), which are no part of it; not
 * an HTML block at the top level, whose value is put back as written (rawHtml).
 */
export function rawOverLead(
  nodes: readonly RootContent[],
  block: Lines,
  row: number,
  content: string,
  text: string,
): boolean {
  let lines: string[] | undefined;
  const stack: Nodes[] = nodes.filter((node) => !rawHtml(node, block, row, text));
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'code' || node.type === 'html') {
      let from = node.position!.start.line - 1 - row;
      let to = node.position!.end.line - 1 - row;
      let fence: string | null = null;
      if (node.type === 'code' && from >= 0) {
        lines ??= content.split('\n');
        fence = opensFence(lines[from] ?? '');
        if (fence !== null) {
          from++;
          // (CLOSING_FENCE: only spaces or tabs after it, as micromark closes one.)
          const closing = CLOSING_FENCE.exec(lines[to] ?? '')?.[1] ?? '';
          if (closing[0] === fence[0] && closing.length >= fence.length) to--;
        }
      }
      // Indented code at the content's top level keeps what is past its first 4 columns.
      const indented = node.type === 'code' && fence === null && node.position!.start.column === 1;
      for (let i = Math.max(0, from); i <= to && i < block.lines.length; i++) {
        const line = block.lines[i]!;
        if (line.lead !== undefined && !line.virtual && !(indented && spacesPastIndent(line, text))) return true;
      }
    } else if ('children' in node) for (const child of node.children) stack.push(child as Nodes);
  }
  return false;
}

/**
 * Whether what indented code keeps of a line whose leading white space was read as spaces (`lead`),
 * the columns past its first 4, is spaces as written: every tab of it is in those 4 columns
 * (`> \t    @`: the code's value is `  @` either way; 1 MB of such quotes took micromark 4.7 s).
 */
function spacesPastIndent(line: InnerLine, text: string): boolean {
  const past = line.lead!.length - 4;
  if (past <= 0) return true;
  const end = line.start + line.prefix + line.leadChars!;
  return past <= line.leadChars! && text.slice(end - past, end) === ' '.repeat(past);
}
