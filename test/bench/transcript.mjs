#!/usr/bin/env node
// Benchmark: what recording a transcript costs per event and per step, on the embedded SQLite
// store: redaction + canonical hashing per event, and a committed append per step end (plain, and
// fsync'd as for the start of a step with side effects). Bundles the engine's TypeScript with
// esbuild on the fly. Run after `npm ci`: node test/bench/transcript.mjs [--steps 2000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const arg = (name, fallback) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const STEPS = arg('--steps', 2000);
const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-transcript-'));
const entry = join(dir, 'entry.ts');
const { writeFileSync } = await import('node:fs');
writeFileSync(entry, `
export { transcriptRecorder } from ${JSON.stringify(join(root, 'engine/transcript/recorder.ts'))};
export { openSqliteStore } from ${JSON.stringify(join(root, 'engine/store/sqlite-store.ts'))};
export { createRedactor } from ${JSON.stringify(join(root, 'engine/redact/redactor.ts'))};
`);
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: join(root, 'node_modules/.cache/stepwise-bench-transcript.mjs'), logLevel: 'error' });
const { transcriptRecorder, openSqliteStore, createRedactor } = await import(join(root, 'node_modules/.cache/stepwise-bench-transcript.mjs'));

const started = { type: 'run.started', data: { runbook: { path: 'drill.md', id: 'drill', title: 'Drill', sha256: 'a'.repeat(64), source: '# Drill\n'.repeat(2000) }, inputs: {}, targets: {}, operator: 'bench', host: 'h', engineVersion: '0', mode: 'headless', formatVersion: 1 } };
const stepEvents = (i) => [
  { event: { type: 'step.started', data: { stepId: `c${i}`, kind: 'sql', plan: { summary: 'SELECT count(*)::int AS n FROM items on db', text: 'SELECT count(*)::int AS n FROM items', params: [], target: 'db', effect: false }, attempt: 1 } } },
  { event: { type: 'step.finished', data: { stepId: `c${i}`, status: 'passed', ms: 1, result: { rows: [{ n: 100 }], rowCount: 1, fields: [{ name: 'n', type: '23' }], command: 'SELECT', truncated: false, sha256: 'b'.repeat(64), ms: 1 } } } },
];

async function measure(label, { secrets, durable, store: withStore }) {
  const path = join(dir, `${label.replace(/\W+/g, '-')}.db`);
  const store = withStore ? openSqliteStore(path) : { append: async () => {}, close: async () => {} };
  const redactor = createRedactor({ secrets, patterns: [] });
  const recorder = transcriptRecorder({ runId: `bench-${label}`, store, redactor, sinks: [] });
  await recorder.record(started);
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) for (const { event } of stepEvents(i)) await recorder.record(event, { durable: durable && event.type === 'step.started' });
  const ms = performance.now() - t0;
  await recorder.close();
  await store.close();
  console.log(`  ${label.padEnd(52)} ${(ms * 1000 / STEPS).toFixed(0).padStart(5)} µs/step  (${(ms * 1000 / (STEPS * 2)).toFixed(0)} µs/event)`);
}

console.log(`transcript: ${STEPS} steps of 2 events (step.started, step.finished); node ${process.version}`);
await measure('redact + hash, no store', { secrets: {}, durable: false, store: false });
await measure('redact (3 secrets) + hash, no store', { secrets: { A: 'first-secret-value-1', B: 'second-secret-value-2', C: 'third-secret-value-3' }, durable: false, store: false });
await measure('+ SQLite store, a commit per step end', { secrets: {}, durable: false, store: true });
await measure('+ SQLite store, step start fsync\'d (side effects)', { secrets: {}, durable: true, store: true });
rmSync(dir, { recursive: true, force: true });
