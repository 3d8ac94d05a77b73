#!/usr/bin/env node
// Benchmark: a 500-step drill run headless as a whole process. Each of the 500 steps is a SQL
// count against PostgreSQL, an assert, an HTTP GET to a loopback server and an assert (2,000
// steps in all). Compared with the floor: a plain Node script making only the driver calls
// (one pooled pg connection, fetch). Also shows --parallel 4 beside the floor's own calls four
// units at a time (what overlapping the drivers alone gains on this machine), and the serial run with its
// transcript in PostgreSQL (the team store) instead of the embedded SQLite.
// The runs run in a project folder where the runbooks were checked before (their parse is cached
// in .stepwise/cache/, as after any check, or any run with the default store); the first run of a
// runbook, with nothing cached, has its own row.
// Also measures, in this process with the Sandbox itself, what one expression costs on each of
// its two paths: the host fast path (straight-line: member access, comparisons) and the
// evaluator (vm2 in a child process, bounded in time and memory), with and without a value set
// before it (as a run does: each step's result, then the next condition).
// Growth: the serial run again at --growth times the steps (default 2,500 x 4 = 10,000 steps): ms
// per step at both sizes with the start-up (a 4-step run) taken off, as the whole process with it, and
// as the run itself reports; the floor's own time per step at both sizes (the drivers warm up too)
// and what the engine adds to it; and the heap after a full GC sampled every 250 ms through each of
// two untimed runs (early and at the end), so memory that grows with the steps already finished shows.
// Each row prints its target (issue #13) and whether this run met it; medians of --runs runs.
// Needs PostgreSQL at STEPWISE_BENCH_PG (default postgres://postgres@127.0.0.1:5432/test).
// STEPWISE_BENCH_NODE_ARGS: flags for the timed processes' node (`--cpu-prof --cpu-prof-dir=DIR`).
// Run after `npm ci`: node test/bench/drill.mjs [--steps 500] [--growth 2500] [--runs 5]
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import pg from 'pg';

const arg = (name, fallback) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
/** Flags for every timed process's node (`--cpu-prof --cpu-prof-dir=…` to profile them). */
const NODE_ARGS = (process.env.STEPWISE_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const STEPS = arg('--steps', 500);
const RUNS = arg('--runs', 5);
const GROWTH = arg('--growth', 2500);
const root = fileURLToPath(new URL('../..', import.meta.url));
const url = process.env.STEPWISE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bench_${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-'));

/**
 * The Sandbox, bundled from the TypeScript sources with its worker file beside it (where it looks
 * for it), under node_modules so that the worker finds vm2.
 */
async function loadSandbox() {
  const out = join(root, 'node_modules/.cache/stepwise-bench');
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(root, 'engine/run/sandbox.ts')],
    outfile: join(out, 'sandbox.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'engine/run/sandbox-worker.cjs'), join(out, 'sandbox-worker.cjs'));
  return (await import(join(out, 'sandbox.mjs'))).Sandbox;
}

/** Microseconds per evaluation on each path, and the evaluator's start (its first expression). */
async function expressionCost(n = 5000) {
  const Sandbox = await loadSandbox();
  const at = { line: 1, column: 1, offset: 0 };
  const expr = (source, offset = 0) => ({ source, span: { start: { ...at, offset }, end: at } });
  const resolve = (root) => (root === 'Math' ? 'global' : ['steps', root]);
  const sandbox = new Sandbox(1000);
  const row = { rows: [{ n: 100 }], rowCount: 1, fields: [{ name: 'n' }], ms: 1 };
  sandbox.set(['steps', 'c0'], row);
  const perUs = (count, fn) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) fn(i);
    return Number(process.hrtime.bigint() - start) / 1e3 / count;
  };
  const host = expr('c0.rows[0].n == 100');
  const remote = expr('c0.rows.map(r => r.n)[0] == 100');
  const cold = perUs(1, () => sandbox.evaluate(remote, resolve));
  for (let i = 0; i < 200; i++) sandbox.evaluate(host, resolve), sandbox.evaluate(remote, resolve);
  const check = (v) => {
    if (v !== true) throw new Error(`expression gave ${v}`);
  };
  return {
    host: perUs(n * 10, () => check(sandbox.evaluate(host, resolve))),
    hostWithSet: perUs(n, (i) => (sandbox.set(['steps', `s${i}`], row), check(sandbox.evaluate(host, resolve)))),
    remote: perUs(n, () => check(sandbox.evaluate(remote, resolve))),
    remoteWithSet: perUs(n, (i) => (sandbox.set(['steps', `r${i}`], row), check(sandbox.evaluate(remote, resolve)))),
    cold,
  };
}
const expressions = await expressionCost();

