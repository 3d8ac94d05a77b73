#!/usr/bin/env node
// Benchmark: `stepwise import` as a whole process (what an author waits for) on the 41 KB seed,
// fixtures/voxyz/seed/*.md: writing the draft with the draft's check cold (--no-cache: parsed
// again every run, as on a first import) and warm (found in check's cache, as when the same
// import runs again, e.g. after a --dry-run), and --dry-run; `check` of the draft after it (which
// finds the import's check in the cache); `check --no-cache` of the seed and of the draft, and
// `stepwise --version`, as floors (a cold import parses the seed once and checks
// its draft once, so it costs about those two checks together, less one process start).
// Prints the median of N runs (default 5) and the load average, since the machine may be shared:
// compare import with the floors measured in the same minute, not with figures from another day.
// Run after `npm ci` (which builds dist/): node test/bench/import.mjs [--runs N]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/stepwise.js');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
if (!existsSync(join(root, 'dist/cli.cjs')))
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });

function time(args, cwd = root, n = runs) {
  const samples = [];
  let cpu = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync('/usr/bin/env', ['time', '-f', '%U %S', process.execPath, ...args], {
      cwd,
      encoding: 'utf8',
    });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    const line = result.stderr.trim().split('\n').pop() ?? '';
    const [user, sys] = line.split(' ').map(Number);
    if (Number.isFinite(user) && Number.isFinite(sys)) cpu.push((user + sys) * 1000);
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  cpu = cpu.length === n ? cpu : [];
  return { median: median(samples), min: Math.min(...samples), cpu: cpu.length > 0 ? median(cpu) : null };
}

const fmt = (t) =>
  `median ${t.median.toFixed(0)} ms (min ${t.min.toFixed(0)})${t.cpu === null ? '' : `, CPU ${t.cpu.toFixed(0)} ms`}`;

const seedDir = join(root, 'fixtures/voxyz/seed');
const seed = join(
  seedDir,
  readdirSync(seedDir).find((f) => f.endsWith('.md')),
);
const out = join(mkdtempSync(join(tmpdir(), 'stepwise-bench-import-')), 'draft.md');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

console.log(`stepwise import benchmark, ${runs} runs each, node ${process.version}, load average ${load()}`);
console.log(`stepwise --version (process floor): ${fmt(time([bin, '--version']))}`);
const name = `${seed.split('/').pop()} (${(statSync(seed).size / 1024).toFixed(0)} KB)`;
console.log(
  `import ${name} -o draft, check cold (--no-cache): ${fmt(time([bin, 'import', seed, '-o', out, '--no-cache']))}   target < 1000 ms`,
);
// the cache lives in .stepwise/cache/ of the working folder: a scratch one, primed by one import
const cwd = mkdtempSync(join(tmpdir(), 'stepwise-bench-import-cwd-'));
time([bin, 'import', seed, '-o', out], cwd, 1);
console.log(`import -o draft, check warm (cached):  ${fmt(time([bin, 'import', seed, '-o', out], cwd))}`);
console.log(`import --dry-run -o draft, check warm: ${fmt(time([bin, 'import', seed, '--dry-run', '-o', out], cwd))}`);
// the next command of the flow: the draft was checked as the file it was written to
console.log(`check of the draft after import:      ${fmt(time([bin, 'check', out], cwd))}`);
// --no-cache: check keeps results in .stepwise/cache/, which would make the floor look free
console.log(`check --no-cache of the seed:       ${fmt(time([bin, 'check', '--no-cache', seed]))}`);
console.log(`check --no-cache of the draft:      ${fmt(time([bin, 'check', '--no-cache', out]))}`);
console.log(`load average after: ${load()}`);
