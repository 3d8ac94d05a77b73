#!/usr/bin/env node
// Benchmark: the evidence commands as whole processes (what a responder waits for after an
// incident) on a store that has been in use for a long time: 10,000 runs of 22 events each,
// plus one long run of 20,000 events. Times `runs`, `show`, `verify` and `export` on it.
// With --postgres the store is PostgreSQL (STEPWISE_BENCH_PG, default the local server; a schema
// of its own, dropped after).
// Run after `npm ci` (which builds dist/): node test/bench/evidence.mjs [--runs 10000] [--samples 5] [--postgres]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const arg = (name, fallback) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
const RUNS = arg('--runs', 10_000);
const SAMPLES = arg('--samples', 5);
const LONG = 10_000; // steps of the long run: 2 events each
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/stepwise.js');
if (!existsSync(join(root, 'dist/cli.cjs')))
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });

const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-evidence-'));
const entry = join(dir, 'entry.ts');
writeFileSync(
  entry,
  `
export { openSqliteStore } from ${JSON.stringify(join(root, 'engine/store/sqlite-store.ts'))};
export { openPostgresStore } from ${JSON.stringify(join(root, 'engine/store/postgres-store.ts'))};
export { seal } from ${JSON.stringify(join(root, 'engine/transcript/chain.ts'))};
`,
);
const bundle = join(root, 'node_modules/.cache/stepwise-bench-evidence.mjs');
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: bundle,
  logLevel: 'error',
});
const { openSqliteStore, openPostgresStore, seal } = await import(bundle);

/** A run's sealed events: start, `steps` sql steps (start, finish), finish. */
function runEvents(runId, steps, base) {
  const events = [
    {
      type: 'run.started',
      data: {
        runbook: {
          path: 'runbooks/x.md',
          id: 'x',
          title: `Runbook ${runId}`,
          sha256: 'a'.repeat(64),
          source: '# X\n'.repeat(200),
        },
        inputs: { order: 42 },
        targets: { db: { kind: 'postgres', location: '127.0.0.1:5432/test' } },
        operator: 'ann',
        host: 'box',
        engineVersion: '0.1.0',
        mode: 'headless',
        formatVersion: 1,
      },
    },
  ];
  for (let i = 1; i <= steps; i++) {
    events.push({
      type: 'step.started',
      data: {
        stepId: `s${i}`,
        kind: 'sql',
        plan: { summary: `SELECT ${i}`, text: `SELECT count(*) FROM orders WHERE id > $1`, params: [i], effect: false },
        attempt: 1,
      },
    });
    events.push({
      type: 'step.finished',
      data: { stepId: `s${i}`, status: 'passed', ms: 3, result: { rows: [{ n: i }], rowCount: 1 } },
    });
  }
  events.push({
    type: 'run.finished',
    data: {
      status: 'passed',
      exitCode: 0,
      ms: 10,
      counts: { passed: steps, failed: 0, skipped: 0, 'timed-out': 0, cancelled: 0, interrupted: 0 },
    },
  });
  const out = [];
  for (const e of events)
    out.push(
      seal(e, {
        seq: out.length + 1,
        ts: new Date(base + out.length * 10).toISOString(),
        runId,
        prev: out.at(-1)?.hash ?? null,
      }),
    );
  return out;
}

let storePath = join(dir, 'stepwise.db');
let dropSchema = async () => {};
if (process.argv.includes('--postgres')) {
  const pg = (await import('pg')).default;
  const base = process.env.STEPWISE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const schema = `bench_evidence_${process.pid}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  storePath = `${base}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  dropSchema = async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  };
}
const t0 = performance.now();
const store = storePath.startsWith('postgres') ? await openPostgresStore(storePath) : openSqliteStore(storePath);
for (let i = 0; i < RUNS; i++)
  await store.append(
    runEvents(`2026${String(i).padStart(8, '0')}-bench`, 10, Date.UTC(2026, 0, 1) + i * 60_000),
    false,
  );
const longId = 'long-run-000001';
await store.append(runEvents(longId, LONG, Date.UTC(2026, 0, 1) - 86_400_000), false);
await store.close();
const filled = performance.now() - t0;

function time(args) {
  const samples = [];
  let bytes = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [bin, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, STEPWISE_STORE: storePath, NO_COLOR: '1' },
      maxBuffer: 1 << 30,
    });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    bytes = result.stdout.length;
  }
  samples.sort((a, b) => a - b);
  return `median ${samples[Math.floor(samples.length / 2)].toFixed(0).padStart(5)} ms  (min ${samples[0].toFixed(0)})  ${(bytes / 1024).toFixed(0)} KB out`;
}

const last = `2026${String(RUNS - 1).padStart(8, '0')}-bench`;
console.log(
  `evidence commands on a ${storePath.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'} store of ${RUNS} runs x 22 events + one run of ${2 * LONG + 2} events (filled in ${(filled / 1000).toFixed(1)} s); ${SAMPLES} samples; node ${process.version}`,
);
console.log(`  --version (process floor)       ${time(['--version'])}`);
console.log(`  runs                            ${time(['runs'])}`);
console.log(`  runs --json                     ${time(['runs', '--json'])}`);
console.log(`  show last                       ${time(['show', 'last'])}`);
console.log(`  show <prefix> (unique prefix)   ${time(['show', last.slice(0, 12)])}`);
console.log(`  verify last                     ${time(['verify', 'last'])}`);
console.log(`  show the long run               ${time(['show', longId])}`);
console.log(`  verify the long run             ${time(['verify', longId])}`);
console.log(`  export the long run             ${time(['export', longId])}`);
await dropSchema();
rmSync(dir, { recursive: true, force: true });