const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(
  `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.items (id int); INSERT INTO ${schema}.items SELECT generate_series(1, 100)`,
);
const server = createServer((q, r) => {
  const answer = () => {
    r.writeHead(200, { 'content-type': 'application/json' });
    r.end('{"status":"ok"}');
  };
  // /slow answers after 5 ms, as a service across a network does: where --parallel pays.
  if (q.url === '/slow') setTimeout(answer, 5);
  else answer();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const api = `http://127.0.0.1:${server.address().port}`;
const db = `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;

function writeRunbook(units, path = '/health') {
  const lines = [
    '---',
    'title: Throughput drill',
    'targets:',
    `  db: { kind: postgres, url: "${db}" }`,
    `  api: { kind: http, base: "${api}" }`,
    '---',
    '',
  ];
  for (let i = 0; i < units; i++) {
    lines.push(
      `::sql{#c${i} target=db query="SELECT count(*)::int AS n FROM items"}`,
      '',
      `::assert[count ${i}]{that="c${i}.rows[0].n == 100"}`,
      '',
    );
    lines.push(
      `::http{#h${i} target=api path=${path}}`,
      '',
      `::assert[health ${i}]{that='h${i}.json.status == "ok"'}`,
      '',
    );
  }
  const file = join(dir, `drill-${units}${path === '/health' ? '' : '-slow'}.md`);
  writeFileSync(file, lines.join('\n'));
  return file;
}
const runbook = writeRunbook(STEPS);
const bigRunbook = writeRunbook(GROWTH);
// One unit (4 steps): what a run costs before and after its steps (start-up, connections, the
// summary), taken off both sizes when the growth row compares their time per step.
const tinyRunbook = writeRunbook(1);
// The same steps with an HTTP service 5 ms away (100 units: 0.5 s of waiting when serial).
const SLOW_UNITS = Math.min(STEPS, 100);
const slowRunbook = writeRunbook(SLOW_UNITS, '/slow');
// Loaded into the untimed runs that sample the heap: a full GC every 250 ms (at the exit for a run shorter than that), then heapUsed.
const heapSampler = join(dir, 'heap-sampler.cjs');
writeFileSync(
  heapSampler,
  `const samples = [];
const sample = () => { global.gc(); samples.push(process.memoryUsage().heapUsed); };
const timer = setInterval(sample, 250);
timer.unref();
process.on('exit', () => { if (samples.length === 0) sample(); require('node:fs').writeFileSync(process.env.STEPWISE_BENCH_HEAP, JSON.stringify(samples)); });
`,
);

// Loaded into the run that measures the CPU: at the exit, the CPU its main thread spent (from
// /proc/self/task/PID/stat, in clock ticks of 10 ms) and the whole process's (every thread).
const cpuSampler = join(dir, 'cpu-sampler.cjs');
writeFileSync(
  cpuSampler,
  `process.on('exit', () => {
  const fs = require('node:fs');
  let main = null;
  try {
    const stat = fs.readFileSync('/proc/self/task/' + process.pid + '/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    main = (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {}
  const all = process.cpuUsage();
  fs.writeFileSync(process.env.STEPWISE_BENCH_CPU, JSON.stringify({ main, all: (all.user + all.system) / 1000 }));
});
`,
);

/**
 * The floor: a plain script making only the driver calls of `units` units (pg count, fetch). With
 * `lanes` above 1, that many units at a time (a pool of as many connections, as many fetches in
 * flight): what --parallel could reach if the engine added nothing to the drivers.
 */
