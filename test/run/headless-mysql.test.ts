/**
 * The same matrix as PostgreSQL's, on a real MySQL/MariaDB target (mysql:// URLs): reads with
 * exact values, bind values for every template, writes behind a confirm, the read-only
 * transaction, timeouts stopped on the server, errors recorded and redacted. Skips, saying so,
 * where no server answers.
 */
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnStepwise, stepwise, stepwiseAsync } from '../helpers/cli.js';
import { scratch } from '../helpers/scratch.js';
import { until } from '../helpers/until.js';

const BASE = process.env.STEPWISE_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306/test';
const schema = `stepwise_run_${process.pid}`;
const available = await createConnection({ uri: BASE, connectTimeout: 3000 }).then(
  async (c) => {
    await c.query(`CREATE DATABASE IF NOT EXISTS ${schema}`);
    await c.end();
    return true;
  },
  () => false,
);
const url = BASE.replace(/\/[^/]*$/, `/${schema}`);
const { dir, write } = scratch('mysql');
const store = `${dir}/store.db`;
const admin = () => createConnection({ uri: url });
const one = async (sql: string): Promise<Record<string, unknown>> => {
  const c = await admin();
  try {
    const [rows] = await c.query(sql);
    return (rows as Record<string, unknown>[])[0]!;
  } finally {
    await c.end();
  }
};

beforeAll(async () => {
  if (!available) return;
  const c = await admin();
  await c.query('CREATE TABLE plans (id INT PRIMARY KEY, status VARCHAR(20), big BIGINT, amount DECIMAL(30,2))');
  await c.query("INSERT INTO plans VALUES (1, 'SOLVING', 9007199254740993, 1234567890123456789.12), (2, 'DONE', 1, 0)");
  await c.end();
});
afterAll(async () => {
  if (!available) return;
  const c = await createConnection({ uri: BASE });
  await c.query(`DROP DATABASE IF EXISTS ${schema}`);
  await c.end();
});

const runbook = (name: string, body: string, target = `{ kind: mysql, url: "${url}" }`): string =>
  write(name, `---\ntargets:\n  db: ${target}\ninputs:\n  id: { type: string, default: "1" }\n---\n\n${body}\n`);
const run = (path: string, ...args: string[]) => stepwiseAsync(['run', '--headless', '--store', store, ...args, path]);

