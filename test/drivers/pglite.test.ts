/** The PGlite driver (embedded PostgreSQL in WebAssembly), in memory and in a data directory. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, pgliteDir } from '../../engine/drivers/pglite.js';
import type { QueryOptions, SqlConnection } from '../../engine/drivers/sql-result.js';
import { failure } from '../helpers/sql.js';

const read: QueryOptions = { readonly: true, timeoutMs: 30_000, maxRows: 100 };
const write: QueryOptions = { readonly: false, timeoutMs: 30_000, maxRows: 100 };
const dir = mkdtempSync(join(tmpdir(), 'stepwise-pglite-'));
let conn: SqlConnection;

beforeAll(async () => {
  conn = await openPglite('pglite:');
  await conn.query(
    'CREATE TABLE t (id int PRIMARY KEY, name text, big int8, amount numeric, at timestamptz, doc jsonb)',
    [],
    write,
  );
  await conn.query(
    "INSERT INTO t VALUES (1, 'one', 9007199254740993, 12345678901234567890.12, '2024-05-01 12:34:56.789123+00', '{\"a\":[1,2]}'), (2, 'two', 1, 0, NULL, NULL)",
    [],
    write,
  );
}, 60_000);
afterAll(async () => {
  await conn?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('openPglite', () => {
  it('reads the target forms', () => {
    expect(pgliteDir('pglite:')).toBeUndefined();
    expect(pgliteDir('pglite:memory')).toBeUndefined();
    expect(pgliteDir('pglite:./data/db')).toBe('./data/db');
  });

  it('returns rows, fields, command and rowCount', async () => {
    const r = await conn.query('SELECT id, name FROM t ORDER BY id', [], read);
    expect(r).toMatchObject({
      command: 'SELECT',
      rowCount: 2,
      truncated: false,
      rows: [
        { id: 1, name: 'one' },
        { id: 2, name: 'two' },
      ],
    });
    expect(r.fields).toEqual([
      { name: 'id', type: '23' },
      { name: 'name', type: '25' },
    ]);
    expect(r.sha256).toBe(createHash('sha256').update('{"id":1,"name":"one"}\n{"id":2,"name":"two"}\n').digest('hex'));
    const w = await conn.query('UPDATE t SET name = name WHERE id > $1', [0], write);
    expect(w).toMatchObject({ command: 'UPDATE', rowCount: 2, rows: [] });
  });

  it('keeps int8/numeric exact as strings, timestamps as ISO text, json parsed', async () => {
    const r = await conn.query(
      'SELECT big, amount, at, doc, ARRAY[1.5, 2.25]::numeric[] AS nums FROM t WHERE id = 1',
      [],
      read,
    );
    expect(r.rows[0]).toEqual({
      big: '9007199254740993',
      amount: '12345678901234567890.12',
      at: '2024-05-01T12:34:56.789123Z',
      doc: { a: [1, 2] },
      nums: ['1.5', '2.25'],
    });
  });

  it('passes params as values: an injection attempt reaches the database only as text', async () => {
    const r = await conn.query('SELECT count(*)::int AS n FROM t WHERE name = $1', ["x'); DROP TABLE t; --"], write);
    expect(r.rows[0]).toEqual({ n: 0 });
    expect((await conn.query('SELECT count(*)::int AS n FROM t', [], read)).rows[0]).toEqual({ n: 2 });
  });

  it('read-only refuses an UPDATE with a clear message', async () => {
    const e = await failure(conn.query("UPDATE t SET name = 'X'", [], read));
    expect(e).toMatchObject({ reason: 'error', code: '25006' });
    expect(e.message).toMatch(
      /cannot execute UPDATE in a read-only transaction: this statement writes; mark the step readonly=false/,
    );
    const e2 = await failure(
      conn.script(
        [
          { sql: 'SET transaction_read_only = off', params: [] },
          { sql: "UPDATE t SET name = 'X'", params: [] },
        ],
        read,
      ),
    );
    expect(e2.reason).toBe('error');
    expect((await conn.query("SELECT count(*)::int AS n FROM t WHERE name = 'X'", [], read)).rows[0]).toEqual({ n: 0 });
  });

  it('other errors keep the message and SQLSTATE; the session stays usable', async () => {
    const e = await failure(conn.query('SELECT * FROM nope', [], read));
    expect(e).toMatchObject({ reason: 'error', code: '42P01' });
    expect((await conn.query('SELECT 1 AS one', [], read)).rows).toEqual([{ one: 1 }]);
  });

  it('a write past its time limit is reported as a timeout and rolled back, not committed', async () => {
    const started = Date.now();
    const e = await failure(
      conn.query("UPDATE t SET name = 'slow' WHERE id = 1 AND pg_sleep(1.5) IS NOT NULL", [], {
        ...write,
        timeoutMs: 300,
      }),
    );
    expect(e.reason).toBe('timeout');
    expect(e.message).toMatch(/timed out after 300 ms.*rolled back/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await conn.query('SELECT name FROM t WHERE id = 1', [], read)).rows).toEqual([{ name: 'one' }]);
  });

  it('an abort rejects as cancelled and nothing commits', async () => {
    const e = await failure(conn.query("UPDATE t SET name = 'X'", [], { ...write, signal: AbortSignal.abort() }));
    expect(e.reason).toBe('cancelled');
    const controller = new AbortController();
    const pending = conn.script(
      [
        { sql: "UPDATE t SET name = 'X' WHERE id = 2", params: [] },
        { sql: 'SELECT pg_sleep(0.5)', params: [] },
      ],
      { ...write, signal: controller.signal },
    );
    controller.abort();
    expect((await failure(pending)).reason).toBe('cancelled');
    expect((await conn.query('SELECT name FROM t WHERE id = 2', [], read)).rows).toEqual([{ name: 'two' }]);
  });

  it('an abort that comes while a statement blocks (Ctrl-C mid-write) still keeps it from committing', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100); // due while pg_sleep holds the event loop
    const pending = conn.script(
      [
        { sql: "UPDATE t SET name = 'X' WHERE id = 2", params: [] },
        { sql: 'SELECT pg_sleep(0.5)', params: [] },
      ],
      { ...write, signal: controller.signal },
    );
    expect((await failure(pending)).reason).toBe('cancelled');
    expect((await conn.query('SELECT name FROM t WHERE id = 2', [], read)).rows).toEqual([{ name: 'two' }]);
  });

  it('script runs statements in one transaction: all or nothing', async () => {
    const e = await failure(
      conn.script(
        [
          { sql: "UPDATE t SET name = 'Y' WHERE id = 1", params: [] },
          { sql: 'SELECT 1/0', params: [] },
        ],
        write,
      ),
    );
    expect(e.code).toBe('22012');
    expect((await conn.query('SELECT name FROM t WHERE id = 1', [], read)).rows).toEqual([{ name: 'one' }]);
  });

  it('1,000,000 rows keep 500, count all, and hash all', async () => {
    const r = await conn.query('SELECT g AS n FROM generate_series(1, 1000000) g', [], {
      ...read,
      timeoutMs: 120_000,
      maxRows: 500,
    });
    expect(r.rows).toHaveLength(500);
    expect(r).toMatchObject({ rowCount: 1_000_000, truncated: true });
    const expected = createHash('sha256');
    for (let n = 1; n <= 1_000_000; n++) expected.update(`{"n":${n}}\n`);
    expect(r.sha256).toBe(expected.digest('hex'));
  }, 120_000);

  it('persists in a data directory', async () => {
    const target = `pglite:${join(dir, 'data')}`;
    const first = await openPglite(target);
    await first.query('CREATE TABLE kept (v text)', [], write);
    await first.query('INSERT INTO kept VALUES ($1)', ['hello'], write);
    await first.close();
    const second = await openPglite(target);
    try {
      expect((await second.query('SELECT v FROM kept', [], read)).rows).toEqual([{ v: 'hello' }]);
    } finally {
      await second.close();
    }
  }, 60_000);
});
