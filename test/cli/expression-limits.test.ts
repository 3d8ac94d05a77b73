/**
 * Through the real binary (dist/, where the sandbox's worker file is shipped beside the bundle):
 * expressions that overrun their memory or their time fail their step with a clear message, the
 * run goes on (on-fail=continue), and neither the stepwise process nor its expression evaluator
 * grows past a few hundred MB (the expression below once ran 26 s at 5.2 GB against a 1 s limit).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnStepwise } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-expression-limits-'));
const runbook = join(dir, 'overrun.md');
writeFileSync(
  runbook,
  `# Overruns

::set{#base a="1"}

::assert[fill]{that="new Array(2**26).fill(base).length > 0" on-fail=continue}

::assert[grow]{that="(() => { const a = []; for (;;) a.push('x'.repeat(1e6).toUpperCase()); })()" on-fail=continue}

::assert[spin]{that="(() => { while (true) {} })()" on-fail=continue}

::assert[after]{that="[base.a, 2].map(x => x * 2).join() == '2,4'"}

::note[the end]
`,
);

/** Peak resident memory (VmHWM, kB) of a process, or undefined once it is gone. */
function peakKb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s*(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The children of a process (of any of its threads: the evaluator is forked by a worker thread). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    /* gone */
  }
  return out;
}

describe.runIf(process.platform === 'linux' && existsSync('/proc/self/task'))('stepwise run: expression limits', () => {
  it('an expression past its memory or time fails its step, the run goes on, and memory stays bounded', async () => {
    const run = spawnStepwise(['run', '--headless', runbook], {
      env: { STEPWISE_STORE: join(dir, 'store.db') },
      timeoutMs: 60_000,
    });
    const peaks = new Map<number, number>();
    let finished = false;
    void run.done.then(() => (finished = true));
    // Follow the process and every evaluator it starts until it ends: VmHWM only grows, so the last
    // reading of each process is its peak (to within one 10 ms look).
    while (!finished) {
      for (const pid of [run.child.pid!, ...childrenOf(run.child.pid!)]) {
        const kb = peakKb(pid);
        if (kb !== undefined) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, kb));
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const { code } = await run.done;
    const out = run.stdout();
    expect(code, `${out}\n${run.stderr()}`).toBe(1);
    expect(out).toMatch(
      /✗ assert-fill +assert .*expression `new Array\(2\*\*26\)\.fill\(base\)\.length > 0` (used more than 256 MB|did not finish within 1000 ms)/,
    );
    // Which limit a growing loop meets first depends on how fast this machine runs it (under load,
    // the time limit can come first); either stops it, and the peaks below show memory stayed bounded.
    expect(out).toMatch(
      /✗ assert-grow +assert .*expression `\(\(\) => \{ const a = \[\]; for \(;;\) a\.push\('x'\.repeat\(1e6\)\.to\.\.\.` (used more than 256 MB|did not finish within 1000 ms)/,
    );
    expect(out).toMatch(
      /✗ assert-spin +assert .*expression `\(\(\) => \{ while \(true\) \{\} \}\)\(\)` did not finish within 1000 ms/,
    );
    expect(out).toMatch(/✓ assert-after +assert/);
    expect(out).toMatch(/FAILED +3 passed, 3 failed, 0 skipped/);
    const cli = peaks.get(run.child.pid!)!;
    const evaluators = [...peaks].filter(([pid]) => pid !== run.child.pid).map(([, kb]) => kb);
    // the evaluators: the first, and a fresh one (or the spare kept after the first overrun) after each overrun
    expect(evaluators.length).toBeGreaterThanOrEqual(3);
    expect(cli / 1024).toBeLessThan(300);
    // an evaluator is ~60 MB before any expression, and is stopped 256 MB (+ a few) later
    for (const kb of evaluators) expect(kb / 1024).toBeLessThan(400);
  });
});
