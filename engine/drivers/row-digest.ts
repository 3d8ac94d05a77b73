/**
 * Keeps the first rows of a result, counts all of them and hashes all of them, one row at a time,
 * and bounds what it keeps, as HTTP bodies are bounded:
 * - a cell larger than MAX_CELL_BYTES keeps its first MAX_CELL_BYTES (text cut on a character
 *   boundary, bytes as bytes, a JSON value as the start of its JSON text); the result lists it in
 *   `truncatedCells` with its whole size and the sha256 of its whole value;
 * - rows stop being kept once they would pass MAX_RESULT_BYTES together (like max-rows: still
 *   counted in rowCount and hashed in sha256), so a result can always be recorded.
 * The digest (sha256) is over every row whole, each as JSON on its own line, whatever was kept.
 * The SQLite worker (sqlite-worker.cjs, plain CommonJS) applies the same limits in the same way.
 */
import { createHash } from 'node:crypto';

/** A cell larger than this (UTF-8 bytes of text, bytes of a blob, the JSON text of a json value) keeps only its start. */
export const MAX_CELL_BYTES = 64 * 1024;
/** The rows a result keeps stop before their JSON passes this size. */
export const MAX_RESULT_BYTES = 4 * 1024 * 1024;

/** A cell kept only in part: its row (an index into `rows`), its column, its whole size and the sha256 (hex) of its whole value. */
export interface TruncatedCell {
  row: number;
  column: string;
  bytes: number;
  sha256: string;
}

export interface DigestLimits {
  cellBytes: number;
  resultBytes: number;
}

const json = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';

export function rowDigest(
  maxRows: number,
  limits: DigestLimits = { cellBytes: MAX_CELL_BYTES, resultBytes: MAX_RESULT_BYTES },
) {
  const hash = createHash('sha256');
  const rows: Record<string, unknown>[] = [];
  const cells: TruncatedCell[] = [];
  let count = 0;
  let keptBytes = 0;
  let bySize = false;
  return {
    add(row: Record<string, unknown>): void {
      count++;
      const line = json(row);
      hash.update(`${line}\n`);
      if (bySize || rows.length >= maxRows) return;
      let kept = row;
      // Every UTF-16 unit is at most 3 UTF-8 bytes: a short line cannot hold a cell over the limit.
      if (line.length * 3 > limits.cellBytes && Buffer.byteLength(line) > limits.cellBytes)
        kept = boundRow(row, rows.length, limits.cellBytes, cells);
      const size = kept === row ? Buffer.byteLength(line) : Buffer.byteLength(json(kept));
      if (keptBytes + size > limits.resultBytes) {
        bySize = true;
        while (cells.length > 0 && cells[cells.length - 1]!.row === rows.length) cells.pop(); // the cells of the row not kept
        return;
      }
      keptBytes += size;
      rows.push(kept);
    },
    done() {
      const truncated = count > rows.length;
      return {
        rows,
        count,
        truncated,
        sha256: hash.digest('hex'),
        ...(truncated ? { truncatedBy: bySize ? ('size' as const) : ('max-rows' as const) } : {}),
        ...(cells.length > 0 ? { truncatedCells: cells } : {}),
      };
    },
  };
}

/** The row with each cell over the limit cut to its start, noting each cut in `cells`. */
function boundRow(
  row: Record<string, unknown>,
  index: number,
  limit: number,
  cells: TruncatedCell[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    const cut = boundCell(value, limit);
    if (cut) cells.push({ row: index, column, bytes: cut.bytes, sha256: cut.sha256 });
    // defineProperty: a column named `__proto__` stays a column.
    Object.defineProperty(out, column, {
      value: cut ? cut.kept : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** A value over the limit: what is kept of it, its whole size and digest; undefined when it fits. */
export function boundCell(value: unknown, limit: number): { kept: unknown; bytes: number; sha256: string } | undefined {
  if (value instanceof Uint8Array) {
    if (value.byteLength <= limit) return undefined;
    return {
      kept: Buffer.from(value.buffer, value.byteOffset, limit),
      bytes: value.byteLength,
      sha256: createHash('sha256').update(value).digest('hex'),
    };
  }
  if (typeof value === 'string') return boundText(value, limit);
  if (value !== null && typeof value === 'object') return boundText(json(value), limit);
  return undefined;
}

function boundText(text: string, limit: number): { kept: string; bytes: number; sha256: string } | undefined {
  if (text.length * 3 <= limit) return undefined;
  const bytes = Buffer.byteLength(text);
  if (bytes <= limit) return undefined;
  return { kept: utf8Prefix(text, limit), bytes, sha256: createHash('sha256').update(text, 'utf8').digest('hex') };
}

/** The longest start of `text` whose UTF-8 is at most `limit` bytes, never splitting a character. */
export function utf8Prefix(text: string, limit: number): string {
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const size = pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    if (bytes + size > limit) break;
    bytes += size;
    i += pair ? 2 : 1;
  }
  return text.slice(0, i);
}
