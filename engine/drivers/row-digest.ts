/** Keeps the first rows of a result, counts all of them and hashes all of them, one row at a time. */
import { createHash } from 'node:crypto';

export function rowDigest(maxRows: number) {
  const hash = createHash('sha256');
  const rows: Record<string, unknown>[] = [];
  let count = 0;
  return {
    add(row: Record<string, unknown>): void {
      count++;
      hash.update(`${JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
      if (rows.length < maxRows) rows.push(row);
    },
    done() {
      return { rows, count, truncated: count > rows.length, sha256: hash.digest('hex') };
    },
  };
}