function writeFloor(units, lanes = 1) {
  const file = join(dir, `floor-${units}-${lanes}.mjs`);
  writeFileSync(
    file,
    `
import pg from ${JSON.stringify(join(root, 'node_modules/pg/lib/index.js'))};
const pool = new pg.Pool({ connectionString: ${JSON.stringify(db)}, max: ${lanes} });
let next = 0;
async function lane() {
  while (next < ${units}) {
    next++;
    const r = await pool.query('SELECT count(*)::int AS n FROM items');
    if (r.rows[0].n !== 100) throw new Error('count');
    const h = await (await fetch(${JSON.stringify(`${api}/health`)})).json();
    if (h.status !== 'ok') throw new Error('health');
  }
}
await Promise.all(Array.from({ length: ${lanes} }, lane));
await pool.end();
`,
  );
  return file;
}
const floorScript = writeFloor(STEPS);
const parallelFloorScript = writeFloor(STEPS, 4);
// The floor at the growth row's size and at one unit: its own time per step at both sizes (the
// drivers' warm-up is in it too), and what the engine adds to it per step at each.
const bigFloorScript = writeFloor(GROWTH);
const tinyFloorScript = writeFloor(1);

const sqliteStore = join(dir, 'store.db');
// The runs' working folder: a project where the runbooks were checked before (so `.stepwise/cache/`
// holds their entries, as after any check or any run with the default store), as a drill that runs
// again and again meets it. The first run, with nothing cached, is measured apart (`fresh`).
const project = join(dir, 'project');
const fresh = join(dir, 'fresh');
mkdirSync(project);
mkdirSync(fresh);
const postgresStore = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;

/**
 * The CLI as built when the bench started (bin/stepwise.js and dist/, with its code cache), copied
 * under node_modules (where it still finds the packages): a `npm run build` in the shared checkout
 * during the bench cannot swap the bundle under it.
 */
let snapshot;
function snapshotCli() {
  if (snapshot === undefined) {
    snapshot = join(root, `node_modules/.cache/stepwise-bench-dist-${process.pid}`);
    rmSync(snapshot, { recursive: true, force: true });
    cpSync(join(root, 'dist'), join(snapshot, 'dist'), { recursive: true });
    cpSync(join(root, 'bin'), join(snapshot, 'bin'), { recursive: true });
    // bin/stepwise.js is an ES module; under node_modules it is in no package that says so.
    writeFileSync(join(snapshot, 'package.json'), '{ "type": "module" }\n');
    process.on('exit', () => rmSync(snapshot, { recursive: true, force: true }));
  }
  return join(snapshot, 'bin/stepwise.js');
}

/** Runs a process to its end: its wall time, and the run's own time from its summary line (`in 4.6s`). */
function timeProcess(args, store = sqliteStore, env = {}, cwd = project) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, STEPWISE_STORE: store, ...env },
    });
    let err = '';
    let tail = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => (tail = (tail + d).slice(-2000)));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const own = /(?:PASSED|FAILED)\s.* in ([\d.]+)s/.exec(tail);
      return code === 0
        ? resolve({ ms, runMs: own ? Number(own[1]) * 1000 : Number.NaN })
        : reject(new Error(`${args.join(' ')} exited ${code}: ${err}${tail}`));
    });
  });
}
/**
 * CPU seconds the whole machine spent busy (every process, every core) since boot, from
 * /proc/stat (Linux; null elsewhere): its clock ticks are USER_HZ, 100 a second on Linux.
 */
function machineBusy() {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = ticks; // not idle, not iowait
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return null;
  }
}
/**
 * What one run keeps the whole machine busy for (its own CPU, PostgreSQL's and the HTTP server's),
 * and the CPU of its own process and of that process's main thread (null where /proc has no tasks).
 */
async function busyDuring(args) {
  const out = join(dir, `cpu-${process.hrtime.bigint()}.json`);
  const before = machineBusy();
  const { ms } = await timeProcess(['--require', cpuSampler, ...args], sqliteStore, { STEPWISE_BENCH_CPU: out });
  const after = machineBusy();
  const own = JSON.parse(readFileSync(out, 'utf8'));
  return before === null || after === null ? null : { busyMs: (after - before) * 1000, ms, ...own };
}
const mid = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
async function medians(args, store, cwd = project) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) samples.push(await timeProcess(args, store, {}, cwd));
  return { ms: mid(samples.map((s) => s.ms)), runMs: mid(samples.map((s) => s.runMs)) };
}
async function median(args, store, cwd = project) {
  return (await medians(args, store, cwd)).ms;
}
/** The heap after a full GC, sampled every 250 ms through one untimed run (at its exit if shorter): early (a quarter in), at the end, and its peak. */
async function heapOf(file) {
  const out = join(dir, `heap-${process.hrtime.bigint()}.json`);
  await timeProcess(['--expose-gc', '--require', heapSampler, snapshotCli(), 'run', '--headless', file], sqliteStore, {
    STEPWISE_BENCH_HEAP: out,
  });
  const samples = JSON.parse(readFileSync(out, 'utf8'));
  const mb = (b) => b / (1024 * 1024);
  return {
    early: mb(samples[Math.floor(samples.length / 4)] ?? 0),
    end: mb(samples[samples.length - 1] ?? 0),
    peak: mb(Math.max(...samples)),
  };
}

