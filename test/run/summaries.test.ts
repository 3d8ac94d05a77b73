/**
 * What a run's end says: a step stopped by Ctrl-C is counted as cancelled, not failed, in the
 * headless summary and in `stepwise show`; a PostgreSQL target without a password is shown as
 * written (the user name alone is not a credential), one with a password is still masked.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../engine/run/events.js';
import type { RecordedEvent } from '../../engine/run/recorder.js';
import type { ChainedEvent } from '../../engine/transcript/chain.js';
import { headlessReporter } from '../../renderers/headless.js';
import { timelineLines } from '../../renderers/timeline.js';
import { spawnStepwise, stepwiseAsync } from '../helpers/cli.js';
import { until } from '../helpers/until.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-summaries-'));
const env = { STEPWISE_STORE: join(dir, 'store.db') };
const counts = { passed: 2, failed: 1, skipped: 1, 'timed-out': 1, cancelled: 1, interrupted: 0 };
const end: RunEvent = { type: 'run.finished', data: { status: 'interrupted', exitCode: 5, ms: 1200, counts } };

describe('run.finished lines', () => {
  it('headless: cancelled steps apart from failed ones (timed out still counts as failed)', () => {
    let out = '';
    const reporter = headlessReporter({ write: (t) => (out += t), color: false, tty: false });
    reporter.sink({ ...end, seq: 9, ts: '2026-11-23T10:00:00.000Z', runId: 'r' } as RecordedEvent);
    expect(out).toBe('INTERRUPTED  2 passed, 2 failed, 1 cancelled, 1 skipped in 1.2s  exit 5 · run r\n');
  });

  it('timeline: the same', () => {
    const [line] = timelineLines(
      { ...end, seq: 9, ts: '2026-11-23T10:00:00.000Z', runId: 'r', prev: null, hash: 'h' } as ChainedEvent,
      { color: false, verbose: false },
    );
    expect(line).toBe('10:00:00.000  INTERRUPTED  exit 5, 2 passed, 2 failed, 1 cancelled, 1 skipped in 1.2s');
  });

  it('no cancelled step: the line is as before', () => {
    let out = '';
    const reporter = headlessReporter({ write: (t) => (out += t), color: false, tty: false });
    reporter.sink({
      type: 'run.finished',
      data: { status: 'passed', exitCode: 0, ms: 100, counts: { ...counts, failed: 0, 'timed-out': 0, cancelled: 0 } },
      seq: 3,
      ts: '2026-11-23T10:00:00.000Z',
      runId: 'r',
    } as RecordedEvent);
    expect(out).toBe('PASSED  2 passed, 0 failed, 1 skipped in 0.1s  exit 0 · run r\n');
  });
});

describe('through the CLI', () => {
  it('Ctrl-C during a step: INTERRUPTED, 1 cancelled, 0 failed; show says the same', async () => {
    const runbook = join(dir, 'slow.md');
    writeFileSync(runbook, '::shell{#quick readonly run="true"}\n\n::shell{#slow readonly run="sleep 20"}\n');
    const run = spawnStepwise(['run', '--headless', runbook], { env, timeoutMs: 30_000 });
    await until('the first step to pass', () => run.stdout().includes('✓ quick'), 20_000);
    await new Promise((r) => setTimeout(r, 300)); // `slow` has started
    run.child.kill('SIGINT');
    const done = await run.done;
    expect(done.code).toBe(5);
    expect(run.stdout()).toMatch(/^INTERRUPTED {2}1 passed, 0 failed, 1 cancelled, 0 skipped in /m);
    const show = await stepwiseAsync(['show', 'last'], { env });
    expect(show.stdout).toMatch(/INTERRUPTED {2}exit 5, 1 passed, 0 failed, 1 cancelled, 0 skipped in /);
  }, 40_000);

  it('a postgres:// target with a user and no password is shown as written; with a password, masked', async () => {
    const runbook = join(dir, 'targets.md');
    writeFileSync(
      runbook,
      '---\ntargets:\n  db: postgres://app_reader@db.internal:5432/shop\n  other: postgres://app:pw-s3cret@db.internal/shop\n---\n\n::note[hello]\n',
    );
    const r = await stepwiseAsync(['run', '--headless', runbook], { env });
    expect(r.code).toBe(0);
    const show = await stepwiseAsync(['show', 'last'], { env });
    expect(show.stdout).toContain('target db: postgres postgres://app_reader@db.internal:5432/shop');
    expect(show.stdout).toContain('target other: postgres postgres://[REDACTED]@db.internal/shop');
    expect(show.stdout).not.toContain('pw-s3cret');
  });
});
