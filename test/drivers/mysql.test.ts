/**
 * The MySQL/MariaDB driver against a real server (MariaDB at 127.0.0.1:3306, user root, database
 * `test`, or STEPWISE_TEST_MYSQL). Where no server answers, the tests skip, saying so.
 */
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMysql } from '../../engine/drivers/mysql.js';
import { SqlError, type QueryOptions, type SqlConnection } from '../../engine/drivers/sql-result.js';

const URL_ = process.env.STEPWISE_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306/test';
const schema = `stepwise_${process.pid}`;
const available = await createConnection({ uri: URL_, connectTimeout: 3000 }).then(
  async (c) => {
    await c.query(`CREATE DATABASE IF NOT EXISTS ${schema}`);
    await c.end();
    return true;
  },
  () => false,
);
const NO_SERVER = `no MySQL/MariaDB answers at ${URL_} (set STEPWISE_TEST_MYSQL)`;
const url = URL_.replace(/\/[^/]*$/, `/${schema}`);
let conn: SqlConnection;
const read: QueryOptions = { readonly: true, timeoutMs: 10_000, maxRows: 100 };
const write: QueryOptions = { readonly: false, timeoutMs: 10_000, maxRows: 100 };

beforeAll(async () => {
  if (!available) return;
  const admin = await createConnection({ uri: url });
  await admin.query(
    'CREATE TABLE t (id INT PRIMARY KEY, name TEXT, big BIGINT, amount DECIMAL(30,2), at DATETIME(3), doc JSON)',
  );
  await admin.query(
    "INSERT INTO t VALUES (1, 'one', 9007199254740993, 1234567890123456789.12, '2024-05-01 12:34:56.789', '{\"a\":[1,2]}'), (2, 'two', 1, 0, NULL, NULL)",
  );
  await admin.end();
  conn = await openMysql(url);
}, 30_000);
afterAll(async () => {
  await conn?.close();
  if (!available) return;
  const admin = await createConnection({ uri: URL_ });
  await admin.query(`DROP DATABASE IF EXISTS ${schema}`);
  await admin.end();
});

describe.skipIf(!available)(`openMysql (${available ? 'MariaDB/MySQL' : NO_SERVER})`, () => {
  it('returns rows, fields, command and rowCount, with exact values', async () => {
    const r = await conn.query('SELECT id, name, big, amount, at FROM t ORDER BY id', [], read);
    expect(r.command).toBe('SELECT');
    expect(r.rowCount).toBe(2);
    expect(r.rows[0]).toEqual({
      id: 1,
      name: 'one',
      big: '9007199254740993',
      amount: '1234567890123456789.12',
      at: '2024-05-01T12:34:56.789Z',
    });
    expect(r.fields.map((f) => f.name)).toEqual(['id', 'name', 'big', 'amount', 'at']);
  });

  it('takes values only as bind parameters: a hostile value is one value', async () => {
    const hostile = "x' OR '1'='1'; DROP TABLE t; --";
    const r = await conn.query('SELECT id FROM t WHERE name = ?', [hostile], read);
    expect(r.rowCount).toBe(0);
    expect((await conn.query('SELECT count(*) AS n FROM t', [], read)).rows[0]).toEqual({ n: '2' });
  });

  it('a read runs in a read-only transaction: a write there is refused by the server', async () => {
    const error = await conn.query("UPDATE t SET name = 'x' WHERE id = 2", [], read).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlError);
    expect((error as SqlError).message).toMatch(/READ ONLY|read-only|this statement writes/i);
  });

  it('a write commits and counts the rows it changed', async () => {
    const r = await conn.query('UPDATE t SET name = ? WHERE id = ?', ['deux', 2], write);
    expect(r).toMatchObject({ command: 'UPDATE', rowCount: 1 });
    expect((await conn.query('SELECT name FROM t WHERE id = 2', [], read)).rows).toEqual([{ name: 'deux' }]);
  });

  it('keeps max-rows, counts and hashes all rows', async () => {
    const r = await conn.query('SELECT seq FROM seq_1_to_250', [], { ...read, maxRows: 10 });
    expect(r.rows).toHaveLength(10);
    expect(r.rowCount).toBe(250);
    expect(r.truncated).toBe(true);
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a statement past its time limit is stopped on the server, and the next query works', async () => {
    const started = Date.now();
    const error = await conn.query('SELECT SLEEP(5) AS s', [], { ...read, timeoutMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlError);
    expect((error as SqlError).reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
    const admin = await createConnection({ uri: url });
    const [rows] = await admin.query(
      "SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(5)%'",
    );
    await admin.end();
    expect((rows as { n: number }[])[0]!.n).toBe(0);
    expect((await conn.query('SELECT 1 AS one', [], read)).rows).toEqual([{ one: 1 }]);
  });

  it('a cancel kills the query on the server', async () => {
    const controller = new AbortController();
    const running = conn
      .query('SELECT SLEEP(5) AS s', [], { ...read, signal: controller.signal })
      .catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 300);
    const error = await running;
    expect((error as SqlError).reason).toBe('cancelled');
  });

  it('a script runs its statements in one transaction: all or nothing', async () => {
    const error = await conn
      .script(
        [
          { sql: 'INSERT INTO t (id, name) VALUES (10, ?)', params: ['ten'] },
          { sql: 'INSERT INTO t (id, name) VALUES (1, ?)', params: ['dup'] },
        ],
        write,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlError);
    expect((await conn.query('SELECT count(*) AS n FROM t WHERE id = 10', [], read)).rows[0]).toEqual({ n: '0' });
  });

  it('an error carries the database message, without the password', async () => {
    const bad = await openMysql(url.replace('mysql://root@', 'mysql://root:Sup3rS3cret-pw@'));
    const error = await bad.query('SELECT 1', [], read).catch((e: unknown) => e);
    await bad.close();
    expect(error).toBeInstanceOf(SqlError);
    expect((error as SqlError).message).not.toContain('Sup3rS3cret-pw');
  });
});
