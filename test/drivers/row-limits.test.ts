/**
 * What a query result keeps is bounded, whatever a database returns: a cell past 64 KiB keeps its
 * start, with its whole size and sha256 (as HTTP bodies do), and the rows kept stop before 4 MiB
 * (counted and hashed like max-rows). The row digest still covers every row whole. SQLite (its
 * worker process), PostgreSQL (the local server, else PGlite behind a socket) and PGlite.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../engine/drivers/pglite.js';
import { openPostgres } from '../../engine/drivers/postgres.js';
import { MAX_CELL_BYTES, MAX_RESULT_BYTES, rowDigest, utf8Prefix } from '../../engine/drivers/row-digest.js';
import { openSqlite } from '../../engine/drivers/sqlite.js';
import type { QueryOptions, SqlConnection } from '../../engine/drivers/sql-result.js';
import { testDatabase } from '../helpers/postgres.js';

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const read: QueryOptions = { readonly: true, timeoutMs: 30_000, maxRows: 500 };
const X = 'x'.repeat(300_000);
/** The digest of rows as every driver computes it: each row's JSON on its own line. */
const digestOf = (rows: unknown[]): string => sha256(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));

describe('rowDigest', () => {
  const limits = { cellBytes: 10, resultBytes: 100 };

  it('cuts a cell past the limit on a character boundary, noting its whole size and sha256; the digest covers the whole row', () => {
    const digest = rowDigest(10, { ...limits, resultBytes: 1000 });
    const text = 'ab€€€€€€'; // 2 + 6 × 3 bytes: the cut falls inside the fourth €
    const bytes = Buffer.alloc(25, 7);
    digest.add({ id: 1, text, bytes, doc: { a: 'long enough to cut' }, n: 12345678901234567890n });
    const done = digest.done();
    expect(done.rows).toEqual([
      { id: 1, text: 'ab€€', bytes: Buffer.alloc(10, 7), doc: '{"a":"long', n: 12345678901234567890n },
    ]);
    expect(done.truncatedCells).toEqual([
      { row: 0, column: 'text', bytes: 20, sha256: sha256(text) },
      { row: 0, column: 'bytes', bytes: 25, sha256: sha256(bytes) },
      { row: 0, column: 'doc', bytes: 26, sha256: sha256('{"a":"long enough to cut"}') },
    ]);
    expect(done.truncated).toBe(false);
    expect(done.sha256).toBe(
      sha256(
        `${JSON.stringify({ id: 1, text, bytes, doc: { a: 'long enough to cut' }, n: '12345678901234567890' })}\n`,
      ),
    );
  });

  it('stops keeping rows before their JSON passes the result limit; counts and hashes them all', () => {
    const digest = rowDigest(1000, limits);
    const rows = Array.from({ length: 9 }, (_, i) => ({ i, v: 'yyyyyyyy' }));
    for (const row of rows) digest.add(row);
    const done = digest.done();
    expect(done.rows).toEqual(rows.slice(0, 4)); // 4 × 22 bytes of JSON fit in 100, 5 do not
    expect(done).toMatchObject({ count: 9, truncated: true, truncatedBy: 'size', sha256: digestOf(rows) });
    expect(done.truncatedCells).toBeUndefined();
  });

  it('max-rows still says so', () => {
    const digest = rowDigest(2, limits);
    for (let i = 0; i < 3; i++) digest.add({ i });
    expect(digest.done()).toMatchObject({ count: 3, truncated: true, truncatedBy: 'max-rows' });
  });

  it('utf8Prefix never splits a character or a surrogate pair', () => {
    expect(utf8Prefix('a😀b', 4)).toBe('a');
    expect(utf8Prefix('a😀b', 5)).toBe('a😀');
    expect(utf8Prefix('éé', 3)).toBe('é');
  });
});

/** The same checks for every driver: one 300 KB text cell; 70 rows of 60 KB, past 4 MiB together. */
function describeLimits(
  name: string,
  connect: () => Promise<{ connection: SqlConnection; big: string; many: string; blob: string }>,
  skip = false,
): void {
  describe.skipIf(skip)(name, () => {
    let parts: Awaited<ReturnType<typeof connect>>;
    afterAll(async () => parts?.connection.close());

    it('a 300 KB cell keeps its first 64 KiB, its size and its sha256; the row digest is over the whole value', async () => {
      parts = await connect();
      const result = await parts.connection.query(parts.big, [], read);
      expect(result.rows).toEqual([{ n: 1, t: X.slice(0, MAX_CELL_BYTES) }]);
      expect(result.truncatedCells).toEqual([{ row: 0, column: 't', bytes: 300_000, sha256: sha256(X) }]);
      expect(result).toMatchObject({ rowCount: 1, truncated: false, sha256: digestOf([{ n: 1, t: X }]) });
    }, 60_000);

    it('a 100,000-byte blob keeps its first 64 KiB (as base64 once recorded), its size and its sha256', async () => {
      const result = await parts.connection.query(parts.blob, [], read);
      const kept = result.rows[0]!.b;
      expect(
        Buffer.isBuffer(kept) || kept instanceof Uint8Array ? Buffer.from(kept as Uint8Array).toString('base64') : kept,
      ).toBe(Buffer.alloc(MAX_CELL_BYTES).toString('base64'));
      expect(result.truncatedCells).toEqual([
        { row: 0, column: 'b', bytes: 100_000, sha256: sha256(Buffer.alloc(100_000)) },
      ]);
    }, 60_000);

    it('rows stop being kept before 4 MiB; all 70 are counted and hashed', async () => {
      const result = await parts.connection.query(parts.many, [], read);
      const y = 'y'.repeat(60_000);
      const all = Array.from({ length: 70 }, (_, i) => ({ i: i + 1, v: y }));
      expect(result.rowCount).toBe(70);
      expect(result.truncated).toBe(true);
      expect(result.truncatedBy).toBe('size');
      expect(result.rows).toEqual(all.slice(0, result.rows.length));
      expect(Buffer.byteLength(JSON.stringify(result.rows))).toBeLessThanOrEqual(MAX_RESULT_BYTES);
      expect(result.rows.length).toBe(Math.floor(MAX_RESULT_BYTES / Buffer.byteLength(JSON.stringify(all[10]))));
      expect(result.sha256).toBe(digestOf(all));
    }, 60_000);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'stepwise-row-limits-'));
const SQLITE_SERIES = (n: number) => `WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < ${n})`;
describeLimits('SQLite', async () => ({
  connection: await openSqlite(join(dir, 'limits.db'), { readonly: false }),
  big: "SELECT 1 AS n, printf('%.*c', 300000, 'x') AS t",
  blob: 'SELECT zeroblob(100000) AS b',
  many: `${SQLITE_SERIES(70)} SELECT i, printf('%.*c', 60000, 'y') AS v FROM r`,
}));

const PG = {
  big: "SELECT 1 AS n, repeat('x', 300000) AS t",
  blob: "SELECT decode(repeat('00', 100000), 'hex') AS b",
  many: "SELECT i, repeat('y', 60000) AS v FROM generate_series(1, 70) AS i",
};
const pg = await testDatabase();
afterAll(() => pg.close());
describeLimits(`PostgreSQL (${pg.server})`, async () => ({ connection: await openPostgres(pg.url), ...PG }));
describeLimits('PGlite', async () => ({ connection: await openPglite('pglite:memory'), ...PG }));
