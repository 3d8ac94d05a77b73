/**
 * Runs against a real PostgreSQL (the local server, else an embedded PGlite behind a socket):
 * bind values, read-only transactions, server-side cancel on timeout, bounded huge results.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../engine/drivers/postgres.js';
import { stepwiseAsync } from '../helpers/cli.js';
import { testDatabase, type TestDatabase } from '../helpers/postgres.js';
import { until } from '../helpers/until.js';

let db: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'stepwise-pg-'));

beforeAll(async () => {
  db = await testDatabase();
  await db.query('CREATE TABLE plans (id int PRIMARY KEY, status text, big int8, amount numeric)');
  await db.query(
    "INSERT INTO plans VALUES (1, 'SOLVING', 9007199254740993, 12345678901234567890.12), (2, 'DONE', 1, 0)",
  );
}, 60_000);
afterAll(() => db?.close());

const runbook = (name: string, body: string): string => {
  const path = join(dir, name);
  writeFileSync(
    path,
    `---\ntargets:\n  db: { kind: postgres, url: "${db.url}" }\ninputs:\n  id: { type: string, default: "1" }\n---\n\n${body}\n`,
  );
  return path;
};

describe(`sql on PostgreSQL`, () => {
  it('reads rows, with exact int8 and numeric values', async () => {
    const path = runbook(
      'read.md',
      "::sql{#q target=db query=\"SELECT id, big, amount FROM plans WHERE status = 'SOLVING'\"}\n\n::assert[exact]{that=\"q.rows[0].big === '9007199254740993' && q.rows[0].amount === '12345678901234567890.12'\"}",
    );
    const r = await stepwiseAsync(['run', '--headless', path]);
    expect(r.stdout).toMatch(/PASSED/);
    expect(r.code).toBe(0);
  });

  it('an injection attempt reaches PostgreSQL only as a value', async () => {
    const path = runbook(
      'inject.md',
      '::sql{#q target=db query="SELECT count(*)::int AS n FROM plans WHERE status = {{ inputs.id }}"}\n\n::assert[none]{that="q.rows[0].n == 0"}',
    );
    const r = await stepwiseAsync(['run', '--headless', '--input', "id=x'); DROP TABLE plans; --", path]);
    expect(r.code).toBe(0);
    expect((await db.query('SELECT count(*)::int AS n FROM plans')).rows[0].n).toBe(2);
  });

  it('a statement the keywords do not show as a write is stopped by the read-only transaction', async () => {
    await db.query(
      `CREATE OR REPLACE FUNCTION ${db.schema}.sneaky() RETURNS int LANGUAGE sql AS $$ UPDATE ${db.schema}.plans SET status = 'X' RETURNING 1 $$`,
    );
    const r = await stepwiseAsync([
      'run',
      '--headless',
      runbook('sneaky.md', '::sql{#q target=db query="SELECT sneaky()"}'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/read-only transaction: this statement writes; mark the step readonly=false/);
    expect((await db.query("SELECT count(*)::int AS n FROM plans WHERE status = 'X'")).rows[0].n).toBe(0);
  });

  it('a confirmed write commits', async () => {
    const path = runbook(
      'write.md',
      '::confirm[Fail it?]{#go}\n\n::sql{#w target=db query="UPDATE plans SET status = \'FAILED\' WHERE id = 1"}\n\n::assert[one]{that="w.rowCount == 1"}',
    );
    const r = await stepwiseAsync(['run', '--headless', '--yes', path]);
    expect(r.code).toBe(0);
    expect((await db.query('SELECT status FROM plans WHERE id = 1')).rows[0].status).toBe('FAILED');
  });

  it('1,000,000 rows keep 500, count all, and hash all', async () => {
    const connection = await openPostgres(db.url);
    try {
      const result = await connection.query('SELECT g AS n FROM generate_series(1, 1000000) g', [], {
        readonly: true,
        timeoutMs: 60_000,
        maxRows: 500,
      });
      expect(result.rows).toHaveLength(500);
      expect(result.rowCount).toBe(1_000_000);
      expect(result.truncated).toBe(true);
      const hash = createHash('sha256');
      for (let n = 1; n <= 1_000_000; n++) hash.update(`{"n":${n}}\n`);
      expect(result.sha256).toBe(hash.digest('hex'));
    } finally {
      await connection.close();
    }
  }, 60_000);
});

describe('timeouts cancel on the server', () => {
  it('pg_sleep(30) with timeout=1s fails in about a second and is gone from pg_stat_activity', async (context) => {
    if (db.server !== 'postgres') context.skip(); // PGlite has no statement_timeout timer or pg_stat_activity
    const marker = `stepwise_sleep_${Date.now()}`;
    const path = runbook('sleep.md', `::sql{#s target=db timeout=1s query="SELECT pg_sleep(30) AS ${marker}"}`);
    const r = await stepwiseAsync(['run', '--headless', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/query timed out after 1s and was cancelled on the server/);
    expect(r.ms).toBeLessThan(5000);
    const active = await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%${marker}%' AND pid <> pg_backend_pid()`,
    );
    expect(active.rows[0].n).toBe(0);
  });

  it('SIGINT during pg_sleep cancels the query on the server and exits 5', async (context) => {
    if (db.server !== 'postgres') context.skip();
    const marker = `stepwise_int_${Date.now()}`;
    const path = runbook('int.md', `::sql{#s target=db timeout=60s query="SELECT pg_sleep(30) AS ${marker}"}`);
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../helpers/cli.js');
    const child = spawn(process.execPath, [BIN, 'run', '--headless', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // SIGINT once the query runs on the server (not after a guess at how long starting takes).
    const running = async (): Promise<boolean> =>
      (
        await db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%${marker}%' AND state = 'active' AND pid <> pg_backend_pid()`,
        )
      ).rows[0].n === 1;
    await until('pg_sleep to run on the server', running, 30_000);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(5);
    expect(out).toMatch(/interrupted/);
    const active = await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%${marker}%' AND pid <> pg_backend_pid()`,
    );
    expect(active.rows[0].n).toBe(0);
  });
});
