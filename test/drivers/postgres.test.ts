/**
 * The PostgreSQL driver against a real server (the local one at 127.0.0.1:5432, else an embedded
 * PGlite behind a socket, where the tests that need server-side cancel or pg_stat_activity skip).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../engine/drivers/postgres.js';
import type { QueryOptions, SqlConnection } from '../../engine/drivers/sql-result.js';
import { testDatabase, type TestDatabase } from '../helpers/postgres.js';
import { failure } from '../helpers/sql.js';
import { until } from '../helpers/until.js';

// Top-level, so `it.skipIf` knows at collection time which server the tests run against.
const db: TestDatabase = await testDatabase();
let conn: SqlConnection;
const read: QueryOptions = { readonly: true, timeoutMs: 10_000, maxRows: 100 };
const write: QueryOptions = { readonly: false, timeoutMs: 10_000, maxRows: 100 };
const needsServer = (): boolean => db.server !== 'postgres';
const NO_SERVER = 'skipped on the embedded PGlite: no server-side cancel, no pg_stat_activity';

beforeAll(async () => {
  await db.query('CREATE TABLE t (id int PRIMARY KEY, name text, big int8, amount numeric, at timestamptz, doc jsonb)');
  await db.query(
    "INSERT INTO t VALUES (1, 'one', 9007199254740993, 12345678901234567890.12, '2024-05-01 12:34:56.789+00', '{\"a\":[1,2]}'), (2, 'two', 1, 0, NULL, NULL)",
  );
  conn = await openPostgres(db.url);
}, 60_000);
afterAll(async () => {
  await conn?.close();
  await db?.close();
});

describe('openPostgres', () => {
  it('returns rows, fields, command and rowCount', async () => {
    const r = await conn.query('SELECT id, name FROM t ORDER BY id', [], read);
    expect(r.command).toBe('SELECT');
    expect(r.rowCount).toBe(2);
    expect(r.truncated).toBe(false);
    expect(r.rows).toEqual([
      { id: 1, name: 'one' },
      { id: 2, name: 'two' },
    ]);
    expect(r.fields).toEqual([
      { name: 'id', type: '23' },
      { name: 'name', type: '25' },
    ]);
    expect(r.sha256).toBe(createHash('sha256').update('{"id":1,"name":"one"}\n{"id":2,"name":"two"}\n').digest('hex'));
    const w = await conn.query('UPDATE t SET name = name WHERE id > $1', [0], write);
    expect(w).toMatchObject({ command: 'UPDATE', rowCount: 2, rows: [], truncated: false });
  });

  it('keeps int8/numeric exact as strings, timestamps as ISO text, json parsed', async () => {
    const r = await conn.query(
      'SELECT big, amount, at, doc, 2::int8 * 4611686018427387903 AS huge, ARRAY[1.5, 2.25]::numeric[] AS nums FROM t WHERE id = 1',
      [],
      read,
    );
    expect(r.rows[0]).toEqual({
      big: '9007199254740993',
      amount: '12345678901234567890.12',
      at: '2024-05-01T12:34:56.789Z',
      doc: { a: [1, 2] },
      huge: '9223372036854775806',
      nums: ['1.5', '2.25'],
    });
    const odd = await conn.query("SELECT 'infinity'::timestamptz AS a, '-infinity'::timestamp AS b", [], read);
    expect(odd.rows[0]).toEqual({ a: 'infinity', b: '-infinity' });
  });

  it('passes params as values: an injection attempt reaches the database only as text', async () => {
    const evil = "x'); DROP TABLE t; --";
    const r = await conn.query('SELECT count(*)::int AS n FROM t WHERE name = $1', [evil], write);
    expect(r.rows[0]).toEqual({ n: 0 });
    expect((await db.query('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(2);
  });

  it('read-only refuses an UPDATE with a clear message, and changes nothing', async () => {
    const e = await failure(conn.query("UPDATE t SET name = 'X'", [], read));
    expect(e.reason).toBe('error');
    expect(e.code).toBe('25006');
    expect(e.message).toMatch(
      /cannot execute UPDATE in a read-only transaction: this statement writes; mark the step readonly=false and put a confirm before it/,
    );
    expect((await db.query("SELECT count(*)::int AS n FROM t WHERE name = 'X'")).rows[0].n).toBe(0);
    // the same pooled session still writes when asked to
    expect((await conn.query("UPDATE t SET name = 'two' WHERE id = 2", [], write)).rowCount).toBe(1);
  });

  it('a session setting changed by a statement does not leak into the next query', async () => {
    await conn.query('SET statement_timeout = 0', [], write);
    await conn.query('SET default_transaction_read_only = off', [], read);
    const e = await failure(conn.query("UPDATE t SET name = 'X'", [], read));
    expect(e.code).toBe('25006');
    // Each query sets its own timeout for its own transaction, whatever the session was left with.
    const t = await conn.query("SELECT current_setting('statement_timeout') AS t", [], { ...read, timeoutMs: 1234 });
    expect(t.rows[0]!.t).toBe('1234ms');
  });

  it('a read-only script cannot switch itself to read-write', async () => {
    const e = await failure(
      conn.script(
        [
          { sql: 'SET transaction_read_only = off', params: [] },
          { sql: "UPDATE t SET name = 'X'", params: [] },
        ],
        read,
      ),
    );
    expect(e.reason).toBe('error');
    expect((await db.query("SELECT count(*)::int AS n FROM t WHERE name = 'X'")).rows[0].n).toBe(0);
  });

  it.skipIf(needsServer())(
    `a script that lifts its own statement_timeout is still stopped (${NO_SERVER})`,
    async () => {
      const started = Date.now();
      const e = await failure(
        conn.script(
          [
            { sql: 'SET statement_timeout = 0', params: [] },
            { sql: 'SELECT pg_sleep(30)', params: [] },
          ],
          { ...read, timeoutMs: 500 },
        ),
      );
      expect(e.reason).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(4000);
    },
  );

  it('other errors keep the database message and SQLSTATE', async () => {
    const e = await failure(conn.query('SELECT * FROM no_such_table', [], read));
    expect(e).toMatchObject({ reason: 'error', code: '42P01' });
    expect(e.message).toMatch(/relation "no_such_table" does not exist/);
  });

  it.skipIf(needsServer())(`a timed-out query is cancelled on the server (${NO_SERVER})`, async () => {
    const marker = `sleep_${Date.now()}`;
    const started = Date.now();
    const e = await failure(conn.query(`SELECT pg_sleep(30) AS ${marker}`, [], { ...read, timeoutMs: 1000 }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(e.reason).toBe('timeout');
    expect(e.message).toMatch(/query timed out after 1s and was cancelled on the server/);
    const active = await db.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active' AND pid <> pg_backend_pid()",
      [`%${marker}%`],
    );
    expect(active.rows[0].n).toBe(0);
    expect((await conn.query('SELECT 1 AS one', [], read)).rows).toEqual([{ one: 1 }]);
  });

  it.skipIf(needsServer())(`an abort cancels the query on the server (${NO_SERVER})`, async () => {
    const marker = `abort_${Date.now()}`;
    const controller = new AbortController();
    const active = async (): Promise<number> =>
      (
        await db.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active' AND pid <> pg_backend_pid()",
          [`%${marker}%`],
        )
      ).rows[0].n;
    const pending = failure(conn.query(`SELECT pg_sleep(30) AS ${marker}`, [], { ...read, signal: controller.signal }));
    // Abort once the query runs on the server: the cancel must reach it there.
    await until('pg_sleep to run on the server', async () => (await active()) === 1, 30_000);
    const aborted = Date.now();
    controller.abort();
    const e = await pending;
    expect(Date.now() - aborted).toBeLessThan(3000);
    expect(e.reason).toBe('cancelled');
    expect(await active()).toBe(0);
  });

  it('an already-aborted signal does not run the query', async () => {
    const e = await failure(conn.query("UPDATE t SET name = 'X'", [], { ...write, signal: AbortSignal.abort() }));
    expect(e.reason).toBe('cancelled');
    expect((await db.query("SELECT count(*)::int AS n FROM t WHERE name = 'X'")).rows[0].n).toBe(0);
  });

  it('1,000,000 rows keep 500, count all, and hash all', async () => {
    const r = await conn.query('SELECT g AS n, md5(g::text) AS h FROM generate_series(1, 1000000) g', [], {
      ...read,
      timeoutMs: 120_000,
      maxRows: 500,
    });
    expect(r.rows).toHaveLength(500);
    expect(r.rowCount).toBe(1_000_000);
    expect(r.truncated).toBe(true);
    expect(r.rows[499]).toMatchObject({ n: 500 });
    const { createHash: hash } = await import('node:crypto');
    const expected = hash('sha256');
    for (let n = 1; n <= 1_000_000; n++)
      expected.update(`{"n":${n},"h":"${createHash('md5').update(String(n)).digest('hex')}"}\n`);
    expect(r.sha256).toBe(expected.digest('hex'));
  }, 120_000);

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
    expect((await db.query('SELECT name FROM t WHERE id = 1')).rows[0].name).toBe('one');
    const r = await conn.script(
      [
        { sql: "UPDATE t SET name = 'Y' WHERE id = 1", params: [] },
        { sql: 'SELECT name FROM t WHERE id = $1', params: [1] },
      ],
      write,
    );
    expect(r.rows).toEqual([{ name: 'Y' }]);
    await conn.query("UPDATE t SET name = 'one' WHERE id = 1", [], write);
  });

  it('a query text holding two statements is refused, not run as a batch', async () => {
    const e = await failure(conn.query("SELECT 1; UPDATE t SET name = 'Z' WHERE id = 2", [], write));
    // Refused before it reaches the server, saying what to do (the server would say "multiple commands").
    expect(e.message).toMatch(
      /^this sql step holds 2 statements \(the second, `UPDATE t SET name = 'Z' WHERE id = 2`, begins at line 1, column 11 of its SQL\).*add script=true/,
    );
    expect((await db.query('SELECT name FROM t WHERE id = 2')).rows[0].name).toBe('two');
  });

  it('a statement that ends the transaction itself cannot smuggle a write past read-only', async () => {
    const e = await failure(
      conn.script(
        [
          { sql: 'COMMIT', params: [] },
          { sql: "UPDATE t SET name = 'W' WHERE id = 2", params: [] },
        ],
        read,
      ),
    );
    expect(e.reason).toBe('error');
    expect((await db.query('SELECT name FROM t WHERE id = 2')).rows[0].name).toBe('two');
  });

  it('after a failed statement the pooled sessions are clean: no open transaction, the next queries work', async () => {
    for (let i = 0; i < 6; i++) await failure(conn.query('SELECT 1/0', [], i % 2 ? read : write));
    const states = await Promise.all([1, 2, 3, 4].map(() => conn.query('SELECT 1 AS one', [], read)));
    expect(states.map((r) => r.rows[0])).toEqual([{ one: 1 }, { one: 1 }, { one: 1 }, { one: 1 }]);
    const r = await conn.query("SELECT current_setting('transaction_read_only') AS ro", [], write);
    expect(r.rows[0]).toEqual({ ro: 'off' });
  });

  it('a row the type parsers cannot read fails the query instead of the process', async () => {
    const e = await failure(conn.query('SELECT \'{"a":\' ::text::json AS broken', [], read));
    expect(e.reason).toBe('error');
  });

  it('a refused connection gives a clear message naming host:port, without the password', async () => {
    const bad = await openPostgres('postgres://alice:s3cr3t-pw@127.0.0.1:1/test');
    try {
      const e = await failure(bad.query('SELECT 1', [], read));
      expect(e.reason).toBe('error');
      expect(e.message).toMatch(/127\.0\.0\.1:1/);
      expect(e.message).toMatch(/ECONNREFUSED|refused/i);
      expect(e.message).not.toMatch(/s3cr3t-pw/);
      expect(e.message).not.toMatch(/alice:/);
    } finally {
      await bad.close();
    }
  });

  it.skipIf(needsServer())(`a missing database is named clearly (${NO_SERVER})`, async () => {
    const url = new URL(db.url);
    url.pathname = '/no_such_db_stepwise';
    url.password = 'hunter2';
    const bad = await openPostgres(url.toString());
    try {
      const e = await failure(bad.query('SELECT 1', [], read));
      expect(e.message).toMatch(/no_such_db_stepwise/);
      expect(e.message).toMatch(/127\.0\.0\.1:5432/);
      expect(e.message).not.toMatch(/hunter2/);
    } finally {
      await bad.close();
    }
  });
});
