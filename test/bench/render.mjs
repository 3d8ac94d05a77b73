#!/usr/bin/env node
// Benchmark: `stepwise render` as a whole process, in every format, from an exported .jsonl and
// from a SQLite store, on a synthesised run of 2,000 and of 20,000 steps (a runbook of that many
// steps: SQL steps with a 10-row result, shell steps with output, asserts, a skipped step every
// 50; sealed with the engine's own `seal`, so the chain verifies, and appended to a real store with
// the engine's own SQLite store). Per format, size and source it prints the median wall-clock time
// of 5 whole processes (and their median CPU time when GNU time is there), PASS or FAIL against the
// issue's budget (under 1 s for 2,000 steps, under 5 s for 20,000), and the load average, since a
// loaded machine's wall clock measures the neighbours. Never a timed test.
// Run after `npm ci` (which builds dist/):
//   node test/bench/render.mjs [--steps 2000,20000] [--samples 5] [--formats md,html] [--sources file,store]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const argOf = (name, fallback) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback;
const SIZES = String(argOf('--steps', '2000,20000')).split(',').map(Number);
const SAMPLES = Number(argOf('--samples', 5));
const SOURCES = String(argOf('--sources', 'file,store')).split(',');
const FORMATS = String(argOf('--formats', 'md,html,junit,json,notebook')).split(',');
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/stepwise.js');
if (!existsSync(join(root, 'dist/cli.cjs')))
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });

const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-render-'));
const entry = join(dir, 'entry.ts');
writeFileSync(
  entry,
  `export { seal } from ${JSON.stringify(join(root, 'engine/transcript/chain.ts'))};\nexport { openSqliteStore } from ${JSON.stringify(join(root, 'engine/store/sqlite-store.ts'))};\n`,
);
const bundle = join(root, 'node_modules/.cache/stepwise-bench-render.mjs');
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: bundle,
  logLevel: 'error',
});
const { seal, openSqliteStore } = await import(bundle);

/** A runbook of `steps` steps, and the sealed transcript of a run of it. */
function transcript(steps) {
  const runId = `20261123-000000-${String(steps).padStart(6, '0').slice(-6)}`;
  const lines = [
    '---',
    `title: Bench ${steps}`,
    'targets:',
    '  db: { kind: sqlite, path: ./bench.db }',
    '---',
    '',
    '# Bench',
    '',
  ];
  const kinds = [];
  for (let i = 1; i <= steps; i++) {
    const kind = i % 50 === 0 ? 'skip' : ['sql', 'shell', 'assert'][i % 3];
    kinds.push(kind);
    if (kind === 'sql') lines.push(`::sql{#s${i} target=db query="SELECT id, name FROM t WHERE n = ${i}"}`, '');
    else if (kind === 'shell') lines.push(`::shell{#s${i} readonly run="echo step ${i}"}`, '');
    else if (kind === 'assert') lines.push(`::assert[Step ${i} holds]{#s${i} that="1 == 1"}`, '');
    else lines.push(`::shell{#s${i} readonly when="false" run="echo never"}`, '');
  }
  const source = `${lines.join('\n')}`;
  const raw = [
    {
      type: 'run.started',
      data: {
        runbook: { path: 'bench.md', id: 'bench', title: `Bench ${steps}`, sha256: '0'.repeat(64), source },
        inputs: {},
        targets: { db: { kind: 'sqlite', location: './bench.db' } },
        operator: 'bench',
        host: 'bench',
        engineVersion: '0.1.0',
        mode: 'headless',
        formatVersion: 1,
      },
    },
  ];
  kinds.forEach((kind, index) => {
    const stepId = `s${index + 1}`;
    if (kind === 'skip') {
      raw.push({ type: 'step.finished', data: { stepId, status: 'skipped', ms: 0, reason: '`false` is false' } });
      return;
    }
    if (kind === 'sql') {
      raw.push({
        type: 'step.started',
        data: {
          stepId,
          kind,
          plan: {
            summary: `SELECT id, name FROM t on db`,
            text: `SELECT id, name FROM t WHERE n = ?`,
            params: [index + 1],
            target: 'db',
            effect: false,
          },
          attempt: 1,
        },
      });
      const rows = Array.from({ length: 10 }, (_, r) => ({ id: r, name: `row ${r} of step ${index + 1}` }));
      raw.push({
        type: 'step.finished',
        data: {
          stepId,
          status: 'passed',
          ms: 3,
          result: {
            rows,
            rowCount: 10,
            fields: [{ name: 'id' }, { name: 'name' }],
            command: 'SELECT',
            truncated: false,
            sha256: 'a'.repeat(64),
            ms: 2,
          },
        },
      });
    } else if (kind === 'shell') {
      raw.push({
        type: 'step.started',
        data: {
          stepId,
          kind,
          plan: { summary: `bash: echo step ${index + 1}`, text: `echo step ${index + 1}`, effect: false },
          attempt: 1,
        },
      });
      raw.push({ type: 'step.output', data: { stepId, stream: 'stdout', chunk: `step ${index + 1}\n` } });
      raw.push({
        type: 'step.finished',
        data: {
          stepId,
          status: 'passed',
          ms: 5,
          result: { exitCode: 0, stdout: `step ${index + 1}\n`, stderr: '', ms: 4, truncated: false },
        },
      });
    } else {
      raw.push({
        type: 'step.started',
        data: { stepId, kind, plan: { summary: 'assert 1 == 1', effect: false }, attempt: 1 },
      });
      raw.push({ type: 'assert.evaluated', data: { stepId, expression: '1 == 1', passed: true, actual: true } });
      raw.push({
        type: 'step.finished',
        data: { stepId, status: 'passed', ms: 1, result: { passed: true, actual: true } },
      });
    }
  });
  const skipped = kinds.filter((k) => k === 'skip').length;
  raw.push({
    type: 'run.finished',
    data: {
      status: 'passed',
      exitCode: 0,
      ms: steps * 3,
      counts: { passed: steps - skipped, failed: 0, skipped, 'timed-out': 0, cancelled: 0, interrupted: 0 },
    },
  });
  const start = Date.parse('2026-11-23T00:00:00.000Z');
  let prev = null;
  const events = raw.map((event, i) => {
    const sealed = seal(event, { seq: i + 1, ts: new Date(start + i).toISOString(), runId, prev });
    prev = sealed.hash;
    return sealed;
  });
  return { runId, events };
}

