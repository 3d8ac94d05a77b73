#!/usr/bin/env node
// Benchmark: what recording a transcript costs per event and per step: redaction + canonical
// hashing per event; on the embedded SQLite store and on PostgreSQL (the local server, or
// STEPWISE_BENCH_PG; skipped when none answers), read-only steps group-committed as a run does,
// a commit at every step end, and the start of every step fsync'd as for steps with side
// effects. Bundles the engine's TypeScript with esbuild on the fly. Run after `npm ci`:
// node test/bench/transcript.mjs [--steps 2000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const arg = (name, fallback) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
const STEPS = arg('--steps', 2000);
const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-transcript-'));
const entry = join(dir, 'entry.ts');
const { writeFileSync } = await import('node:fs');
writeFileSync(
  entry,
  `
export { transcriptRecorder } from ${JSON.stringify(join(root, 'engine/transcript/chain-recorder.ts'))};
export { openSqliteStore } from ${JSON.stringify(join(root, 'engine/store/sqlite-store.ts'))};
export { openPostgresStore } from ${JSON.stringify(join(root, 'engine/store/postgres-store.ts'))};
export { createRedactor } from ${JSON.stringify(join(root, 'engine/redact/redactor.ts'))};
`,
);
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: join(root, 'node_modules/.cache/stepwise-bench-transcript.mjs'),
  logLevel: 'error',
});
const { transcriptRecorder, openSqliteStore, openPostgresStore, createRedactor } = await import(
  join(root, 'node_modules/.cache/stepwise-bench-transcript.mjs')
);

const started = {
  type: 'run.started',
  data: {
    runbook: {
      path: 'drill.md',
      id: 'drill',
      title: 'Drill',
      sha256: 'a'.repeat(64),
      source: '# Drill\n'.repeat(2000),
    },
    inputs: {},
    targets: {},
    operator: 'bench',
    host: 'h',
    engineVersion: '0',
    mode: 'headless',
    formatVersion: 1,
  },
};
const stepEvents = (i) => [
  {
    event: {
      type: 'step.started',
      data: {
        stepId: `c${i}`,
        kind: 'sql',
        plan: {
          summary: 'SELECT count(*)::int AS n FROM items on db',
          text: 'SELECT count(*)::int AS n FROM items',
          params: [],
          target: 'db',
          effect: false,
        },
        attempt: 1,
      },
    },
  },
  {
    event: {
      type: 'step.finished',
      data: {
        stepId: `c${i}`,
        status: 'passed',
        ms: 1,
        result: {
          rows: [{ n: 100 }],
          rowCount: 1,
          fields: [{ name: 'n', type: '23' }],
          command: 'SELECT',
          truncated: false,
          sha256: 'b'.repeat(64),
          ms: 1,
        },
      },
    },
  },
];

/** A PostgreSQL URL whose search_path is a fresh schema, or null when no server answers. */
async function postgresUrl() {
  const pg = (await import('pg')).default;
  const base = process.env.STEPWISE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: base, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
  } catch {
    return null;
  }
  const schema = `bench_${process.pid}`;
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  return {
    url: `${base}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: async () => {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}
const pgServer = await postgresUrl();

async function measure(label, { secrets = {}, durable = false, commit = false, store: kind = 'none' }) {
  const path = join(dir, `${label.replace(/\W+/g, '-')}.db`);
  const store =
    kind === 'sqlite'
      ? openSqliteStore(path)
      : kind === 'postgres'
        ? await openPostgresStore(pgServer.url)
        : { append: async () => {}, close: async () => {} };
  const redactor = createRedactor({ secrets, patterns: [] });
  const recorder = transcriptRecorder({ runId: `bench-${label}-${Date.now()}`, store, redactor, sinks: [] });
  await recorder.record(started);
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) {
    for (const { event } of stepEvents(i)) {
      const starts = event.type === 'step.started';
      await recorder.record(event, { durable: durable && starts, commit: commit && !starts });
      // a run awaits the network between a step's start and end; read-only steps' events are
      // committed together every GROUP_COMMIT_MS (10 ms), here within the loop's own pace
      if (starts) await new Promise((r) => setImmediate(r));
    }
  }
  await recorder.close(); // until everything is in the store
  const ms = performance.now() - t0;
  await store.close();
  if (label !== 'warm-up')
    console.log(
      `  ${label.padEnd(52)} ${((ms * 1000) / STEPS).toFixed(0).padStart(5)} µs/step  (${((ms * 1000) / (STEPS * 2)).toFixed(0)} µs/event)`,
    );
}

console.log(`transcript: ${STEPS} steps of 2 events (step.started, step.finished); node ${process.version}`);
await measure('warm-up', {}); // JIT: the first figure would carry it
await measure('redact + hash, no store', {});
await measure('redact (3 secrets) + hash, no store', {
  secrets: { A: 'first-secret-value-1', B: 'second-secret-value-2', C: 'third-secret-value-3' },
});
for (const store of ['sqlite', 'postgres']) {
  const name = store === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  if (store === 'postgres' && !pgServer) {
    console.log('  (no PostgreSQL answered: set STEPWISE_BENCH_PG to measure the shared store)');
    continue;
  }
  await measure(`+ ${name}, group-committed (read-only steps)`, { store });
  await measure(`+ ${name}, a commit at each step end`, { store, commit: true });
  await measure(`+ ${name}, step start fsync'd (side effects)`, { store, durable: true, commit: true });
}
await pgServer?.drop();
rmSync(dir, { recursive: true, force: true });