describe.skipIf(!available)(
  `sql on MySQL/MariaDB${available ? '' : ` (skipped: no server answers at ${BASE}; set STEPWISE_TEST_MYSQL)`}`,
  () => {
    it('reads rows with exact BIGINT and DECIMAL values; a bare mysql:// URL names the kind', async () => {
      const body =
        "::sql{#q target=db query=\"SELECT id, big, amount FROM plans WHERE status = 'SOLVING'\"}\n\n::assert[exact]{that=\"q.rows[0].big === '9007199254740993' && q.rows[0].amount === '1234567890123456789.12'\"}";
      for (const path of [runbook('read.md', body), runbook('bare.md', body, `"${url}"`)]) {
        const r = await run(path);
        expect(r.code, r.stdout + r.stderr).toBe(0);
      }
    });

    it('every placeholder is a bind value: an injection attempt reaches MySQL only as a value', async () => {
      const path = runbook(
        'inject.md',
        '::sql{#q target=db query="SELECT count(*) AS n FROM plans WHERE status = {{ inputs.id }} OR id = {{ inputs.id }}"}\n\n::assert[none]{that="q.rows[0].n == 0"}',
      );
      const r = await run(path, '--input', "id=x'); DROP TABLE plans; --");
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(await one('SELECT count(*) AS n FROM plans')).toEqual({ n: 2 });
      const events = stepwise(['export', 'last', '--store', store]).stdout;
      expect(events).toContain('"params":["x\'); DROP TABLE plans; --","x\'); DROP TABLE plans; --"]');
    });

    it('a write needs a confirm: refused without one, committed with one', async () => {
      const unguarded = runbook(
        'unguarded.md',
        '::sql{#w target=db query="UPDATE plans SET status = \'X\' WHERE id = 2"}',
      );
      expect(stepwise(['check', unguarded]).stdout).toMatch(/write-without-confirm/);
      const refused = await run(unguarded);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/refusing to run: it writes and no confirm guards it/);
      expect(await one('SELECT status FROM plans WHERE id = 2')).toEqual({ status: 'DONE' });
      const path = runbook(
        'write.md',
        '::confirm[Fail it?]{#go}\n\n::sql{#w target=db query="UPDATE plans SET status = \'FAILED\' WHERE id = 1"}\n\n::assert[one]{that="w.rowCount == 1"}',
      );
      const r = await run(path, '--yes');
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(await one('SELECT status FROM plans WHERE id = 1')).toEqual({ status: 'FAILED' });
    });

    it('SHOW marked readonly=true reads; SELECT ... FOR SHARE takes locks, so it counts as a write and needs a confirm', async () => {
      const path = runbook(
        'sneaky.md',
        '::sql{#q target=db readonly=true query="SHOW TABLES"}\n\n::sql{#r target=db query="SELECT 1 AS one FROM plans WHERE id = 1 FOR SHARE"}',
      );
      const r = await run(path);
      // SHOW is a read; SELECT ... FOR SHARE takes locks, so Stepwise counts it a write: refused without a confirm.
      expect(r.stdout).toMatch(/✓ q /);
      expect(r.stdout).toMatch(/✗ r .*refusing to run/);
    });

    it('SLEEP(30) with timeout=1s fails in about a second and is gone from the server', async () => {
      const marker = `stepwise_sleep_${Date.now()}`;
      const r = await run(runbook('sleep.md', `::sql{#s target=db timeout=1s query="SELECT SLEEP(30) AS ${marker}"}`));
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/query timed out after 1s and was stopped on the server/);
      expect(r.ms).toBeLessThan(6000);
      expect(
        await one(
          `SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE '%${marker}%' AND INFO NOT LIKE '%PROCESSLIST%'`,
        ),
      ).toEqual({ n: 0 });
    });

    it('SIGINT during SLEEP kills the query on the server and exits 5', async () => {
      const marker = `stepwise_int_${Date.now()}`;
      const live = spawnStepwise([
        'run',
        '--headless',
        '--store',
        store,
        runbook('int.md', `::sql{#s target=db timeout=60s query="SELECT SLEEP(30) AS ${marker}"}`),
      ]);
      const running = async (): Promise<boolean> =>
        (
          await one(
            `SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE '%${marker}%' AND INFO NOT LIKE '%PROCESSLIST%'`,
          )
        ).n === 1;
      await until('SLEEP to run on the server', running, 30_000);
      live.child.kill('SIGINT');
      expect((await live.done).code).toBe(5);
      await until('the query to be gone', async () => !(await running()), 5000);
    });

    it('errors are recorded with the database message, and the password in the URL never shows', async () => {
      const c = await createConnection({ uri: BASE });
      await c.query("CREATE USER IF NOT EXISTS 'stepwise_t'@'%' IDENTIFIED BY 'Canary-Pw-8891'");
      await c.query(`GRANT ALL ON ${schema}.* TO 'stepwise_t'@'%'`);
      await c.end();
      const withPassword = url.replace('mysql://root@', 'mysql://stepwise_t:Canary-Pw-8891@');
      const path = runbook(
        'error.md',
        '::sql{#q target=db query="SELECT nope FROM plans"}',
        `{ kind: mysql, url: "${withPassword}" }`,
      );
      const r = await run(path);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/Unknown column 'nope'/);
      const exported = stepwise(['export', 'last', '--store', store]).stdout;
      expect(exported).toContain('Unknown column');
      expect(`${r.stdout}${r.stderr}${exported}`).not.toContain('Canary-Pw-8891');
    });
  },
);