try {
  // Each row is printed as soon as it is measured: a long bench on a loaded machine still says something.
  const bin = snapshotCli();
  const steps = STEPS * 4;
  const bigSteps = GROWTH * 4;
  const met = (ok) => (ok ? 'met' : 'NOT MET');
  const ms = (v) => `${v.toFixed(0)} ms`;
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(
    `drill: ${STEPS} x (sql count, assert, http GET, assert) = ${steps} steps; median of ${RUNS} runs; node ${process.version}; load average ${load()}`,
  );
  const floor = await median([floorScript]);
  console.log(`  floor script (driver calls only):          ${ms(floor)}`);
  const check = await median([bin, 'check', '--no-cache', runbook]);
  console.log(`  stepwise check --no-cache on the drill:    ${ms(check)}`);
  await timeProcess([bin, 'check', runbook, bigRunbook, tinyRunbook, slowRunbook]); // the project's cache: every row below reads it
  const first = await median([bin, 'run', '--headless', runbook], sqliteStore, fresh);
  console.log(
    `  stepwise run --headless, nothing cached:   ${ms(first)}   ${(first / floor).toFixed(2)}x floor   (the first run of a runbook in a folder; the rows below run where it was checked before)`,
  );
  const serialRun = await medians([bin, 'run', '--headless', runbook]);
  const serial = serialRun.ms;
  console.log(
    `  stepwise run --headless:                   ${ms(serial)}   ${(serial / floor).toFixed(2)}x floor   (target <= 2.0x floor: ${met(serial <= 2 * floor)}; <= 1200 ms on a quiet machine: ${met(serial <= 1200)})`,
  );
  console.log(`  engine overhead per step (serial - floor) / ${steps}: ${((serial - floor) / steps).toFixed(3)} ms`);
  const parallel = await median([bin, 'run', '--headless', '--parallel', '4', runbook]);
  console.log(
    `  stepwise run --headless --parallel 4:      ${ms(parallel)}   ${(parallel / serial).toFixed(2)}x serial   (target <= 0.6x serial: ${met(parallel <= 0.6 * serial)})`,
  );
  // The bound of the drivers themselves: the floor's calls four at a time. No engine running
  // these steps through these drivers on this machine gains more over its serial run than this.
  const parallelFloor = await median([parallelFloorScript]);
  console.log(
    `  floor script, 4 units at a time:           ${ms(parallelFloor)}   ${(parallelFloor / floor).toFixed(2)}x the serial floor   (the driver calls alone: what --parallel 4 could gain here if the engine cost nothing)`,
  );
  // Why --parallel cannot reach its target here: the steps overlap, but the work does not shrink.
  // The machine's cores bound any run: it cannot end before the CPU it needs, spread over them all.
  const cores = availableParallelism();
  const busy = await busyDuring([bin, 'run', '--headless', '--parallel', '4', runbook]);
  if (busy !== null) {
    console.log(
      `  CPU the machine spent on one --parallel 4 run (stepwise, PostgreSQL, the HTTP server): ${(busy.busyMs / 1000).toFixed(2)} s in ${ms(busy.ms)}; on ${cores} cores no run of it can take under ${ms(busy.busyMs / cores)} = ${(busy.busyMs / cores / serial).toFixed(2)}x serial`,
    );
    // The steps overlap on one event loop: the run cannot end before its main thread's own work.
    if (busy.main !== null)
      console.log(
        `  CPU of that run's own process: ${ms(busy.all)}, ${ms(busy.main)} of it on its main thread (the event loop every step's work runs on) = ${(busy.main / serial).toFixed(2)}x serial: no run of it ends sooner`,
      );
  }
  const slowSerial = await median([bin, 'run', '--headless', slowRunbook]);
  const slowParallel = await median([bin, 'run', '--headless', '--parallel', '4', slowRunbook]);
  console.log(
    `  with the HTTP service 5 ms away (${SLOW_UNITS * 4} steps): serial ${ms(slowSerial)}, --parallel 4 ${ms(slowParallel)}   ${(slowParallel / slowSerial).toFixed(2)}x serial`,
  );
  const teamStore = await median([bin, 'run', '--headless', runbook], postgresStore);
  console.log(
    `  run --headless, transcript in PostgreSQL:  ${ms(teamStore)}   ${(teamStore / serial).toFixed(2)}x the SQLite run   (target <= 1.15x: ${met(teamStore <= 1.15 * serial)})`,
  );
  const bigRun = await medians([bin, 'run', '--headless', bigRunbook]);
  const tiny = await medians([bin, 'run', '--headless', tinyRunbook]);
  console.log(
    `  start-up: a 4-step run ${ms(tiny.ms)} (the process, the store, connections and the summary: paid once per run)`,
  );
  const apart = (a, b) => `${(((b - a) / a) * 100).toFixed(0)}%`;
  const perStep = serial / steps;
  const bigPerStep = bigRun.ms / bigSteps;
  // Linear in its steps: each step costs the same at both sizes once the start-up is taken off.
  const marginal = (serial - tiny.ms) / (steps - 4);
  const bigMarginal = (bigRun.ms - tiny.ms) / (bigSteps - 4);
  const runPer = serialRun.runMs / steps;
  const bigRunPer = bigRun.runMs / bigSteps;
  console.log(
    `  growth: ${steps} steps ${marginal.toFixed(3)} ms/step, ${bigSteps} steps ${bigMarginal.toFixed(3)} ms/step, the start-up taken off (${apart(marginal, bigMarginal)})   (target: under 20% apart: ${met(Math.abs(bigMarginal - marginal) < 0.2 * marginal)}${bigMarginal < 0.8 * marginal ? '; a step of the longer run costs less: sublinear, no growth' : ''})`,
  );
  console.log(
    `          with the start-up: ${perStep.toFixed(3)} and ${bigPerStep.toFixed(3)} ms/step (${apart(perStep, bigPerStep)}); as the runs report themselves ${runPer.toFixed(3)} and ${bigRunPer.toFixed(3)} ms/step (${apart(runPer, bigRunPer)})`,
  );
  const bigFloor = await median([bigFloorScript]);
  const tinyFloor = await median([tinyFloorScript]);
  const floorStep = (floor - tinyFloor) / (steps - 4);
  const bigFloorStep = (bigFloor - tinyFloor) / (bigSteps - 4);
  const added = (serial - floor) / steps;
  const bigAdded = (bigRun.ms - bigFloor) / bigSteps;
  console.log(
    `          the floor itself (its start-up taken off): ${floorStep.toFixed(3)} and ${bigFloorStep.toFixed(3)} ms/step (${apart(floorStep, bigFloorStep)}); what the engine adds to it: ${added.toFixed(3)} and ${bigAdded.toFixed(3)} ms/step (${apart(added, bigAdded)})`,
  );
  const heap = (h) =>
    `${h.early.toFixed(1)} MB a quarter in, ${h.end.toFixed(1)} MB at the end, peak ${h.peak.toFixed(1)} MB`;
  const heapSmall = await heapOf(runbook);
  const heapBig = await heapOf(bigRunbook);
  console.log(`  heap after GC, ${steps} steps: ${heap(heapSmall)}; ${bigSteps} steps: ${heap(heapBig)}`);
  const e = expressions;
  console.log(
    `  expression cost, in-process Sandbox: host fast path ${e.host.toFixed(1)} µs (${e.hostWithSet.toFixed(1)} µs with a value set before it); evaluator process ${(e.remote / 1000).toFixed(3)} ms (${(e.remoteWithSet / 1000).toFixed(3)} ms with a value set before it); the evaluator's start ${(e.cold / 1000).toFixed(0)} ms`,
  );
  console.log(`  load average at the end: ${load()}`);
} finally {
  server.close();
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
}
