#!/usr/bin/env node
// Benchmark: `stepwise drill runbooks/` (every scenario of every seed runbook that has a fixture),
// timed as a whole process, serial and with --parallel 2. PostgreSQL targets run on the server at
// STEPWISE_TEST_PG when it answers (as the drill itself decides), else on the embedded PGlite;
// pass --embedded to force PGlite. Every run must pass: a failed drill stops the benchmark.
// Run after `npm ci`: node test/bench/drill-seeds.mjs [--runs 1] [--embedded] [--parallel 2]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const arg = (name, fallback) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
const RUNS = arg('--runs', 1);
const PARALLEL = arg('--parallel', 2);
const embedded = process.argv.includes('--embedded');
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/stepwise.js', import.meta.url));

function drill(extra) {
  const args = [bin, 'drill', 'runbooks/', ...(embedded ? ['--embedded'] : []), ...extra];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const summary = out.split('\n').find((l) => /^(PASSED|FAILED|INTERRUPTED) /.test(l)) ?? '(no summary)';
      if (code !== 0) reject(new Error(`stepwise drill ${extra.join(' ')} exited ${code}:\n${out}`));
      else resolve({ ms, summary, out });
    });
  });
}

const where = embedded
  ? 'embedded PGlite'
  : process.env.STEPWISE_TEST_PG
    ? `PostgreSQL at STEPWISE_TEST_PG (PGlite if it does not answer)`
    : 'embedded PGlite (STEPWISE_TEST_PG not set)';
console.log(`stepwise drill runbooks/: PostgreSQL targets on ${where}; SQLite and HTTP fixtures local`);
const list = await new Promise((resolve) => {
  const child = spawn(process.execPath, [bin, 'drill', 'runbooks/', '--list-scenarios'], { cwd: root });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.on('close', () => resolve(out.trim().split('\n')));
});
console.log(`${list.length} scenarios in ${new Set(list.map((l) => l.split('\t')[0])).size} runbooks`);
const results = [];
for (const [label, extra] of [
  ['serial', []],
  [`--parallel ${PARALLEL}`, ['--parallel', String(PARALLEL)]],
]) {
  for (let run = 1; run <= RUNS; run++) {
    const r = await drill(extra);
    results.push({ label, run, ms: r.ms });
    console.log(`${label.padEnd(12)} run ${run}: ${(r.ms / 1000).toFixed(1)} s total   ${r.summary}`);
  }
}
const best = (label) => Math.min(...results.filter((r) => r.label === label).map((r) => r.ms));
const serial = best('serial');
const parallel = best(`--parallel ${PARALLEL}`);
console.log(
  `\nserial ${(serial / 1000).toFixed(1)} s, --parallel ${PARALLEL} ${(parallel / 1000).toFixed(1)} s (${(serial / parallel).toFixed(2)}x)`,
);
