/**
 * A list run's lines (found by markdown-lists.ts, their lists built by markdown-list-build.ts) and
 * how they nest: CommonMark's rules for them as micromark applies them.
 */
import type { ItemShape } from './markdown-items.js';

/** An item's line: its marker, number, content column, task check and text (markdown-items.ts), and where it is. */
export interface Line extends Omit<ItemShape, 'piped'> {
  start: number;
  end: number;
  /** A blank line comes before it (within the run: it starts a top-level item, a loose list's next). */
  afterBlank: boolean;
  /** Its line in the text, from 0. */
  row: number;
  /**
   * It is no item but text going on with the innermost paragraph (indented to its content or
   * lazily): `indent` its spaces, the rest of ItemShape unused.
   */
  continues: boolean;
  /**
   * It is no item but text after a blank line, or right after an empty item (where no paragraph is
   * open to go on with), indented to an open item's content and less than 4 past it: a new
   * paragraph in that item (the innermost such), which closes the items in it.
   */
  paragraph: boolean;
  /**
   * A fenced code block in an item (see FENCED): on its opening line, the code; on the lines
   * after it, up to its closing fence, 'in'. Null for every other line.
   */
  code: ItemCode | 'in' | null;
}

/** A fenced code block in an item, read by the finder: its info word, lines, and closing line. */
export interface ItemCode {
  lang: string | null;
  /** Its lines' text, the item's content columns and the fence's indent taken off. */
  lines: string[];
  /** The item's content column. */
  column: number;
  /** The closing fence's line. */
  closing: { start: number; end: number; row: number } | null;
}

export interface ListRun {
  start: number;
  end: number;
  lines: Line[];
}

/**
 * Walks the run by CommonMark's rules as micromark applies them; `onItem` sees each line that
 * starts an item, with how many of the open items it stays in, `onLazy` each line that continues
 * the innermost paragraph instead. A line that stays in every open item and starts a list in the
 * innermost interrupts its paragraph, and an ordered list may do so only from a lone `1`: another
 * number goes on with the paragraph. micromark asks this only there (micromark's document.js sets
 * `interrupt` only when every open container goes on): an item that leaves one starts a list of
 * any number, after a blank line or not.
 */
export function nest(
  lines: readonly Line[],
  onItem: (line: Line, kept: number) => void,
  onLazy: (line: Line) => void,
  onParagraph: (line: Line, kept: number) => void,
  onCode: (line: Line, code: ItemCode, kept: number) => void,
): void {
  /** Content columns of the open items, outermost first. */
  const stack: number[] = [];
  for (const line of lines) {
    if (line.code === 'in') continue;
    if (line.code !== null) {
      const kept = keptBy(stack, line.indent);
      stack.length = kept;
      onCode(line, line.code, kept);
    } else if (line.continues) onLazy(line);
    else if (line.paragraph) {
      const kept = keptBy(stack, line.indent);
      stack.length = kept;
      onParagraph(line, kept);
    } else if (enter(stack, line)) onItem(line, stack.length - 1);
    else onLazy(line);
  }
}

/**
 * Whether an item's line starts an item, given the content columns of the open items (`stack`,
 * outermost first, updated: the items it leaves closed, its own pushed), or goes on with the
 * innermost paragraph (4 or more past its container's content, or an ordered item other than a
 * lone `1` interrupting that paragraph).
 */
export function enter(stack: number[], line: Pick<ItemShape, 'indent' | 'content' | 'value' | 'digits'>): boolean {
  let kept = 0;
  while (kept < stack.length && line.indent >= stack[kept]!) kept++;
  const base = kept === 0 ? 0 : stack[kept - 1]!;
  if (line.indent - base >= 4 || (kept > 0 && kept === stack.length && !interruptsParagraph(line))) return false;
  stack.length = kept;
  stack.push(line.content);
  return true;
}

/** How many of the open items text after a blank line, `spaces` in, stays in (see paragraphIn), or 0. */
export function keptBy(stack: readonly number[], spaces: number): number {
  let kept = 0;
  while (kept < stack.length && spaces >= stack[kept]!) kept++;
  return kept === 0 || spaces - stack[kept - 1]! >= 4 ? 0 : kept;
}

/** Whether an item's line may interrupt a paragraph: a bullet, or the number `1` alone (not `01`, `10`). */
export const interruptsParagraph = (line: Pick<ItemShape, 'digits' | 'value'>): boolean =>
  line.value === -1 || (line.digits === 1 && line.value === 1);
