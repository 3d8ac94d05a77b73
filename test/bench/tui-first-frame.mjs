#!/usr/bin/env node
// Benchmark: the terminal UI's first frame, from process start to the runbook's title and outline
// visible in a real terminal (tmux, 120×40, on a socket of its own), median of 5 runs (--runs N),
// on the largest seed's executable conversion (runbooks/voxyz-ops-loop-operations.md, from the
// 41 KB seed). The first frame is drawn without Ink (cli/first-frame.ts) as soon as the runbook is
// checked; the last line measures the terminal UI's own frame (ready for keys). Beside it, for
// scale: the same process's bare Node start and `stepwise check` of the same runbook, both in the
// same terminal. Budget: 1 s; target: 0.5 s. The load average is printed: the figures scale with it.
// Run after `npm ci` (which builds dist/): node test/bench/tui-first-frame.mjs [--runs N]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/stepwise.js');
const runbook = join(root, 'runbooks/voxyz-ops-loop-operations.md');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const tmux = ['/usr/bin/tmux', '/usr/local/bin/tmux'].find((p) => existsSync(p)) ?? 'tmux';
const socket = `stepwise-bench-${process.pid}`;
if (!existsSync(join(root, 'dist/cli.cjs')))
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-tui-'));

const t = (args) =>
  execFileSync(tmux, ['-L', socket, '-f', '/dev/null', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Starts `command` in a fresh pane and returns the ms until the pane shows every one of `texts`. */
function firstFrame(command, texts) {
  const name = `b${Math.random().toString(36).slice(2, 8)}`;
  const start = process.hrtime.bigint();
  t(['new-session', '-d', '-s', name, '-x', '120', '-y', '40', '-c', dir, `${command}; sleep 30`]);
  for (;;) {
    const screen = t(['capture-pane', '-p', '-t', name]);
    if (texts.every((x) => screen.includes(x))) {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      t(['kill-session', '-t', name]);
      return ms;
    }
    if (Number(process.hrtime.bigint() - start) / 1e6 > 30_000) {
      t(['kill-session', '-t', name]);
      throw new Error(`no first frame within 30 s; the screen:\n${screen}`);
    }
  }
}

function median(label, command, texts) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(firstFrame(command, texts));
  samples.sort((a, b) => a - b);
  const m = samples[Math.floor(samples.length / 2)];
  console.log(
    `${label.padEnd(44)} median ${m.toFixed(0).padStart(5)} ms  (runs: ${samples.map((s) => s.toFixed(0)).join(', ')})`,
  );
  return m;
}

const env = `env -u CI -u CONTINUOUS_INTEGRATION NO_COLOR=1 TERM=xterm-256color OPS_API_KEY=bench-only-not-a-secret-0123456789`;
const node = quote(process.execPath);
try {
  writeFileSync(join(dir, 'empty.js'), 'console.log("node is up")\n');
  console.log(
    `stepwise TUI first frame: ${runbook.replace(`${root}/`, '')} (${runs} runs, 120×40, tmux; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')})`,
  );
  median('node alone (prints a line)', `${node} empty.js`, ['node is up']);
  median('stepwise check (prints its verdict)', `${env} ${node} ${quote(bin)} check ${quote(runbook)}`, [
    'file checked',
  ]);
  const ms = median(
    'stepwise run: title and outline visible',
    `${env} ${node} ${quote(bin)} run ${quote(runbook)} --store ${quote(join(dir, 's.db'))}`,
    ['VoxYZ Ops-Loop Operations Runbook', 'Deployment Procedures', 'checklist_environment'],
  );
  // The first frame is drawn before Ink loads; the terminal UI is ready for keys once Ink's frame replaces it.
  median(
    'stepwise run: the terminal UI ready for keys',
    `${env} ${node} ${quote(bin)} run ${quote(runbook)} --store ${quote(join(dir, 's.db'))}`,
    ['Inputs (1 of'],
  );
  console.log(
    `budget 1000 ms, target 500 ms: ${ms <= 500 ? 'on target' : ms <= 1000 ? 'within budget' : 'OVER BUDGET'} (load average now ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')})`,
  );
  process.exitCode = ms <= 1000 ? 0 : 1;
} finally {
  try {
    t(['kill-server']);
  } catch {}
  rmSync(dir, { recursive: true, force: true });
}
