/** The SQLite driver: better-sqlite3 in a child process, against real database files. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../engine/drivers/sqlite.js';
import type { QueryOptions, SqlConnection } from '../../engine/drivers/sql-result.js';
import { alive } from '../helpers/process.js';
import { failure } from '../helpers/sql.js';
import { until } from '../helpers/until.js';

const read: QueryOptions = { readonly: true, timeoutMs: 20_000, maxRows: 100 };
const write: QueryOptions = { readonly: false, timeoutMs: 20_000, maxRows: 100 };
const dir = mkdtempSync(join(tmpdir(), 'stepwise-sqlite-'));
const file = join(dir, 'test.db');
let conn: SqlConnection;

beforeAll(async () => {
  const setup = new Database(file);
  setup.exec(
    "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, big INTEGER); INSERT INTO t VALUES (1, 'one', 9007199254740993), (2, 'two', 1);",
  );
  setup.close();
  conn = await openSqlite(file, { readonly: false });
});
afterAll(async () => {
  await conn?.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (sql: string): number => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** The worker: a child of this process running sqlite-worker.cjs (one at a time). */
function workerPid(): number {
  const pids = execFileSync('pgrep', ['-P', String(process.pid), '-f', 'sqlite-worker.cjs'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map(Number);
  expect(pids).toHaveLength(1);
  return pids[0]!;
}

/** CPU time a process has used, in clock ticks (utime + stime in /proc/PID/stat). */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /s, '')
    .split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * The worker, started and idle (it has just answered a query); `running()` resolves once a query
 * sent after this call runs in it, seen as the worker using CPU (not after a guess at how long
 * sending it takes).
 */
async function idleWorker(): Promise<{ pid: number; running(): Promise<void> }> {
  expect((await conn.query('SELECT 1 AS one', [], read)).rows).toEqual([{ one: 1 }]);
  const pid = workerPid();
  const before = cpuTicks(pid);
  return { pid, running: () => until('the query to run in the SQLite worker', () => cpuTicks(pid) >= before + 5) };
}

async function gone(pid: number): Promise<boolean> {
  await until(`process ${pid} to end`, () => !alive(pid), 5000);
  return true;
}

describe('openSqlite', () => {
  it('a COMMIT inside a script is refused before anything runs, so nothing escapes the transaction', async () => {
    const e = await failure(
      conn.script(
        [
          { sql: "UPDATE t SET name = 'W' WHERE id = 2", params: [] },
          { sql: 'COMMIT', params: [] },
          { sql: "UPDATE t SET name = 'V' WHERE id = 1", params: [] },
        ],
        { readonly: false, timeoutMs: 5000, maxRows: 10 },
      ),
    );
    expect(e.message).toMatch(/COMMIT is not allowed in a sql step/);
    expect(count("SELECT count(*) AS n FROM t WHERE name IN ('W', 'V')")).toBe(0);
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
    expect(r.fields.map((f) => f.name)).toEqual(['id', 'name']);
    expect(r.sha256).toBe(createHash('sha256').update('{"id":1,"name":"one"}\n{"id":2,"name":"two"}\n').digest('hex'));
    const w = await conn.query('UPDATE t SET name = name WHERE id > ?', [0], write);
    expect(w).toMatchObject({ command: 'UPDATE', rowCount: 2, rows: [] });
  });

  it('keeps integers past 2^53 exact, as strings', async () => {
    const r = await conn.query('SELECT big, 9223372036854775807 AS max, 1 AS small FROM t WHERE id = 1', [], read);
    expect(r.rows[0]).toEqual({ big: '9007199254740993', max: '9223372036854775807', small: 1 });
  });

  it('passes params as values: an injection attempt reaches the database only as text', async () => {
    const r = await conn.query('SELECT count(*) AS n FROM t WHERE name = ?', ["x'); DROP TABLE t; --"], write);
    expect(r.rows[0]).toEqual({ n: 0 });
    expect(count('SELECT count(*) AS n FROM t')).toBe(2);
  });

  it('read-only refuses an UPDATE with a clear message, then writes again when asked', async () => {
    const e = await failure(conn.query("UPDATE t SET name = 'X'", [], read));
    expect(e.reason).toBe('error');
    expect(e.message).toMatch(/this statement writes; mark the step readonly=false and put a confirm before it/);
    expect(count("SELECT count(*) AS n FROM t WHERE name = 'X'")).toBe(0);
    expect((await conn.query("UPDATE t SET name = 'two' WHERE id = 2", [], write)).rowCount).toBe(1);
  });

  it('a read-only connection refuses writes whatever the step says', async () => {
    const ro = await openSqlite(file, { readonly: true });
    try {
      const e = await failure(ro.query("UPDATE t SET name = 'X'", [], write));
      expect(e.message).toMatch(/readonly/);
      expect((await ro.query('SELECT count(*) AS n FROM t', [], read)).rows).toEqual([{ n: 2 }]);
    } finally {
      await ro.close();
    }
  });

  it('other errors keep the message and code', async () => {
    const e = await failure(conn.query('SELECT * FROM nope', [], read));
    expect(e.reason).toBe('error');
    expect(e.message).toMatch(/no such table: nope/);
    expect(e.code).toBe('SQLITE_ERROR');
  });

  it('a query past its timeout is stopped in about the timeout, and the next query works', async () => {
    const started = Date.now();
    const e = await failure(
      conn.query(
        'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000000) SELECT count(*) AS n FROM c',
        [],
        { ...read, timeoutMs: 2000 },
      ),
    );
    const took = Date.now() - started;
    expect(e.reason).toBe('timeout');
    expect(e.message).toBe('query timed out after 2s; the SQLite worker was stopped');
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(4000);
    expect((await conn.query('SELECT 1 AS one', [], read)).rows).toEqual([{ one: 1 }]);
  });

  it('an abort stops the worker; an already-aborted signal runs nothing', async () => {
    const controller = new AbortController();
    const worker = await idleWorker();
    const pending = failure(
      conn.query(
        'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000000) SELECT count(*) FROM c',
        [],
        { ...read, signal: controller.signal },
      ),
    );
    await worker.running();
    controller.abort();
    const e = await pending;
    expect(e.reason).toBe('cancelled');
    expect(await gone(worker.pid)).toBe(true);
    const e2 = await failure(conn.query("UPDATE t SET name = 'X'", [], { ...write, signal: AbortSignal.abort() }));
    expect(e2.reason).toBe('cancelled');
    expect(count("SELECT count(*) AS n FROM t WHERE name = 'X'")).toBe(0);
    expect((await conn.query('SELECT 2 AS two', [], read)).rows).toEqual([{ two: 2 }]);
  });

  it('a worker that dies fails its query clearly, and the next query respawns it', async () => {
    const worker = await idleWorker();
    const pending = conn.query(
      'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000000) SELECT count(*) FROM c',
      [],
      read,
    );
    await worker.running();
    process.kill(worker.pid, 'SIGKILL');
    const e = await failure(pending);
    expect(e.reason).toBe('error');
    expect(e.message).toMatch(/the SQLite worker stopped unexpectedly \(SIGKILL\)/);
    expect((await conn.query('SELECT 3 AS three', [], read)).rows).toEqual([{ three: 3 }]);
  });

  it('script runs statements in one transaction: all or nothing', async () => {
    const e = await failure(
      conn.script(
        [
          { sql: "UPDATE t SET name = 'Y' WHERE id = 1", params: [] },
          { sql: 'SELECT * FROM nope', params: [] },
        ],
        write,
      ),
    );
    expect(e.reason).toBe('error');
    expect(count("SELECT count(*) AS n FROM t WHERE name = 'Y'")).toBe(0);
  });

  it('1,000,000 rows keep 500, count all, and hash all', async () => {
    const sql =
      "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000) SELECT n, printf('r%d', n) AS s FROM c";
    const r = await conn.query(sql, [], { ...read, timeoutMs: 120_000, maxRows: 500 });
    expect(r.rows).toHaveLength(500);
    expect(r).toMatchObject({ rowCount: 1_000_000, truncated: true });
    const expected = createHash('sha256');
    for (let n = 1; n <= 1_000_000; n++) expected.update(`{"n":${n},"s":"r${n}"}\n`);
    expect(r.sha256).toBe(expected.digest('hex'));
  }, 120_000);

  it('a database that cannot be opened gives a clear message', async () => {
    const bad = await openSqlite(join(dir, 'missing', 'nope.db'), { readonly: true });
    try {
      const e = await failure(bad.query('SELECT 1', [], read));
      expect(e.message).toMatch(/cannot open SQLite database .*nope\.db/);
    } finally {
      await bad.close();
    }
  });
});
