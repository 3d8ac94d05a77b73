/** Plain aligned columns (like `docker ps`), measured in terminal cells so wide characters line up. */
import { displayWidth, graphemes } from './width.js';

export interface TableOptions {
  /** A line of dashes under the header (a result table, where a value could read as a column name). */
  rule?: boolean;
  /** Columns aligned to the right (numbers), by index. */
  right?: ReadonlySet<number>;
}

export function formatTable(header: string[], rows: string[][], options: TableOptions = {}): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(widths[i]! - displayWidth(c));
        if (options.right?.has(i)) return pad + c;
        return i === cells.length - 1 ? c : c + pad;
      })
      .join('  ')
      .trimEnd();
  const rule = options.rule ? [widths.map((w) => '-'.repeat(w)).join('  ')] : [];
  return `${[line(header), ...rule, ...rows.map(line)].join('\n')}\n`;
}

/**
 * `text` cut to at most `width` terminal cells, ending in `…` when it was cut. Cuts between
 * grapheme clusters, so a wide character or an emoji with its modifiers is kept whole or left out.
 */
export function cutToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const { segment } of graphemes(text)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}
