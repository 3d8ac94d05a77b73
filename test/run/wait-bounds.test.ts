/**
 * A wait is bounded three ways: attempts at least 100ms apart (check refuses less, so a run never
 * spins), at most `attempts` of them (default 1000), and the whole wait ends at its `timeout`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepwiseAsync } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-wait-'));
const env = { STEPWISE_STORE: join(dir, 'store.db') };
const runbook = (name: string, wait: string): string => {
  const path = join(dir, name);
  writeFileSync(path, `::shell{#poll readonly run="echo waiting"}\n\n${wait}\n`);
  return path;
};
const events = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });

describe('wait bounds', () => {
  it('every=1ms is refused before anything runs, at the attribute', async () => {
    const path = runbook('fast.md', '::wait{#w step=poll until="false" every=1ms}');
    const r = await stepwiseAsync(['run', '--headless', path], { env });
    expect(r.stderr).toMatch(
      /fast\.md:3:41: error: every=1ms is too short: a wait re-runs its step at most every 100ms, and records every attempt \[wait-interval\]/,
    );
    expect(r.code).toBe(2);
  });

  it('attempts= ends a wait that never holds after that many attempts, each recorded', async () => {
    const path = runbook('attempts.md', '::wait{#w step=poll until="false" every=100ms attempts=3 timeout=20s}');
    const r = await stepwiseAsync(['run', '--headless', '--json', path], { env });
    const all = events(r.stdout);
    expect(all.filter((e) => e.type === 'step.started' && e.data.stepId === 'poll')).toHaveLength(4); // its own run, and 3 re-runs
    const finished = all.find((e) => e.type === 'step.finished' && e.data.stepId === 'w')!;
    expect(finished.data).toMatchObject({
      status: 'failed',
      error: '`false` did not hold after 3 attempts: attempts=3; raise attempts= (or every=) to wait longer',
      result: { passed: false, attempts: 3 },
    });
    expect(r.code).toBe(1);
  });

  it('its timeout ends the whole wait, as a timeout, before an attempt that would start past it', async () => {
    const path = runbook('timeout.md', '::wait{#w step=poll until="false" every=300ms timeout=1s}');
    const started = performance.now();
    const r = await stepwiseAsync(['run', '--headless', '--json', path], { env });
    const finished = events(r.stdout).find((e) => e.type === 'step.finished' && e.data.stepId === 'w')!;
    expect(finished.data.status).toBe('timed-out');
    expect(finished.data.error).toMatch(
      /^`false` did not hold after [34] attempts in 1s, the wait's time limit; raise its timeout= to wait longer$/,
    );
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(1);
  });

  it('the plan says how it is bounded: every, at most how many attempts, within what time', async () => {
    const path = runbook('plan.md', '::wait{#w step=poll until="poll.exitCode == 0"}');
    const r = await stepwiseAsync(['run', '--dry-run', '--json', path], { env });
    const finished = events(r.stdout).find((e) => e.type === 'step.finished' && e.data.stepId === 'w')!;
    expect((finished.data.plan as { summary: string }).summary).toBe(
      're-run poll every 5s until poll.exitCode == 0 (at most 1000 attempts within 30s)',
    );
  });
});
