/**
 * A run against PostgreSQL does not load Node's fetch (undici): pg, loading, builds a `Response`
 * to ask whether it runs in a Cloudflare Worker where there is no `navigator` (Node 20), and
 * that alone took 30 to 40 ms of every such run's start (engine/drivers/pg-module.ts). The
 * real CLI runs a runbook with a PostgreSQL step and its transcript in PostgreSQL, and reports
 * at exit which of Node's own modules it loaded.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stepwiseAsync } from '../helpers/cli.js';
import { testDatabase, type TestDatabase } from '../helpers/postgres.js';
import { scratch } from '../helpers/scratch.js';

const dir = scratch('pg-module');
let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
}, 60_000);
afterAll(async () => {
  await db?.close();
});

it('a run with a PostgreSQL target and store loads neither fetch nor a navigator stand-in that stays', async () => {
  const report = dir.path('loaded.json');
  const preload = dir.write(
    'report-loaded.cjs',
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({
      undici: process.moduleLoadList.filter((m) => m.includes('undici')),
      navigator: typeof globalThis.navigator,
    })));\n`,
  );
  const runbook = dir.write(
    'count.md',
    [
      '---',
      'title: Count',
      'targets:',
      `  db: { kind: postgres, url: "${db.url}" }`,
      '---',
      '',
      '::sql{#c target=db query="SELECT 2 AS n"}',
      '',
      '::assert[two]{that="c.rows[0].n == 2"}',
      '',
    ].join('\n'),
  );
  const result = await stepwiseAsync(['run', '--headless', runbook], {
    cwd: dir.dir,
    env: { NODE_OPTIONS: `--require ${preload}`, STEPWISE_STORE: db.url },
  });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const loaded = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(report, 'utf8')));
  expect(loaded.undici).toEqual([]);
  // Node 20 has none; Node 21 and later have their own, which must be left as it was.
  expect(loaded.navigator).toBe(Number(process.versions.node.split('.')[0]) >= 21 ? 'object' : 'undefined');
}, 60_000);