/** A SQLite store holding the run, written by the engine's store as a run writes it. */
async function storeOf(path, events) {
  const store = openSqliteStore(path);
  try {
    for (let i = 0; i < events.length; i += 1000) await store.append(events.slice(i, i + 1000), false);
  } finally {
    await store.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
// GNU time (Debian's `time`), when there, gives each process's CPU seconds too: on a shared, loaded
// machine the wall-clock time says more about the neighbours than about the renderer.
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
/** Runs the CLI as a whole process: wall-clock ms, CPU seconds (user + system) when known, the result. */
function timed(args) {
  const started = performance.now();
  const r = GNU_TIME
    ? spawnSync(GNU_TIME, ['-f', 'cpu %U %S', process.execPath, bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
  return { ms, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : null, r };
}
/** Median wall-clock ms and CPU s of SAMPLES runs of `args`; throws unless each exits `expect`. */
function sample(args, expect = 0) {
  const times = [];
  const cpus = [];
  for (let i = 0; i < SAMPLES; i++) {
    const { ms, cpu, r } = timed(args);
    if (r.status !== expect) throw new Error(`stepwise ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    times.push(ms);
    if (cpu !== null) cpus.push(cpu);
  }
  return { ms: median(times), cpu: cpus.length ? median(cpus) : null };
}
const figures = ({ ms, cpu }) =>
  `${String(Math.round(ms)).padStart(6)} ms${cpu === null ? '' : `, ${cpu.toFixed(2)} s CPU`}`;

console.log(
  `stepwise render: median of ${SAMPLES} whole processes; budget: under 1 s for 2,000 steps, under 5 s for 20,000 (wall clock)`,
);
console.log(`load average at the start: ${load()} on ${availableParallelism()} cores`);
const results = [];
try {
  for (const steps of SIZES) {
    const { runId, events } = transcript(steps);
    const file = join(dir, `bench-${steps}.jsonl`);
    writeFileSync(file, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const db = join(dir, `bench-${steps}.db`);
    if (SOURCES.includes('store')) await storeOf(db, events);
    const budget = steps <= 2000 ? 1000 : 5000;
    console.log(
      `${steps} steps: ${events.length} events, ${(statSync(file).size / 1e6).toFixed(1)} MB of JSON Lines; budget ${budget / 1000} s; load average ${load()}`,
    );
    for (const source of SOURCES) {
      const target = source === 'store' ? ['--store', db, runId] : [file];
      const floor = sample(['verify', ...target]);
      console.log(`  ${source.padEnd(5)} verify (the floor: read and check the chain)  ${figures(floor)}`);
      for (const format of FORMATS) {
        const out = join(dir, `out-${steps}.${format}`);
        const m = sample(['render', ...target, '--format', format, '-o', out]);
        const pass = m.ms < budget;
        results.push({ steps, source, format, pass });
        console.log(
          `  ${source.padEnd(5)} render --format ${format.padEnd(8)} ${figures(m)}  (${(statSync(out).size / 1e6).toFixed(1)} MB)  ${pass ? 'PASS' : 'FAIL'}  load ${load()}`,
        );
      }
    }
  }
} finally {
  if (process.argv.includes('--keep')) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
const failed = results.filter((r) => !r.pass);
console.log(
  failed.length === 0
    ? `PASS: all ${results.length} within the budget`
    : `FAIL: ${failed.length} of ${results.length} over the budget (${failed.map((r) => `${r.format} ${r.steps} from ${r.source}`).join(', ')})`,
);
console.log(`load average at the end: ${load()} on ${availableParallelism()} cores`);
